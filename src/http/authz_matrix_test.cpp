// The authorisation matrix: every route of the API × every role × the actor's unit relative to
// the target (own unit, parent unit, sibling unit, no unit), through Api::Handle on a real store,
// asserting allow or deny for each cell against an expectation written here by hand (not read
// from the permission table, so that a wrong table row fails this test). The matrix is printed.
//
// Authentication is not under test here (accounts_test and http_session_test cover it): a small
// authenticator maps an "X-Test-As: <role>/<relation>" header to a prepared actor backed by a
// real account, so that each cell isolates the permission decision.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "app/accounts.h"
#include "app/lifecycle.h"
#include "base/json.h"
#include "http/auth.h"
#include "http/errors.h"
#include "http/routes.h"
#include "store/testing.h"

namespace motcua::http {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;
using beast_http::verb;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".") / "data";
}

constexpr const char* kRelations[] = {"own", "parent", "sibling", "none"};
constexpr const char* kRoles[] = {"citizen",
                                  "one_stop_officer",
                                  "specialist",
                                  "leader",
                                  "clerk",
                                  "community_digital_team",
                                  "unit_admin",
                                  "province_admin",
                                  "dashboard_viewer",
                                  "auditor"};
constexpr const char* kPassword = "Mật khẩu rất dài 2025";
constexpr const char* kCitizenId = "051095000123";
constexpr const char* kOtherCitizenId = "079123456789";

// Expected access, by letter: which of the four relations (own, parent, sibling, none) allow.
//   P public (all), A any signed-in principal (all), W any unit (own/parent/sibling, not none),
//   U own unit only, S own unit and its parent (subtree scope), R the province only (parent
//   here), O the citizen's own target only, - never.
std::string Pattern(char letter) {
  switch (letter) {
    case 'P':
    case 'A':
      return "YYYY";
    case 'W':
      return "YYY-";
    case 'U':
    case 'O':
      return "Y---";
    case 'S':
      return "YY--";
    case 'R':
      return "-Y--";
    default:
      return "----";
  }
}

struct Expect {
  std::string route;                  // "METHOD /pattern"
  std::map<std::string, char> roles;  // missing roles: '-'
  char all = 0;                       // when set, every role has this letter
};

// Who may read a dossier (and so its files, receipts, result and payment code).
const std::map<std::string, char> kReaders = {
    {"citizen", 'O'}, {"one_stop_officer", 'U'}, {"specialist", 'U'}, {"leader", 'U'},
    {"clerk", 'U'},   {"province_admin", 'S'},   {"auditor", 'S'}};

// The expectations, route by route.
const std::vector<Expect>& Expectations() {
  static const std::vector<Expect> kExpect = {
      {"GET /api/v1/health", {}, 'P'},
      {"GET /api/openapi.json", {}, 'P'},
      {"GET /api/v1/procedures", {}, 'P'},
      {"GET /api/v1/procedures/{code}", {}, 'P'},
      {"GET /api/v1/units", {}, 'P'},
      {"POST /api/v1/session", {}, 'P'},
      {"POST /api/v1/accounts", {}, 'P'},
      {"POST /api/v1/password-reset", {}, 'P'},
      {"POST /api/v1/password-reset/complete", {}, 'P'},
      {"GET /api/v1/session", {}, 'A'},
      {"DELETE /api/v1/session", {}, 'A'},
      {"POST /api/v1/me/password", {}, 'A'},
      {"POST /api/v1/me/totp", {}, 'A'},
      {"POST /api/v1/me/totp/confirm", {}, 'A'},
      {"POST /api/v1/dossiers",
       {{"citizen", 'O'}, {"one_stop_officer", 'U'}, {"community_digital_team", 'U'}}},
      {"GET /api/v1/dossiers",
       {{"citizen", 'A'},
        {"one_stop_officer", 'U'},
        {"specialist", 'U'},
        {"leader", 'U'},
        {"clerk", 'U'},
        {"province_admin", 'S'},
        {"auditor", 'S'}}},
      {"GET /api/v1/dossiers/{code}", kReaders},
      {"POST /api/v1/dossiers/{code}/receive", {{"one_stop_officer", 'U'}}},
      {"POST /api/v1/dossiers/{code}/refuse", {{"one_stop_officer", 'U'}}},
      {"POST /api/v1/dossiers/{code}/complete-step",
       {{"one_stop_officer", 'U'}, {"specialist", 'U'}, {"leader", 'U'}, {"clerk", 'U'}}},
      {"POST /api/v1/dossiers/{code}/transfer",
       {{"one_stop_officer", 'U'}, {"specialist", 'U'}, {"leader", 'U'}}},
      {"POST /api/v1/dossiers/{code}/consultations", {{"specialist", 'U'}, {"leader", 'U'}}},
      {"POST /api/v1/dossiers/{code}/consultation-answer", {{"specialist", 'U'}, {"leader", 'U'}}},
      {"POST /api/v1/dossiers/{code}/supplement-request",
       {{"one_stop_officer", 'U'}, {"specialist", 'U'}, {"leader", 'U'}}},
      {"POST /api/v1/dossiers/{code}/supplement", {{"citizen", 'O'}, {"one_stop_officer", 'U'}}},
      {"POST /api/v1/dossiers/{code}/apology", {{"leader", 'U'}}},
      {"POST /api/v1/dossiers/{code}/return", {{"one_stop_officer", 'U'}}},
      {"POST /api/v1/dossiers/{code}/withdraw", {{"citizen", 'O'}, {"one_stop_officer", 'U'}}},
      {"POST /api/v1/dossiers/{code}/cancel", {{"leader", 'U'}}},
      {"GET /api/v1/officers", {{"unit_admin", 'W'}, {"province_admin", 'W'}}},
      {"POST /api/v1/officers", {{"unit_admin", 'S'}, {"province_admin", 'S'}}},
      {"GET /api/v1/accounts/{id}", {{"unit_admin", 'S'}, {"province_admin", 'S'}}},
      {"POST /api/v1/accounts/{id}/roles", {{"unit_admin", 'S'}, {"province_admin", 'S'}}},
      {"POST /api/v1/accounts/{id}/disable", {{"unit_admin", 'S'}, {"province_admin", 'S'}}},
      {"POST /api/v1/accounts/{id}/enable", {{"unit_admin", 'S'}, {"province_admin", 'S'}}},
      {"POST /api/v1/accounts/{id}/totp-reset", {{"unit_admin", 'S'}, {"province_admin", 'S'}}},
      {"POST /api/v1/tokens", {{"province_admin", 'S'}}},
      {"DELETE /api/v1/tokens/{id}", {{"province_admin", 'S'}}},
      {"GET /api/v1/audit", {{"auditor", 'S'}, {"province_admin", 'S'}}},
      {"GET /api/v1/audit/verify", {{"auditor", 'R'}, {"province_admin", 'R'}}},
      // The web front end's routes.
      {"POST /api/v1/dossiers/{code}/rating", {{"citizen", 'O'}}},
      {"POST /api/v1/files",
       {{"citizen", 'A'}, {"one_stop_officer", 'W'}, {"community_digital_team", 'W'}}},
      {"GET /api/v1/files/{id}",
       {{"citizen", 'A'}, {"one_stop_officer", 'W'}, {"community_digital_team", 'W'}}},
      {"GET /api/v1/dossiers/{code}/files/{id}", kReaders},
      // Counter digitisation: the OCR result as the file itself (its uploader, or through its
      // dossier); the counter officer confirms the fields; officers search scanned text (the
      // hits are narrowed to what each may read).
      {"GET /api/v1/files/{id}/ocr",
       {{"citizen", 'A'}, {"one_stop_officer", 'W'}, {"community_digital_team", 'W'}}},
      {"POST /api/v1/files/{id}/fields", {{"one_stop_officer", 'W'}}},
      {"GET /api/v1/dossiers/{code}/files/{id}/ocr", kReaders},
      {"GET /api/v1/scans/search",
       {{"one_stop_officer", 'W'}, {"specialist", 'W'}, {"leader", 'W'}, {"clerk", 'W'}}},
      {"GET /api/v1/drafts", {{"citizen", 'A'}, {"community_digital_team", 'W'}}},
      {"PUT /api/v1/drafts/{procedure}", {{"citizen", 'A'}, {"community_digital_team", 'W'}}},
      {"DELETE /api/v1/drafts/{procedure}", {{"citizen", 'A'}, {"community_digital_team", 'W'}}},
      {"GET /api/v1/lookup", {}, 'P'},
      {"GET /api/v1/calendar", {}, 'P'},
      {"PUT /api/v1/calendar/days/{date}", {{"province_admin", 'R'}}},
      {"DELETE /api/v1/calendar/days/{date}", {{"province_admin", 'R'}}},
      // Signatures and electronic results: verification and the CA's certificates are public;
      // listing certificates is scoped to the actor's own subtree (the request names no unit).
      {"POST /api/v1/verify", {}, 'P'},
      {"GET /api/v1/verify/{code}", {}, 'P'},
      {"GET /api/v1/pki/ca", {}, 'P'},
      {"GET /api/v1/pki/crl", {}, 'P'},
      {"GET /api/v1/certificates",
       {{"unit_admin", 'W'}, {"province_admin", 'W'}, {"auditor", 'W'}}},
      {"POST /api/v1/certificates", {{"province_admin", 'S'}}},
      {"POST /api/v1/certificates/{serial}/revoke", {{"province_admin", 'S'}}},
      {"POST /api/v1/documents/sign",
       {{"one_stop_officer", 'W'}, {"specialist", 'W'}, {"leader", 'W'}, {"clerk", 'W'}}},
      {"GET /api/v1/dossiers/{code}/receipt.pdf", kReaders},
      {"GET /api/v1/dossiers/{code}/result.pdf", kReaders},
      // Fees and payments: the applicant pays, the one-stop officer takes cash, waives and
      // refunds (the leader too for the last two); the gateway's and the bank's notifications
      // are public (their signatures authenticate them); reconciliation is the province's.
      {"POST /api/v1/dossiers/{code}/payments/gateway",
       {{"citizen", 'O'}, {"one_stop_officer", 'U'}}},
      {"GET /api/v1/dossiers/{code}/payments/vietqr", kReaders},
      {"GET /api/v1/dossiers/{code}/payments/receipt.pdf", kReaders},
      {"POST /api/v1/dossiers/{code}/payments/cash", {{"one_stop_officer", 'U'}}},
      {"POST /api/v1/dossiers/{code}/payments/waive", {{"one_stop_officer", 'U'}, {"leader", 'U'}}},
      {"POST /api/v1/dossiers/{code}/payments/refund",
       {{"one_stop_officer", 'U'}, {"leader", 'U'}}},
      {"GET /api/v1/payments/gateway/ipn", {}, 'P'},
      {"GET /api/v1/payments/gateway/return", {}, 'P'},
      {"POST /api/v1/payments/bank/notify", {}, 'P'},
      {"POST /api/v1/payments/reconciliations",
       {{"leader", 'R'}, {"unit_admin", 'R'}, {"province_admin", 'R'}}},
      {"GET /api/v1/payments/reconciliations/{date}",
       {{"leader", 'R'}, {"unit_admin", 'R'}, {"province_admin", 'R'}}},
      // The applicant's data store: the holder, and the counter officer of any unit.
      {"GET /api/v1/me/holdings", {{"citizen", 'A'}}},
      {"GET /api/v1/me/holdings/{id}/file", {{"citizen", 'A'}}},
      {"GET /api/v1/holdings", {{"one_stop_officer", 'W'}}},
      {"GET /api/v1/figures/digitisation",
       {{"leader", 'S'}, {"province_admin", 'S'}, {"dashboard_viewer", 'S'}}},
  };
  return kExpect;
}

// Maps "X-Test-As: <role>/<relation>" to a prepared actor; no header: anonymous.
class TestAuthenticator final : public Authenticator {
 public:
  std::map<std::string, app::Actor> actors;
  Result<Identity> Authenticate(const Request& req, const RequestMeta& meta) const override {
    Identity id;
    id.actor = app::Actor::Anonymous();
    auto it = req.find("X-Test-As");
    if (it != req.end()) {
      auto a = actors.find(std::string(it->value()));
      if (a == actors.end()) return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
      id.actor = a->second;
      id.session_key = id.actor.account + ":no-such-session";
      id.stage = "full";
    }
    id.actor.address = meta.remote_address;
    id.actor.request_id = meta.request_id;
    return id;
  }
};

class AuthzMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = store::testing::TempStore::Create("sqlite");
    ASSERT_TRUE(t.has_value()) << t.error().ToString();
    temp_ = std::move(*t);
    auto s = temp_->Open({.create = true});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    auto from_data = app::Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
    ASSERT_TRUE(from_data.has_value()) << from_data.error().ToString();
    ASSERT_TRUE(app::ImportCatalog(*store_, **from_data, clock_.Now()).has_value());
    auto c = app::Catalog::Load(*store_, DataDir());
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    catalog_ = *c;
    spool_ = fs::temp_directory_path() / ("motcua-authz-" + std::to_string(::getpid()));
    notifier_ = std::make_unique<app::SpoolNotifier>(spool_);
    auto key = secure::SecretKey::FromBytes(std::string(32, 'k'));
    ASSERT_TRUE(key.has_value());
    app::AccountsOptions o;
    o.password_cost = secure::kTesting;
    o.throttle.address_max_failures = 1'000'000;  // the matrix fails many logins on purpose
    accounts_ =
        std::make_unique<app::Accounts>(*store_, catalog_, clock_, std::move(*key), *notifier_, o);
    lifecycle_ = std::make_unique<app::Lifecycle>(*store_, catalog_, clock_);
    auto messages = MessageCatalog::Load(DataDir() / "messages.json");
    ASSERT_TRUE(messages.has_value()) << messages.error().ToString();
    messages_ = std::make_unique<MessageCatalog>(std::move(*messages));
    blobs_ = std::make_unique<app::BlobStore>(spool_ / "files");
    files_ = std::make_unique<app::Files>(*store_, *blobs_, lifecycle_->access(), clock_);
    drafts_ = std::make_unique<app::Drafts>(*store_, lifecycle_->access(), clock_);
    auto lookup_key = secure::SecretKey::FromBytes(std::string(32, 'l'));
    ASSERT_TRUE(lookup_key.has_value());
    lookup_key_ = std::make_unique<secure::SecretKey>(std::move(*lookup_key));
    lookup_ = std::make_unique<app::Lookup>(*store_, catalog_, clock_, *lookup_key_);
    calendar_ =
        std::make_unique<app::CalendarAdmin>(*store_, catalog_, lifecycle_->access(), clock_);
    pki_ = std::make_unique<app::Pki>(
        *store_, lifecycle_->access(), clock_, *lookup_key_,
        app::PkiOptions{sign::KeyAlgorithm::kEcP256, "motcua thử nghiệm", "Sông Trà", "", 20});
    ASSERT_TRUE(pki_->Init(CliActor()).has_value());
    auto templates = app::LoadResultTemplates(DataDir() / "results" / "templates.json");
    ASSERT_TRUE(templates.has_value()) << templates.error().ToString();
    documents_ =
        std::make_unique<app::Documents>(*store_, catalog_, *pki_, *blobs_, lifecycle_->access(),
                                         clock_, std::move(*templates), app::DocumentOptions{});
    pay::PaymentConfig pc;
    pc.gateway = {"http://127.0.0.1:9/paymentv2/vpcpay.html", "MOTCUA01", "matrix-secret"};
    pc.platform = "province";
    pc.return_url = "http://localhost/api/v1/payments/gateway/return";
    pc.bank = {"970415", "0011001932418", "KHO BAC", "http://localhost/x", "matrix-bank-secret"};
    payments_ = std::make_unique<app::Payments>(*lifecycle_, pc, documents_.get());
    scans_ = std::make_unique<app::Scans>(*store_, *lifecycle_, clock_);
    holdings_ = std::make_unique<app::Holdings>(*store_, lifecycle_->access(), clock_);
    api_ = std::make_unique<Api>(
        *lifecycle_, accounts_.get(), auth_, *messages_,
        ApiServices{files_.get(), drafts_.get(), lookup_.get(), calendar_.get(), pki_.get(),
                    documents_.get(), payments_.get(), holdings_.get(), scans_.get()});

    // The target is commune T; its parent is the province, its sibling another commune.
    target_ = "99501";
    units_ = {{"own", target_}, {"parent", "99"}, {"sibling", "99502"}};
    PrepareActors();
  }
  void TearDown() override { fs::remove_all(spool_); }

  app::Actor CliActor() const {
    app::Actor a = app::Actor::System();
    a.via = "cli";
    return a;
  }

  void PrepareActors() {
    int n = 0;
    for (const char* role : kRoles) {
      for (const char* rel : kRelations) {
        app::Actor a;
        const std::string name = std::string(role) + "/" + rel;
        if (std::string(role) == "citizen") {
          // Own: the applicant of the target dossiers; otherwise another person.
          const std::string id =
              std::string(rel) == "own" ? kCitizenId : "07912345" + std::to_string(6000 + n);
          auto acc = accounts_->Register(CliActor(), {domain::AccountKind::kCitizen, id, "Công dân",
                                                      "", "a@example.vn", kPassword});
          if (!acc && acc.error().key == "account.exists") {
            ++n;
            continue;
          }
          ASSERT_TRUE(acc.has_value()) << acc.error().ToString();
          a = app::Accounts::ActorFor(*acc);
        } else {
          // Officers: a real account at the relation's unit; "none" holds the role at no unit.
          const std::string unit = std::string(rel) == "none" ? "99.VP" : units_.at(rel);
          app::NewOfficer o{
              "cb" + std::to_string(100 + n), "Cán bộ", unit, {role}, "", "", kPassword};
          auto acc = accounts_->CreateOfficer(CliActor(), o);
          ASSERT_TRUE(acc.has_value()) << name << ": " << acc.error().ToString();
          a = app::Accounts::ActorFor(*acc);
          if (std::string(rel) == "none") a.unit.clear();
        }
        a.via = "session";
        auth_.actors[name] = a;
        ++n;
      }
    }
    // The target officer account and its unit's administrator's objects.
    app::NewOfficer o{"dich", "Tài khoản đích", target_, {"specialist"}, "", "", kPassword};
    auto acc = accounts_->CreateOfficer(CliActor(), o);
    ASSERT_TRUE(acc.has_value()) << acc.error().ToString();
    target_account_ = acc->id;
  }

  // A fresh dossier filed online by the citizen at T (receiving = competent = current = T).
  std::string NewDossier() {
    app::SubmitRequest r;
    r.procedure_code = "1.001193";
    r.channel = domain::Channel::kOnline;
    r.applicant.id_number = kCitizenId;
    r.applicant.name = "Nguyễn Văn An";
    r.receiving_unit = target_;
    r.competent_unit = target_;
    for (const auto& c : catalog_->procedures().Find("1.001193")->components) {
      if (c.required) r.components.push_back({c.code, "", true, false, ""});
    }
    auto d = lifecycle_->Submit(auth_.actors.at("citizen/own"), r);
    EXPECT_TRUE(d.has_value()) << d.error().ToString();
    return d ? d->code : "";
  }
  // A certificate of the target officer (for the revocation route).
  std::string NewCertificate() {
    auto c = pki_->Issue(CliActor(), {sign::CertKind::kPersonal, "officer:" + target_account_,
                                      "Chuyên viên", "", 2});
    EXPECT_TRUE(c.has_value()) << c.error().ToString();
    return c ? c->serial : "";
  }
  std::string NewToken() {
    auto t = accounts_->IssueApiToken(CliActor(), "t" + std::to_string(tokens_++), target_,
                                      {"specialist"}, {"dossiers:read"}, std::nullopt);
    EXPECT_TRUE(t.has_value()) << t.error().ToString();
    return t ? t->token_id : "";
  }

  // A plausible request for the route, aimed at the target.
  Request Build(verb method, const std::string& pattern, const std::string& as) {
    std::string path = pattern;
    auto fill = [&](const std::string& param, const std::string& value) {
      if (auto p = path.find(param); p != std::string::npos) path.replace(p, param.size(), value);
    };
    const bool dossier_route =
        pattern.find("{code}") != std::string::npos && pattern.starts_with("/api/v1/dossiers");
    if (dossier_route) fill("{code}", NewDossier());
    fill("{code}", "1.001193");       // procedures
    fill("{procedure}", "1.001193");  // drafts
    fill("{date}", "2026-03-09");     // calendar (a Monday)
    if (pattern.find("{serial}") != std::string::npos) fill("{serial}", NewCertificate());
    if (pattern.starts_with("/api/v1/tokens/")) {
      fill("{id}", NewToken());
    } else {
      fill("{id}", target_account_);
    }
    bj::object body;
    const std::string role = as.substr(0, as.find('/'));
    if (method == verb::post) {
      const std::string last = pattern.substr(pattern.rfind('/') + 1);
      if (pattern == "/api/v1/dossiers") {
        body = {{"procedure_code", "1.001193"},
                {"channel", role == "citizen"                  ? "online"
                            : role == "community_digital_team" ? "assisted"
                                                               : "counter"},
                {"receiving_unit", target_},
                {"competent_unit", target_},
                {"applicant",
                 {{"id_number",
                   role == "citizen" && as.ends_with("/own") ? kCitizenId : kOtherCitizenId},
                  {"name", "Nguyễn Văn An"}}}};
        if (role == "community_digital_team") body["assisted_by"] = "tcns-" + target_;
      } else if (last == "refuse" || last == "withdraw" || last == "cancel" || last == "disable" ||
                 last == "enable" || last == "refund") {
        body = {{"reason", "Lý do"}};
      } else if (last == "transfer") {
        body = {{"to_unit", target_}, {"reason", "Chuyển"}};
      } else if (last == "consultations") {
        body = {{"unit", "99.VP"}, {"question", "Xin ý kiến"}};
      } else if (last == "consultation-answer") {
        body = {{"answer", "Trả lời"}};
      } else if (last == "supplement-request") {
        body = {{"reason", "Bổ sung"}, {"items", bj::array{"Giấy tờ"}}};
      } else if (last == "supplement") {
        body = {{"components", bj::array{}}};
      } else if (last == "apology") {
        body = {{"new_due", "2026-04-30T17:00:00+07:00"}, {"reason", "Xin lỗi"}};
      } else if (last == "return") {
        body = {{"return_channel", "counter"}};
      } else if (last == "fields") {
        body = {{"kind", "citizen_id_card"}, {"fields", {{"id_number", "012345678901"}}}};
      } else if (last == "rating") {
        body = {{"rating", "satisfied"}};
      } else if (last == "cash") {
        body = {{"amount", 8000}};
      } else if (last == "waive") {
        body = {{"exemption", "ho_ngheo"}, {"reason", "Hộ nghèo"}};
      } else if (pattern == "/api/v1/officers") {
        body = {{"login", "moi" + std::to_string(created_++)},
                {"name", "Cán bộ mới"},
                {"unit", target_},
                {"roles", bj::array{"specialist"}},
                {"password", kPassword}};
      } else if (last == "roles") {
        body = {{"unit", target_}, {"roles", bj::array{"specialist"}}};
      } else if (pattern == "/api/v1/tokens") {
        body = {{"name", "k" + std::to_string(created_++)},
                {"unit", target_},
                {"roles", bj::array{"specialist"}},
                {"scopes", bj::array{"dossiers:read"}}};
      } else if (pattern == "/api/v1/certificates") {
        body = {{"kind", "personal"},
                {"holder", "officer:" + target_account_},
                {"position", "Chủ tịch"}};
      } else if (last == "revoke") {
        body = {{"reason", "Thôi giữ chức vụ"}};
      } else if (last == "session") {
        body = {{"login", "khongco"}, {"password", "sai mật khẩu"}};
      } else if (last == "accounts") {
        body = {{"id_number", "123"}};
      } else if (last == "password-reset") {
        body = {{"login", "khongco"}};
      } else if (last == "complete") {
        body = {{"token", "x.y"}, {"password", kPassword}};
      } else if (last == "password") {
        body = {{"old_password", "sai mật khẩu"}, {"new_password", kPassword}};
      } else if (last == "confirm") {
        body = {{"code", "000000"}};
      }
    }
    if (pattern == "/api/v1/dossiers" && method == verb::get) path += "?unit=" + target_;
    if (pattern == "/api/v1/audit") path += "?unit=" + target_;
    if (pattern == "/api/v1/scans/search") path += "?q=nguyen";
    if (pattern == "/api/v1/holdings") path += std::string("?applicant=") + kCitizenId;
    if (pattern == "/api/v1/figures/digitisation") {
      path += "?unit=" + target_ + "&from=2026-03-01&to=2026-03-31";
    }
    if (pattern == "/api/v1/documents/sign") path += "?kind=personal";
    const bool statement = pattern == "/api/v1/payments/reconciliations";
    if (statement) path += "?date=2026-03-02";
    Request req{method, path, 11};
    req.set(beast_http::field::host, "localhost");
    if (!as.empty()) req.set("X-Test-As", as);
    if (method == verb::put) {
      body = pattern.starts_with("/api/v1/drafts")
                 ? bj::object{{"form", bj::object{{"buoc", 1}}}}
                 : bj::object{{"kind", "swap_off"},
                              {"name_vi", "Nghỉ hoán đổi"},
                              {"name_en", "Swap day off"},
                              {"source", "Thông báo của UBND tỉnh"}};
    }
    if ((method == verb::post || method == verb::put) && !body.empty()) {
      req.set(beast_http::field::content_type, "application/json");
      req.body() = bj::serialize(body);
    }
    if (statement) {
      req.set(beast_http::field::content_type, "text/csv");
      req.body() = "transaction_id,date,amount,reference\n";
    }
    req.prepare_payload();
    return req;
  }

  FixedClock clock_{FromVietnamLocal({2026, 3, 2}, 9 * 60)};
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const app::Catalog> catalog_;
  fs::path spool_;
  std::unique_ptr<app::SpoolNotifier> notifier_;
  std::unique_ptr<app::Accounts> accounts_;
  std::unique_ptr<app::Lifecycle> lifecycle_;
  std::unique_ptr<MessageCatalog> messages_;
  std::unique_ptr<app::BlobStore> blobs_;
  std::unique_ptr<app::Files> files_;
  std::unique_ptr<app::Drafts> drafts_;
  std::unique_ptr<secure::SecretKey> lookup_key_;
  std::unique_ptr<app::Lookup> lookup_;
  std::unique_ptr<app::CalendarAdmin> calendar_;
  std::unique_ptr<app::Pki> pki_;
  std::unique_ptr<app::Documents> documents_;
  std::unique_ptr<app::Payments> payments_;
  std::unique_ptr<app::Holdings> holdings_;
  std::unique_ptr<app::Scans> scans_;
  TestAuthenticator auth_;
  std::unique_ptr<Api> api_;
  std::string target_;
  std::map<std::string, std::string> units_;
  std::string target_account_;
  int tokens_ = 0;
  int created_ = 0;
};

// Whether a response is the permission layer saying no (or hiding the target).
bool Denied(const Response& r) {
  auto v = json::Parse(r.body);
  if (!v || !v->is_object()) return false;
  const bj::object& o = v->get_object();
  const std::string key =
      o.contains("code") && o.at("code").is_string() ? std::string(o.at("code").get_string()) : "";
  static const std::set<std::string> kDenials = {"auth.forbidden", "auth.missing",
                                                 "auth.scope_missing", "dossier.not_found",
                                                 "account.not_found"};
  return kDenials.contains(key);
}

TEST_F(AuthzMatrixTest, EveryRouteEveryRoleEveryRelation) {
  std::map<std::string, const Expect*> by_route;
  for (const Expect& e : Expectations()) by_route[e.route] = &e;
  const auto routes = api_->Routes();
  // Every route has an expectation, and every expectation a route.
  std::set<std::string> seen;
  for (const RouteInfo& r : routes) {
    const std::string name = std::string(beast_http::to_string(r.method)) + " " + r.pattern;
    seen.insert(name);
    EXPECT_TRUE(by_route.contains(name)) << "no expectation for " << name;
  }
  for (const auto& [name, _] : by_route) {
    EXPECT_TRUE(seen.contains(name)) << "expectation for a route that does not exist: " << name;
  }

  std::ostringstream matrix;
  matrix << "authorisation matrix (Y allowed, - denied; columns own/parent/sibling/none)\n";
  int cells = 0, mismatches = 0;
  for (const RouteInfo& r : routes) {
    const std::string name = std::string(beast_http::to_string(r.method)) + " " + r.pattern;
    auto ex = by_route.find(name);
    if (ex == by_route.end()) continue;
    matrix << name << "\n ";
    for (const char* role : kRoles) {
      char letter = ex->second->all;
      if (!letter) {
        auto it = ex->second->roles.find(role);
        letter = it == ex->second->roles.end() ? '-' : it->second;
      }
      const std::string expected = Pattern(letter);
      std::string got;
      for (int i = 0; i < 4; ++i) {
        const std::string as = std::string(role) + "/" + kRelations[i];
        if (!auth_.actors.contains(as)) {
          got += '?';
          continue;
        }
        const Request req = Build(r.method, r.pattern, as);
        const Response res =
            api_->Handle(req, RequestMeta{"m" + std::to_string(cells), "10.1.1.1", false});
        ASSERT_LT(res.status, 500u) << name << " as " << as << ": " << res.body;
        got += Denied(res) ? '-' : 'Y';
        ++cells;
        if (got.back() != expected[i]) {
          ++mismatches;
          ADD_FAILURE() << name << " as " << as << ": expected "
                        << (expected[i] == 'Y' ? "allow" : "deny") << ", got " << res.status << " "
                        << res.body.substr(0, 300);
        }
      }
      matrix << " " << role << ":" << got;
    }
    matrix << "\n";
  }
  // Anonymous: only the public routes.
  matrix << "anonymous:";
  for (const RouteInfo& r : routes) {
    const std::string name = std::string(beast_http::to_string(r.method)) + " " + r.pattern;
    auto ex = by_route.find(name);
    if (ex == by_route.end()) continue;
    const Response res =
        api_->Handle(Build(r.method, r.pattern, ""), RequestMeta{"anon", "10.1.1.2", false});
    ASSERT_LT(res.status, 500u) << name << ": " << res.body;
    const bool allowed = !Denied(res);
    EXPECT_EQ(allowed, ex->second->all == 'P') << name << " anonymously: " << res.status;
    matrix << (allowed ? " Y" : " -");
    ++cells;
  }
  matrix << "\n" << cells << " cells, " << mismatches << " mismatches\n";
  std::cout << matrix.str();
  EXPECT_GT(cells, 1000);
}

}  // namespace
}  // namespace motcua::http
