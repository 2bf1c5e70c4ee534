// The HTTP server end to end: the real server on 127.0.0.1 port 0, in process, over a temporary
// SQLite store with the catalogue imported, a fixed clock (Tuesday 3 March 2026, 09:00 Vietnam
// time) and a token file, talked to with a real Beast client. Covers the dossier lifecycle over
// HTTP, every refused input (asserting that the log and the dossier did not change), the error
// body and its languages, static files (traversal attempts included), HEAD, 405, keep-alive and
// graceful stop.
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include "app/catalog.h"
#include "app/lifecycle.h"
#include "domain/identity.h"
#include "http/auth.h"
#include "http/detail/log.h"
#include "store/testing.h"

namespace motcua::http {
namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace bj = boost::json;
using tcp = net::ip::tcp;

fs::path SourceDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".");
}
fs::path DataDir() { return SourceDir() / "data"; }

// FixedClock's Set/Advance race with the server threads' reads; this one is atomic.
class TestClock final : public Clock {
 public:
  explicit TestClock(Timestamp t) : us_(t.us) {}
  Timestamp Now() const override { return Timestamp{us_.load()}; }
  void Advance(int64_t micros) { us_ += micros; }
  void Set(Timestamp t) { us_ = t.us; }

 private:
  std::atomic<int64_t> us_;
};

constexpr const char* kCitizenId = "051095000123";
constexpr const char* kOtherCitizenId = "001203004567";
constexpr const char* kCommune = "99501";
constexpr const char* kOtherCommune = "99502";
constexpr const char* kCentre = "99.TTPVHCC";
constexpr const char* kFinance = "99.STC.2025";

std::string Token(const std::string& who) { return "tok-" + who + "-7f3a9c2e5b1d"; }
std::string OfficerToken(const std::string& unit, const std::string& role) {
  return Token(unit + "." + role);
}

struct HttpReply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bj::value json;
  bool closed = false;  // the server closed the connection after this response

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::string Code() const {
    const bj::object* o = json.if_object();
    const bj::value* c = o ? o->if_contains("code") : nullptr;
    return c && c->is_string() ? std::string(c->get_string()) : "";
  }
  const bj::object& Obj() const {
    static const bj::object kEmpty;
    return json.is_object() ? json.get_object() : kEmpty;
  }
  std::string Str(std::string_view key) const {
    const bj::value* v = Obj().if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : "";
  }
};

struct Req {
  bhttp::verb method = bhttp::verb::get;
  std::string target;
  std::optional<std::string> body;
  std::string token;  // empty: no Authorization header
  std::string content_type = "application/json";
  std::string accept_language;
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
};

// A client connection (keep-alive across Send calls).
class Client {
 public:
  explicit Client(uint16_t port) : stream_(ioc_) {
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  HttpReply Send(const Req& r) {
    bhttp::request<bhttp::string_body> req{r.method, r.target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.keep_alive(true);
    if (!r.token.empty()) req.set(bhttp::field::authorization, "Bearer " + r.token);
    if (!r.accept_language.empty()) req.set(bhttp::field::accept_language, r.accept_language);
    for (const auto& [name, value] : r.headers) req.insert(name, value);
    if (r.body) {
      if (!r.content_type.empty()) req.set(bhttp::field::content_type, r.content_type);
      req.body() = *r.body;
      req.prepare_payload();
    }
    bhttp::write(stream_, req);
    return Read(r.method == bhttp::verb::head);
  }

  // Writes raw bytes (for requests a well-behaved client would not build).
  HttpReply SendRaw(const std::string& bytes, bool head = false) {
    net::write(stream_.socket(), net::buffer(bytes));
    return Read(head);
  }

  // Reads a response (after bytes written through stream()).
  HttpReply ReadReply(bool head = false) { return Read(head); }

  // The server closes the connection without sending anything (more) within `wait`.
  bool ServerClosed(std::chrono::seconds wait = std::chrono::seconds(5)) {
    char c;
    boost::system::error_code ec;
    stream_.socket().non_blocking(false);
    stream_.expires_after(wait);
    stream_.read_some(net::buffer(&c, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

  beast::tcp_stream& stream() { return stream_; }

 private:
  HttpReply Read(bool head) {
    HttpReply out;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    parser.body_limit(64 << 20);
    stream_.expires_after(std::chrono::seconds(10));
    boost::system::error_code ec;
    bhttp::read(stream_, buffer_, parser, ec);
    if (ec) {
      ADD_FAILURE() << "read failed: " << ec.message();
      return out;
    }
    const auto& res = parser.get();
    out.status = res.result_int();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out.headers[name] = std::string(f.value());
    }
    out.body = res.body();
    out.closed = !res.keep_alive();
    if (!out.body.empty() && out.Header("content-type").starts_with("application/json")) {
      boost::system::error_code jec;
      out.json = bj::parse(out.body, jec);
      EXPECT_FALSE(jec) << out.body;
    }
    return out;
  }

  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

class ServerTest : public ::testing::Test {
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
    lifecycle_ = std::make_unique<app::Lifecycle>(*store_, catalog_, clock_);

    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("motcua-http-test-" + std::to_string(rd()));
    fs::create_directories(dir_ / "www" / "assets");
    WriteFile(dir_ / "www" / "index.html", "<!doctype html><title>motcua</title>");
    WriteFile(dir_ / "www" / "assets" / "app.js", "console.log('motcua');");
    WriteFile(dir_ / "www" / "assets" / "style.css", "body{}");
    WriteFile(dir_ / "secret.txt", "TOP-SECRET-OUTSIDE-ROOT");
    fs::create_symlink(dir_ / "secret.txt", dir_ / "www" / "link.txt");
    WriteTokens(dir_ / "tokens.json");
    auto auth = TokenFileAuthenticator::Load(dir_ / "tokens.json");
    ASSERT_TRUE(auth.has_value()) << auth.error().ToString();
    auth_ = std::move(*auth);
    StartServer(dir_ / "www");
  }

  void TearDown() override {
    StopServer();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // `tweak` adjusts the options of the hardening tests (timeouts, rate limit, proxies…).
  void StartServer(const fs::path& static_dir,
                   const std::function<void(ServerOptions&)>& tweak = {}) {
    ServerOptions opt;
    opt.listen = "127.0.0.1:0";
    opt.threads = 2;
    opt.static_dir = static_dir;
    opt.max_body_bytes = 64 << 10;
    opt.messages_file = DataDir() / "messages.json";
    opt.shutdown_grace = std::chrono::seconds(5);
    if (tweak) tweak(opt);
    server_ = std::make_unique<Server>(*lifecycle_, *auth_, opt);
    auto r = server_->Start();
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    ASSERT_NE(server_->port(), 0);
    thread_ = std::thread([this] { server_->Run(); });
  }

  void RestartServer(const std::function<void(ServerOptions&)>& tweak) {
    StopServer();
    StartServer(dir_ / "www", tweak);
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  static void WriteFile(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }

  void WriteTokens(const fs::path& p) {
    bj::array tokens;
    auto officer = [&](const std::string& unit, const std::string& role) {
      tokens.push_back(bj::object{{"token", OfficerToken(unit, role)},
                                  {"kind", "officer"},
                                  {"id", unit + "." + role},
                                  {"unit", unit},
                                  {"roles", bj::array{bj::value(role)}}});
    };
    for (const char* unit : {kCommune, kOtherCommune, kCentre, kFinance}) {
      for (const char* role : {"one_stop_officer", "specialist", "leader", "clerk"}) {
        officer(unit, role);
      }
    }
    for (const char* id : {kCitizenId, kOtherCitizenId}) {
      tokens.push_back(bj::object{{"token", Token(id)}, {"kind", "citizen"}, {"id", id}});
    }
    WriteFile(p, bj::serialize(bj::object{{"tokens", std::move(tokens)}}));
    fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
  }

  HttpReply Call(const Req& r) {
    Client c(server_->port());
    return c.Send(r);
  }
  HttpReply Get(const std::string& target, const std::string& token = {}) {
    return Call({bhttp::verb::get, target, std::nullopt, token});
  }
  HttpReply Post(const std::string& target, const bj::value& body, const std::string& token) {
    return Call({bhttp::verb::post, target, bj::serialize(body), token});
  }
  HttpReply Act(const std::string& code, const std::string& action, const bj::value& body,
                const std::string& token) {
    return Post("/api/v1/dossiers/" + code + "/" + action, body, token);
  }

  // Birth registration (same-day, fully online) at the commune, by the citizen.
  bj::object BirthBody(const std::string& id_number = kCitizenId) const {
    bj::array comps;
    for (const auto& c : catalog_->procedures().Find("1.001193")->components) {
      if (c.required) comps.push_back(bj::object{{"code", c.code}});
    }
    return bj::object{{"procedure_code", "1.001193"},
                      {"channel", "online"},
                      {"applicant", bj::object{{"kind", "person"},
                                               {"id_kind", "cccd"},
                                               {"id_number", id_number},
                                               {"name", "Nguyễn Văn An"},
                                               {"phone", "0912345678"},
                                               {"email", "an@example.vn"},
                                               {"address", "Phường An Bình"}}},
                      {"receiving_unit", kCommune},
                      {"competent_unit", kCommune},
                      {"components", std::move(comps)}};
  }

  std::string SubmitBirth() {
    HttpReply r = Post("/api/v1/dossiers", BirthBody(), Token(kCitizenId));
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.Str("code");
  }

  std::string SubmitAndReceive() {
    const std::string code = SubmitBirth();
    clock_.Advance(10 * kMicrosPerMinute);
    HttpReply r = Act(code, "receive", bj::object{}, OfficerToken(kCommune, "one_stop_officer"));
    EXPECT_EQ(r.status, 200u) << r.body;
    return code;
  }

  // What must not change when a request is refused.
  struct Snapshot {
    int64_t head = 0;
    int64_t version = -1;
    bool operator==(const Snapshot&) const = default;
  };
  // `head` counts the events other than the audit trail's: refused attempts are recorded there
  // (app/audit.h), and recording them is not a change.
  Snapshot Snap(const std::string& code = {}) {
    Snapshot s;
    auto counted = store_->ForEachEvent(0, [&](const Event& e) -> Result<void> {
      if (e.type != "ActionAudited") ++s.head;
      return {};
    });
    EXPECT_TRUE(counted.has_value());
    if (!code.empty()) {
      auto row = store_->GetDossier(code);
      if (row && *row) s.version = (*row)->version;
    }
    return s;
  }

  // Asserts a refused request: status, stable code, a message, the request id echoed.
  static void ExpectError(const HttpReply& r, unsigned status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Code(), code) << r.body;
    EXPECT_FALSE(r.Str("message").empty()) << r.body;
    EXPECT_EQ(r.Str("request_id"), r.Header("x-request-id"));
  }

  TestClock clock_{FromVietnamLocal({2026, 3, 3}, 9 * 60)};  // Tuesday 09:00
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const app::Catalog> catalog_;
  std::unique_ptr<app::Lifecycle> lifecycle_;
  std::unique_ptr<TokenFileAuthenticator> auth_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  fs::path dir_;
};

// ---------------------------------------------------------------------------------------------
// The lifecycle over HTTP.

TEST_F(ServerTest, OnlineDossierFromSubmissionToReturn) {
  HttpReply sub = Post("/api/v1/dossiers", BirthBody(), Token(kCitizenId));
  ASSERT_EQ(sub.status, 201u) << sub.body;
  const std::string code = sub.Str("code");
  EXPECT_EQ(code, std::string(kCommune) + "-260303-0001");
  EXPECT_EQ(sub.Header("location"), "/api/v1/dossiers/" + code);
  EXPECT_EQ(sub.Str("state"), "submitted");
  EXPECT_EQ(sub.Str("submitted_at"), "2026-03-03T02:00:00.000000Z");
  EXPECT_EQ(sub.Str("submitted_at_vi"), "03/03/2026 09:00");
  EXPECT_FALSE(sub.Header("x-request-id").empty());

  clock_.Advance(30 * kMicrosPerMinute);
  HttpReply rec = Act(code, "receive", bj::object{{"digitised", bj::array{"TK"}}},
                      OfficerToken(kCommune, "one_stop_officer"));
  ASSERT_EQ(rec.status, 200u) << rec.body;
  EXPECT_EQ(rec.Str("state"), "received");
  EXPECT_EQ(rec.Str("due_at_vi"), "03/03/2026 17:00");  // same day, received before 15:00
  const bj::object& overdue = rec.Obj().at("overdue").as_object();
  EXPECT_FALSE(overdue.at("overdue").as_bool());
  EXPECT_GT(overdue.at("remaining").as_int64(), 0);
  EXPECT_FALSE(overdue.at("display_vi").as_string().empty());

  for (const char* role : {"specialist", "leader", "clerk"}) {
    clock_.Advance(20 * kMicrosPerMinute);
    HttpReply step =
        Act(code, "complete-step", bj::object{{"note", "Đạt"}}, OfficerToken(kCommune, role));
    ASSERT_EQ(step.status, 200u) << role << ": " << step.body;
  }
  HttpReply ready = Get("/api/v1/dossiers/" + code, Token(kCitizenId));
  ASSERT_EQ(ready.status, 200u) << ready.body;
  EXPECT_EQ(ready.Str("state"), "result_ready");

  clock_.Advance(20 * kMicrosPerMinute);
  HttpReply ret = Act(code, "return", bj::object{{"return_channel", "counter"}},
                      OfficerToken(kCommune, "one_stop_officer"));
  ASSERT_EQ(ret.status, 200u) << ret.body;
  EXPECT_EQ(ret.Str("state"), "returned");

  // The applicant reads the dossier with its history; the ID number appears in the document
  // (it is theirs) but never in the history records.
  HttpReply view = Get("/api/v1/dossiers/" + code, Token(kCitizenId));
  ASSERT_EQ(view.status, 200u) << view.body;
  const bj::array& history = view.Obj().at("history").as_array();
  ASSERT_EQ(history.size(), 7u);  // submitted, received, 3 steps, processed, returned
  EXPECT_EQ(history.front().at("type").as_string(), "DossierSubmitted");
  EXPECT_EQ(history.back().at("type").as_string(), "DossierReturned");
  EXPECT_EQ(history.front().at("actor").as_string(),
            "citizen:" + domain::MaskIdentifier(kCitizenId));
  EXPECT_EQ(bj::serialize(history).find(kCitizenId), std::string::npos);
  EXPECT_EQ(history.front().at("at").as_string(), "2026-03-03T02:00:00.000000Z");
  EXPECT_EQ(view.Obj().at("version").as_int64(), 7);

  // The officer of the unit sees it in the queue; the citizen in their own list.
  HttpReply queue = Get("/api/v1/dossiers?state=returned", OfficerToken(kCommune, "leader"));
  ASSERT_EQ(queue.status, 200u) << queue.body;
  ASSERT_EQ(queue.Obj().at("items").as_array().size(), 1u);
  EXPECT_EQ(queue.Obj().at("items").as_array()[0].at("applicant").at("id_number").as_string(),
            domain::MaskIdentifier(kCitizenId));
  HttpReply mine = Get("/api/v1/dossiers", Token(kCitizenId));
  ASSERT_EQ(mine.status, 200u) << mine.body;
  EXPECT_EQ(mine.Obj().at("items").as_array().size(), 1u);
  HttpReply theirs = Get("/api/v1/dossiers", Token(kOtherCitizenId));
  ASSERT_EQ(theirs.status, 200u) << theirs.body;
  EXPECT_TRUE(theirs.Obj().at("items").as_array().empty());
}

TEST_F(ServerTest, CounterIntakeAtTheCentreIsProcessedByTheDepartment) {
  // Household-business registration decided by the Department of Finance, taken in at the
  // provincial public-administration service centre.
  bj::object body{
      {"procedure_code", "2.001610"},
      {"channel", "counter"},
      {"applicant", bj::object{{"id_number", kOtherCitizenId}, {"name", "Trần Thị Bình"}}},
      {"receiving_unit", kCentre},
      {"components", bj::array{bj::object{{"code", "GDN"}},
                               bj::object{{"code", "CCCD"}, {"reused_from", "vneid"}}}},
      {"receive_now", true},
      {"paid_cash", true},  // the fees are paid before reception, in cash at the counter
      {"digitised", bj::array{"GDN"}}};
  HttpReply sub = Post("/api/v1/dossiers", body, OfficerToken(kCentre, "one_stop_officer"));
  ASSERT_EQ(sub.status, 201u) << sub.body;
  const std::string code = sub.Str("code");
  EXPECT_EQ(sub.Str("state"), "received");
  EXPECT_EQ(sub.Str("competent_unit"), kFinance);
  EXPECT_EQ(sub.Str("current_unit"), kCentre);
  // The centre forwards it (step "transfer"); the department reviews, approves and issues.
  std::vector<std::pair<std::string, std::string>> steps = {{kCentre, "one_stop_officer"},
                                                            {kFinance, "specialist"},
                                                            {kFinance, "leader"},
                                                            {kFinance, "clerk"}};
  for (const auto& [unit, role] : steps) {
    clock_.Advance(30 * kMicrosPerMinute);
    // Until the dossier reaches the department, its officers cannot act on it.
    if (unit == kFinance && role == "specialist") {
      // (already there: the transfer step moved it)
    }
    HttpReply r = Act(code, "complete-step", bj::object{}, OfficerToken(unit, role));
    ASSERT_EQ(r.status, 200u) << unit << "/" << role << ": " << r.body;
  }
  HttpReply dept_view = Get("/api/v1/dossiers/" + code, OfficerToken(kFinance, "leader"));
  ASSERT_EQ(dept_view.status, 200u) << dept_view.body;
  EXPECT_EQ(dept_view.Str("state"), "result_ready");
  EXPECT_EQ(dept_view.Str("current_unit"), kCentre);  // the result goes back to the counter
  HttpReply ret = Act(code, "return", bj::object{{"return_channel", "post"}},
                      OfficerToken(kCentre, "one_stop_officer"));
  ASSERT_EQ(ret.status, 200u) << ret.body;
  EXPECT_EQ(ret.Str("state"), "returned");
  // Fees in integer VND.
  const bj::array& fees = ret.Obj().at("fees").as_array();
  ASSERT_FALSE(fees.empty());
  EXPECT_TRUE(fees[0].at("amount").is_int64());
}

TEST_F(ServerTest, SupplementRequestedAndAnswered) {
  const std::string code = SubmitAndReceive();
  clock_.Advance(30 * kMicrosPerMinute);
  HttpReply req = Act(code, "supplement-request",
                      bj::object{{"reason", "Giấy chứng sinh bị mờ"}, {"items", bj::array{"GCS"}}},
                      OfficerToken(kCommune, "specialist"));
  ASSERT_EQ(req.status, 200u) << req.body;
  EXPECT_EQ(req.Str("state"), "supplement_requested");
  EXPECT_TRUE(req.Obj().at("overdue").at("paused").as_bool());
  clock_.Advance(2 * kMicrosPerHour);
  HttpReply ans =
      Act(code, "supplement", bj::object{{"components", bj::array{bj::object{{"code", "GCS"}}}}},
          Token(kCitizenId));
  ASSERT_EQ(ans.status, 200u) << ans.body;
  EXPECT_EQ(ans.Str("state"), "received");
  const bj::array& sup = ans.Obj().at("supplements").as_array();
  ASSERT_EQ(sup.size(), 1u);
  EXPECT_FALSE(sup[0].at("provided_at").is_null());
  EXPECT_FALSE(sup[0].at("provided_at_vi").is_null());
  EXPECT_GT(sup[0].at("paused_minutes").as_int64(), 0);
}

TEST_F(ServerTest, ApplicantWithdraws) {
  const std::string code = SubmitAndReceive();
  HttpReply r =
      Act(code, "withdraw", bj::object{{"reason", "Không còn nhu cầu"}}, Token(kCitizenId));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.Str("state"), "withdrawn");
  EXPECT_EQ(r.Str("outcome_reason"), "Không còn nhu cầu");
}

TEST_F(ServerTest, OneStopOfficerRefuses) {
  const std::string code = SubmitBirth();
  HttpReply r = Act(code, "refuse", bj::object{{"reason", "Không thuộc thẩm quyền"}},
                    OfficerToken(kCommune, "one_stop_officer"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.Str("state"), "refused");
}

TEST_F(ServerTest, ConsultationApologyAndCancellation) {
  const std::string code = SubmitAndReceive();
  HttpReply ask = Act(code, "consultations",
                      bj::object{{"unit", kOtherCommune}, {"question", "Xác nhận nơi cư trú?"}},
                      OfficerToken(kCommune, "specialist"));
  ASSERT_EQ(ask.status, 200u) << ask.body;
  // The consulted unit can read the dossier and answer.
  EXPECT_EQ(Get("/api/v1/dossiers/" + code, OfficerToken(kOtherCommune, "specialist")).status,
            200u);
  HttpReply answer = Act(code, "consultation-answer", bj::object{{"answer", "Đúng"}},
                         OfficerToken(kOtherCommune, "specialist"));
  ASSERT_EQ(answer.status, 200u) << answer.body;
  EXPECT_FALSE(answer.Obj().at("consultations").as_array()[0].at("answered_at").is_null());
  HttpReply sorry =
      Act(code, "apology",
          bj::object{{"new_due", "2026-03-05T17:00:00+07:00"}, {"reason", "Cần xác minh thêm"}},
          OfficerToken(kCommune, "leader"));  // the apology letter is the leader's
  ASSERT_EQ(sorry.status, 200u) << sorry.body;
  EXPECT_EQ(sorry.Str("due_at_vi"), "05/03/2026 17:00");
  HttpReply cancel = Act(code, "cancel", bj::object{{"reason", "Hồ sơ giả mạo"}},
                         OfficerToken(kCommune, "leader"));
  ASSERT_EQ(cancel.status, 200u) << cancel.body;
  EXPECT_EQ(cancel.Str("state"), "cancelled");
}

// ---------------------------------------------------------------------------------------------
// Refused input changes nothing.

TEST_F(ServerTest, UnknownProcedureIsNotFound) {
  const Snapshot before = Snap();
  bj::object body = BirthBody();
  body["procedure_code"] = "9.999999";
  ExpectError(Post("/api/v1/dossiers", body, Token(kCitizenId)), 404, "procedure.not_found");
  ExpectError(Get("/api/v1/procedures/9.999999"), 404, "procedure.not_found");
  EXPECT_EQ(Snap(), before);
}

TEST_F(ServerTest, MalformedIdNumberIsRefused) {
  const Snapshot before = Snap();
  // A citizen may file only under their own number, so "12AB" is first of all not theirs.
  ExpectError(Post("/api/v1/dossiers", BirthBody("12AB"), Token(kCitizenId)), 403,
              "auth.forbidden");
  bj::object body = BirthBody("12AB");
  body["channel"] = "counter";
  HttpReply counter = Post("/api/v1/dossiers", body, OfficerToken(kCommune, "one_stop_officer"));
  ExpectError(counter, 400, "applicant.bad_id_number");
  EXPECT_EQ(counter.Obj().at("params").at("kind").as_string(), "cccd");
  bj::object passport = BirthBody("B123");
  passport["channel"] = "counter";
  passport["applicant"].as_object()["id_kind"] = "passport";
  ExpectError(Post("/api/v1/dossiers", passport, OfficerToken(kCommune, "one_stop_officer")), 400,
              "applicant.bad_id_number");
  bj::object kind = BirthBody();
  kind["applicant"].as_object()["id_kind"] = "driving_licence";
  ExpectError(Post("/api/v1/dossiers", kind, Token(kCitizenId)), 400, "applicant.bad_id_kind");
  EXPECT_EQ(Snap(), before);
}

TEST_F(ServerTest, WrongStateIsAConflict) {
  const std::string code = SubmitBirth();
  const Snapshot before = Snap(code);
  HttpReply r = Act(code, "return", bj::object{{"return_channel", "counter"}},
                    OfficerToken(kCommune, "one_stop_officer"));
  ExpectError(r, 409, "dossier.illegal_transition");
  EXPECT_EQ(r.Obj().at("params").at("state").as_string(), "submitted");
  EXPECT_EQ(Snap(code), before);
}

TEST_F(ServerTest, OversizedBodyIs413AndTheConnectionIsClosed) {
  const std::string code = SubmitBirth();
  const Snapshot before = Snap(code);
  Client c(server_->port());
  const std::string big(100 << 10, 'x');
  HttpReply r =
      c.Send({bhttp::verb::post, "/api/v1/dossiers/" + code + "/refuse",
              "{\"reason\":\"" + big + "\"}", OfficerToken(kCommune, "one_stop_officer")});
  ExpectError(r, 413, "http.body_too_large");
  EXPECT_TRUE(r.closed);
  EXPECT_TRUE(c.ServerClosed());
  EXPECT_EQ(Snap(code), before);
}

TEST_F(ServerTest, UploadsAloneMayCarryLargerBodies) {
  RestartServer([](ServerOptions& o) { o.max_upload_bytes = 256 << 10; });
  const std::string citizen = Token(kCitizenId);
  const std::string mid(100 << 10, 'x');  // over max_body_bytes (64 KiB), under the upload limit
  // Read in full and handed to the route (which, without the files service here, answers 503).
  ExpectError(Call({bhttp::verb::post, "/api/v1/files", mid, citizen}), 503,
              "service.unavailable");
  Client c(server_->port());
  HttpReply json = c.Send({bhttp::verb::post, "/api/v1/dossiers", mid, citizen});
  ExpectError(json, 413, "http.body_too_large");
  Client c2(server_->port());
  HttpReply big = c2.Send({bhttp::verb::post, "/api/v1/files", std::string(300 << 10, 'x'), citizen});
  ExpectError(big, 413, "http.body_too_large");
  EXPECT_TRUE(big.closed);
}

TEST_F(ServerTest, WholePdfsMayCarryLargerBodiesAndAHundredMegabytesIsRefusedAtOnce) {
  RestartServer([](ServerOptions& o) { o.max_pdf_bytes = 256 << 10; });
  const std::string mid(100 << 10, 'x');  // over max_body_bytes, under the PDF limit
  // Read in full and handed to the route (no documents service here: 503).
  ExpectError(Call({bhttp::verb::post, "/api/v1/verify", mid, ""}), 503, "service.unavailable");
  ExpectError(Call({bhttp::verb::post, "/api/v1/documents/sign?kind=personal", mid,
                    Token(kCitizenId)}),
              503, "service.unavailable");
  // A declared 100 MB body is refused from its header, before a byte of it is read.
  Client c(server_->port());
  HttpReply r = c.SendRaw(
      "POST /api/v1/verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pdf\r\n"
      "Content-Length: 104857600\r\n\r\n%PDF-1.7\n");
  ExpectError(r, 413, "http.body_too_large");
  EXPECT_TRUE(r.closed);
}

TEST_F(ServerTest, InvalidJsonAndWrongShapes) {
  const std::string code = SubmitBirth();
  const Snapshot before = Snap(code);
  const std::string officer = OfficerToken(kCommune, "one_stop_officer");
  const std::string target = "/api/v1/dossiers/" + code + "/refuse";
  ExpectError(Call({bhttp::verb::post, target, "{\"reason\": ", officer}), 400, "json.malformed");
  ExpectError(
      Call({bhttp::verb::post, "/api/v1/dossiers", "{\"procedure_code\": 1,}", Token(kCitizenId)}),
      400, "json.malformed");
  HttpReply arr = Call({bhttp::verb::post, target, "[1,2]", officer});
  ExpectError(arr, 400, "json.bad_field");
  EXPECT_EQ(arr.Obj().at("params").at("field").as_string(), "body");
  HttpReply num = Post(target, bj::object{{"reason", 42}}, officer);
  ExpectError(num, 400, "json.bad_field");
  EXPECT_EQ(num.Obj().at("params").at("field").as_string(), "reason");
  HttpReply longer = Post(target, bj::object{{"reason", std::string(4001, 'a')}}, officer);
  ExpectError(longer, 400, "json.bad_field");
  HttpReply extra = Post(target, bj::object{{"reason", "x"}, {"actor", "system"}}, officer);
  ExpectError(extra, 400, "json.bad_field");
  EXPECT_EQ(extra.Obj().at("params").at("field").as_string(), "actor");
  HttpReply nul = Post(target, bj::object{{"reason", std::string("a\0b", 3)}}, officer);
  ExpectError(nul, 400, "json.bad_field");
  // Submission fields.
  bj::object channel = BirthBody();
  channel["channel"] = "fax";
  ExpectError(Post("/api/v1/dossiers", channel, Token(kCitizenId)), 400, "dossier.bad_channel");
  bj::object comps = BirthBody();
  comps["components"] = bj::array{bj::object{{"code", 7}}};
  HttpReply c7 = Post("/api/v1/dossiers", comps, Token(kCitizenId));
  ExpectError(c7, 400, "json.bad_field");
  EXPECT_EQ(c7.Obj().at("params").at("field").as_string(), "components[0].code");
  bj::object verified = BirthBody();
  verified["applicant"].as_object()["identity_verified"] = true;
  ExpectError(Post("/api/v1/dossiers", verified, Token(kCitizenId)), 400, "json.bad_field");
  bj::object missing = BirthBody();
  missing["components"] = bj::array{bj::object{{"code", "TK"}}};
  ExpectError(Post("/api/v1/dossiers", missing, Token(kCitizenId)), 400,
              "dossier.missing_component");
  ExpectError(Act(code, "apology", bj::object{{"new_due", "tomorrow"}, {"reason", "x"}}, officer),
              400, "time.bad_datetime");
  EXPECT_EQ(Snap(code), before);
}

TEST_F(ServerTest, WrongContentTypeIs415) {
  const std::string code = SubmitBirth();
  const Snapshot before = Snap(code);
  Req r{bhttp::verb::post, "/api/v1/dossiers/" + code + "/refuse", "{\"reason\":\"x\"}",
        OfficerToken(kCommune, "one_stop_officer")};
  r.content_type = "text/plain";
  ExpectError(Call(r), 415, "http.unsupported_media_type");
  r.content_type = "";
  ExpectError(Call(r), 415, "http.unsupported_media_type");
  r.content_type = "application/json; charset=utf-8";
  EXPECT_EQ(Call(r).status, 200u);
  EXPECT_EQ(Snap(code).version, before.version + 1);
  // An empty body needs no content type: it reads as {}.
  const std::string second = SubmitBirth();
  Req receive{bhttp::verb::post, "/api/v1/dossiers/" + second + "/receive", std::string(),
              OfficerToken(kCommune, "one_stop_officer")};
  receive.content_type = "";
  HttpReply received = Call(receive);
  EXPECT_EQ(received.status, 200u) << received.body;
  EXPECT_EQ(received.Str("state"), "received");
}

TEST_F(ServerTest, MissingOrInvalidTokenIs401) {
  const std::string code = SubmitBirth();
  const Snapshot before = Snap(code);
  ExpectError(Post("/api/v1/dossiers", BirthBody(), ""), 401, "auth.missing");
  ExpectError(Post("/api/v1/dossiers", BirthBody(), "not-a-known-token-0000"), 401, "auth.invalid");
  ExpectError(Act(code, "receive", bj::object{}, ""), 401, "auth.missing");
  ExpectError(Get("/api/v1/dossiers/" + code), 401, "auth.missing");
  ExpectError(Get("/api/v1/dossiers"), 401, "auth.missing");
  Client c(server_->port());
  HttpReply r = c.SendRaw("GET /api/v1/dossiers/" + code +
                          " HTTP/1.1\r\nHost: x\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n");
  ExpectError(r, 401, "auth.invalid");  // a credential of another scheme is not ours
  EXPECT_EQ(Snap(code), before);
}

TEST_F(ServerTest, OfficerOfAnotherUnitIs403) {
  const std::string code = SubmitBirth();
  const Snapshot before = Snap(code);
  const std::string other = OfficerToken(kOtherCommune, "one_stop_officer");
  ExpectError(Act(code, "receive", bj::object{}, other), 403, "auth.forbidden");
  ExpectError(Get("/api/v1/dossiers/" + code, other), 403, "auth.forbidden");
  ExpectError(Get(std::string("/api/v1/dossiers?unit=") + kCommune, other), 403, "auth.forbidden");
  // A specialist of the right unit lacks the one-stop role to receive (the permission table).
  ExpectError(Act(code, "receive", bj::object{}, OfficerToken(kCommune, "specialist")), 403,
              "auth.forbidden");
  // Another citizen cannot tell that the dossier exists, nor act on it.
  ExpectError(Get("/api/v1/dossiers/" + code, Token(kOtherCitizenId)), 404, "dossier.not_found");
  ExpectError(Act(code, "withdraw", bj::object{{"reason", "x"}}, Token(kOtherCitizenId)), 404,
              "dossier.not_found");
  EXPECT_EQ(Snap(code), before);
}

TEST_F(ServerTest, UnknownDossierAndQueryErrors) {
  const Snapshot before = Snap();
  const std::string officer = OfficerToken(kCommune, "one_stop_officer");
  ExpectError(Get("/api/v1/dossiers/99501-260303-9999", officer), 404, "dossier.not_found");
  ExpectError(Act("99501-260303-9999", "receive", bj::object{}, officer), 404, "dossier.not_found");
  ExpectError(Get("/api/v1/dossiers?state=lost", officer), 400, "dossier.bad_state");
  HttpReply lim = Get("/api/v1/dossiers?limit=100000", officer);
  ExpectError(lim, 400, "http.bad_query");
  EXPECT_EQ(lim.Obj().at("params").at("param").as_string(), "limit");
  ExpectError(Get("/api/v1/dossiers?limit=5&limit=6", officer), 400, "http.bad_query");
  ExpectError(Get("/api/v1/units?date=2026-02-30"), 400, "time.bad_date");
  EXPECT_EQ(Snap(), before);
}

TEST_F(ServerTest, OverdueFilter) {
  const std::string code = SubmitAndReceive();
  const std::string officer = OfficerToken(kCommune, "leader");
  HttpReply none = Get("/api/v1/dossiers?overdue=true", officer);
  ASSERT_EQ(none.status, 200u) << none.body;
  EXPECT_TRUE(none.Obj().at("items").as_array().empty());
  clock_.Set(FromVietnamLocal({2026, 3, 4}, 10 * 60));  // next day: the same-day limit has passed
  HttpReply late = Get("/api/v1/dossiers?overdue=true", officer);
  ASSERT_EQ(late.status, 200u) << late.body;
  ASSERT_EQ(late.Obj().at("items").as_array().size(), 1u);
  const bj::value& o = late.Obj().at("items").as_array()[0].at("overdue");
  EXPECT_TRUE(o.at("overdue").as_bool());
  EXPECT_GT(o.at("minutes").as_int64(), 0);
  EXPECT_NE(std::string(o.at("display_vi").as_string()).find("giờ"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Public endpoints, error bodies and languages.

TEST_F(ServerTest, PublicCatalogueEndpoints) {
  HttpReply health = Get("/api/v1/health");
  ASSERT_EQ(health.status, 200u);
  EXPECT_EQ(health.Str("status"), "ok");
  EXPECT_EQ(health.Str("time_vi"), "03/03/2026 09:00");

  HttpReply list = Get("/api/v1/procedures");
  ASSERT_EQ(list.status, 200u);
  const bj::array& items = list.Obj().at("items").as_array();
  EXPECT_EQ(items.size(), catalog_->procedures().procedures().size());
  const bj::object& first = items[0].as_object();
  for (const char* k : {"code", "name", "name_en", "field", "time_limit", "online_level", "fees"}) {
    EXPECT_TRUE(first.contains(k)) << k;
  }
  HttpReply one = Get("/api/v1/procedures/1.001193");
  ASSERT_EQ(one.status, 200u);
  EXPECT_EQ(one.Str("name"), "Đăng ký khai sinh");
  EXPECT_TRUE(one.Obj().at("components").is_array());
  EXPECT_TRUE(one.Obj().at("steps").is_array());

  auto codes = [&](const std::string& date) {
    std::set<std::string> out;
    HttpReply u = Get("/api/v1/units" + (date.empty() ? "" : "?date=" + date));
    EXPECT_EQ(u.status, 200u) << u.body;
    for (const auto& x : u.Obj().at("items").as_array())
      out.insert(std::string(x.at("code").as_string()));
    return out;
  };
  const auto today = codes("");
  EXPECT_TRUE(today.contains("99501"));
  EXPECT_FALSE(today.contains("99001"));
  const auto before = codes("2025-06-01");
  EXPECT_TRUE(before.contains("99001"));
  EXPECT_FALSE(before.contains("99501"));
}

TEST_F(ServerTest, ErrorMessagesFollowAcceptLanguage) {
  Req r{bhttp::verb::get, "/api/v1/dossiers"};
  HttpReply vi = Call(r);
  ExpectError(vi, 401, "auth.missing");
  EXPECT_NE(vi.Str("message").find("đăng nhập"), std::string::npos) << vi.Str("message");
  r.accept_language = "en-GB,en;q=0.9,vi;q=0.5";
  HttpReply en = Call(r);
  EXPECT_NE(en.Str("message").find("sign in"), std::string::npos) << en.Str("message");
  r.accept_language = "vi-VN,vi;q=0.9,en;q=0.8";
  EXPECT_EQ(Call(r).Str("message"), vi.Str("message"));
  // Params are substituted into the message and returned on their own.
  const std::string code = SubmitBirth();
  Req bad{bhttp::verb::post, "/api/v1/dossiers/" + code + "/refuse", "{\"reason\": 1}",
          OfficerToken(kCommune, "one_stop_officer")};
  bad.accept_language = "en";
  HttpReply field = Call(bad);
  EXPECT_NE(field.Str("message").find("reason"), std::string::npos) << field.body;
  // Request ids differ.
  EXPECT_NE(vi.Header("x-request-id"), en.Header("x-request-id"));
}

TEST_F(ServerTest, RouterNotFoundAndMethodNotAllowed) {
  ExpectError(Get("/api/v1/nothing-here"), 404, "http.not_found");
  ExpectError(Get("/api/v2/health"), 404, "http.not_found");
  HttpReply del = Call({bhttp::verb::delete_, "/api/v1/dossiers"});
  ExpectError(del, 405, "http.method_not_allowed");
  EXPECT_EQ(del.Header("allow"), "GET, HEAD, POST");
  HttpReply put = Call({bhttp::verb::put, "/api/v1/health", "{}"});
  ExpectError(put, 405, "http.method_not_allowed");
  EXPECT_EQ(put.Header("allow"), "GET, HEAD");
  HttpReply get_action = Get("/api/v1/dossiers/X/receive");
  ExpectError(get_action, 405, "http.method_not_allowed");
  EXPECT_EQ(get_action.Header("allow"), "POST");
  // Percent-decoded path parameters.
  HttpReply decoded = Get("/api/v1/procedures/1%2E001193");
  EXPECT_EQ(decoded.status, 200u) << decoded.body;
}

// ---------------------------------------------------------------------------------------------
// Static files.

TEST_F(ServerTest, StaticFilesAndHead) {
  HttpReply index = Get("/");
  ASSERT_EQ(index.status, 200u);
  EXPECT_EQ(index.body, "<!doctype html><title>motcua</title>");
  EXPECT_EQ(index.Header("content-type"), "text/html; charset=utf-8");
  HttpReply js = Get("/assets/app.js?v=3");
  ASSERT_EQ(js.status, 200u);
  EXPECT_EQ(js.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/assets/style.css").Header("content-type"), "text/css; charset=utf-8");
  HttpReply head = Call({bhttp::verb::head, "/assets/app.js"});
  EXPECT_EQ(head.status, 200u);
  EXPECT_EQ(head.Header("content-length"), std::to_string(js.body.size()));
  EXPECT_TRUE(head.body.empty());
  HttpReply api_head = Call({bhttp::verb::head, "/api/v1/health"});
  EXPECT_EQ(api_head.status, 200u);
  EXPECT_TRUE(api_head.body.empty());
  ExpectError(Get("/missing.html"), 404, "http.not_found");
  HttpReply post = Call({bhttp::verb::post, "/index.html", "{}"});
  ExpectError(post, 405, "http.method_not_allowed");
  EXPECT_EQ(post.Header("allow"), "GET, HEAD");
}

TEST_F(ServerTest, NoPathReachesAFileOutsideTheRoot) {
  for (const std::string target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt",
        "/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets%2f..%2f..%2fsecret.txt", "/./../secret.txt", "/link.txt", "/..\\secret.txt",
        "/%00/secret.txt", "/../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/.hidden"}) {
    Client c(server_->port());
    HttpReply r = c.SendRaw("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(r.status == 400 || r.status == 404) << target << " → " << r.status;
    EXPECT_EQ(r.body.find("TOP-SECRET"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
  }
}

TEST_F(ServerTest, BuiltInPageWithoutStaticDirectory) {
  StopServer();
  StartServer({});
  HttpReply index = Get("/");
  ASSERT_EQ(index.status, 200u);
  EXPECT_NE(index.body.find("/api/v1/"), std::string::npos);
  EXPECT_NE(index.body.find("thủ tục hành chính"), std::string::npos);
  ExpectError(Get("/assets/app.js"), 404, "http.not_found");
}

// ---------------------------------------------------------------------------------------------
// Connections.

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Client c(server_->port());
  for (int i = 0; i < 3; ++i) {
    HttpReply r = c.Send({bhttp::verb::get, "/api/v1/health"});
    ASSERT_EQ(r.status, 200u);
    EXPECT_FALSE(r.closed);
  }
  // A malformed request line is answered with 400 and the connection closed.
  HttpReply bad = c.SendRaw("GARBAGE\r\n\r\n");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_TRUE(bad.closed);
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  Client c(server_->port());
  HttpReply r =
      c.SendRaw("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20 << 10, 'a') +
                "\r\n\r\n");
  ExpectError(r, 431, "http.headers_too_large");
  EXPECT_TRUE(r.closed);
}

TEST_F(ServerTest, StopClosesIdleConnectionsAndReturns) {
  // A grace period longer than any test run: if Stop waited for the idle keep-alive connection
  // instead of closing it, Run() would not return and the test would hang into ctest's timeout.
  // (No wall-clock assertion: the outcome does not depend on the machine's speed.)
  StopServer();
  ServerOptions opt;
  opt.listen = "127.0.0.1:0";
  opt.threads = 2;
  opt.messages_file = DataDir() / "messages.json";
  opt.shutdown_grace = std::chrono::hours(24);
  Server server(*lifecycle_, *auth_, opt);
  ASSERT_TRUE(server.Start().has_value());
  std::thread t([&] { server.Run(); });
  for (int round = 0; round < 20; ++round) {  // several rounds to meet the write/stop race
    Client idle(server.port());
    ASSERT_EQ(idle.Send({bhttp::verb::get, "/api/v1/health"}).status, 200u);
    if (round + 1 == 20) {
      server.Stop();
      t.join();
      EXPECT_TRUE(idle.ServerClosed());
    }
  }
}

// A bug (an exception) in a handler becomes 500 "internal" and the server keeps serving.
class ThrowingAuthenticator final : public Authenticator {
 public:
  Result<Identity> Authenticate(const Request&, const RequestMeta&) const override {
    throw std::runtime_error("bug: SELECT secret FROM somewhere");
  }
};

TEST_F(ServerTest, ExceptionsBecome500AndTheServerKeepsServing) {
  StopServer();
  ThrowingAuthenticator throwing;
  ServerOptions opt;
  opt.listen = "127.0.0.1:0";
  opt.threads = 1;
  opt.messages_file = DataDir() / "messages.json";
  Server server(*lifecycle_, throwing, opt);
  ASSERT_TRUE(server.Start().has_value());
  std::thread t([&] { server.Run(); });
  Client c(server.port());
  HttpReply r = c.Send({bhttp::verb::get, "/api/v1/dossiers", std::nullopt, "whatever-token"});
  ExpectError(r, 500, "internal");
  EXPECT_EQ(r.body.find("SELECT"), std::string::npos);
  EXPECT_EQ(c.Send({bhttp::verb::get, "/api/v1/health"}).status, 200u);
  server.Stop();
  t.join();
}

TEST_F(ServerTest, StartFailsOnABadOrBusyAddress) {
  ServerOptions opt;
  opt.messages_file = DataDir() / "messages.json";
  opt.listen = "not-an-address:80";
  Server bad(*lifecycle_, *auth_, opt);
  auto r = bad.Start();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "http.bad_listen");
  opt.listen = "127.0.0.1:" + std::to_string(server_->port());
  Server busy(*lifecycle_, *auth_, opt);
  auto b = busy.Start();
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().key, "http.cannot_listen");
  // Stop before Run makes Run return at once.
  opt.listen = "127.0.0.1:0";
  Server quick(*lifecycle_, *auth_, opt);
  ASSERT_TRUE(quick.Start().has_value());
  quick.Stop();
  quick.Run();
}


// ---------------------------------------------------------------------------------------------
// Hardening (issue #4): security headers, timeouts, rate limit, trusted proxies, /healthz,
// /metrics, JSON limits over HTTP and the JSON access log.

// Collects the log lines written while it lives (the sink is process-wide; tests run one at a
// time in this binary).
class LogCapture {
 public:
  LogCapture() {
    detail::SetLogSink([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() { detail::SetLogSink({}); }
  std::vector<std::string> Lines() {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }
  // The parsed lines with "event" == event (and request_id == id when given).
  std::vector<bj::object> Events(const std::string& event, const std::string& id = {}) {
    std::vector<bj::object> out;
    for (const std::string& l : Lines()) {
      boost::system::error_code ec;
      bj::value v = bj::parse(l, ec);
      if (ec || !v.is_object()) continue;
      const bj::object& o = v.get_object();
      if (o.at("event").as_string() != event) continue;
      if (!id.empty() && (!o.contains("request_id") || o.at("request_id").as_string() != id)) {
        continue;
      }
      out.push_back(o);
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

void ExpectSecurityHeaders(const HttpReply& r, bool hsts, const std::string& what) {
  EXPECT_EQ(r.Header("content-security-policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
      << what;
  EXPECT_EQ(r.Header("x-frame-options"), "DENY") << what;
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff") << what;
  EXPECT_EQ(r.Header("referrer-policy"), "no-referrer") << what;
  EXPECT_EQ(r.Header("permissions-policy"), "camera=(), microphone=(), geolocation=()") << what;
  EXPECT_EQ(r.Header("cross-origin-opener-policy"), "same-origin") << what;
  EXPECT_EQ(r.Header("cross-origin-resource-policy"), "same-origin") << what;
  if (hsts) {
    EXPECT_EQ(r.Header("strict-transport-security"), "max-age=31536000; includeSubDomains")
        << what;
  } else {
    EXPECT_EQ(r.headers.count("strict-transport-security"), 0u) << what;
  }
}

TEST_F(ServerTest, SecurityHeadersOnEveryResponse) {
  ExpectSecurityHeaders(Get("/api/v1/health"), false, "api 200");
  ExpectSecurityHeaders(Get("/api/v1/dossiers/99501-260303-9999"), false, "api error");
  ExpectSecurityHeaders(Get("/api/v1/nothing"), false, "api 404");
  ExpectSecurityHeaders(Get("/"), false, "static 200");
  ExpectSecurityHeaders(Get("/assets/app.js"), false, "static js");
  ExpectSecurityHeaders(Get("/missing.html"), false, "static 404");
  ExpectSecurityHeaders(Get("/healthz"), false, "healthz");
  ExpectSecurityHeaders(Get("/metrics"), false, "metrics");
  Client c(server_->port());
  ExpectSecurityHeaders(c.SendRaw("GARBAGE\r\n\r\n"), false, "transport 400");
  Client big(server_->port());
  ExpectSecurityHeaders(big.SendRaw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                    std::string(20 << 10, 'a') + "\r\n\r\n"),
                        false, "431");
  // A client cannot claim TLS: X-Forwarded-Proto from a peer that is not a trusted proxy.
  ExpectSecurityHeaders(
      Call({bhttp::verb::get, "/api/v1/health", {}, {}, {}, {}, {{"X-Forwarded-Proto", "https"}}}),
      false, "untrusted proto");
}

TEST_F(ServerTest, TrustedProxyGivesClientAddressAndScheme) {
  const std::string via_proxy_client = "203.0.113.7";
  Req r{bhttp::verb::get, "/api/v1/health"};
  r.headers = {{"X-Forwarded-For", "6.6.6.6, " + via_proxy_client},
               {"X-Forwarded-Proto", "https"}};
  {
    // Untrusted (the default): headers ignored.
    LogCapture log;
    HttpReply plain = Call(r);
    ASSERT_EQ(plain.status, 200u);
    EXPECT_EQ(plain.headers.count("strict-transport-security"), 0u);
    auto access = log.Events("access", plain.Header("x-request-id"));
    ASSERT_EQ(access.size(), 1u);
    EXPECT_EQ(access[0].at("remote").as_string(), "127.0.0.1");
    EXPECT_FALSE(access[0].at("tls").as_bool());
  }
  RestartServer([](ServerOptions& o) { o.trusted_proxies = {"127.0.0.0/8", "10.0.0.0/8"}; });
  {
    LogCapture log;
    HttpReply proxied = Call(r);
    ASSERT_EQ(proxied.status, 200u);
    ExpectSecurityHeaders(proxied, true, "https via trusted proxy");
    auto access = log.Events("access", proxied.Header("x-request-id"));
    ASSERT_EQ(access.size(), 1u);
    EXPECT_EQ(access[0].at("remote").as_string(), via_proxy_client);
    EXPECT_TRUE(access[0].at("tls").as_bool());
    // A chain of our proxies; the header split over two lines.
    Req chain{bhttp::verb::get, "/api/v1/health"};
    chain.headers = {{"X-Forwarded-For", "198.51.100.4"}, {"X-Forwarded-For", "10.0.0.2"}};
    HttpReply two = Call(chain);
    auto a2 = log.Events("access", two.Header("x-request-id"));
    ASSERT_EQ(a2.size(), 1u);
    EXPECT_EQ(a2[0].at("remote").as_string(), "198.51.100.4");
    EXPECT_FALSE(a2[0].at("tls").as_bool());
    EXPECT_EQ(two.headers.count("strict-transport-security"), 0u);
  }
}

TEST_F(ServerTest, SlowHeaderIsCutOffWith408) {
  RestartServer([](ServerOptions& o) { o.header_timeout = std::chrono::seconds(1); });
  LogCapture log;
  Client c(server_->port());
  // Slowloris: a valid request, one byte at a time, each well inside any per-read timeout but
  // the whole far beyond the header deadline. Without that deadline the server would wait for
  // the last byte and answer 200.
  const std::string header =
      "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nUser-Agent: slowloris-test\r\n\r\n";
  size_t sent = 0;
  boost::system::error_code ec;
  for (; sent < header.size(); ++sent) {
    if (c.stream().socket().available(ec) > 0 || ec) break;  // the server has answered
    net::write(c.stream().socket(), net::buffer(&header[sent], 1), ec);
    if (ec) break;  // closed
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_LT(sent, header.size());
  HttpReply r = c.ReadReply();
  ExpectError(r, 408, "http.request_timeout");
  EXPECT_TRUE(r.closed);
  EXPECT_TRUE(c.ServerClosed(std::chrono::seconds(30)));
  auto access = log.Events("access", r.Header("x-request-id"));
  ASSERT_EQ(access.size(), 1u);
  EXPECT_EQ(access[0].at("status").as_int64(), 408);
}

TEST_F(ServerTest, SlowBodyIsCutOffWith408) {
  RestartServer([](ServerOptions& o) { o.body_timeout = std::chrono::seconds(1); });
  const std::string code = SubmitBirth();
  const Snapshot before = Snap(code);
  Client c(server_->port());
  const std::string body = R"({"reason": "Hồ sơ không đúng thẩm quyền giải quyết của xã"})";
  const std::string head = "POST /api/v1/dossiers/" + code +
                           "/refuse HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Authorization: Bearer " +
                           OfficerToken(kCommune, "one_stop_officer") +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  net::write(c.stream().socket(), net::buffer(head));
  size_t sent = 0;
  boost::system::error_code ec;
  for (; sent < body.size(); ++sent) {
    if (c.stream().socket().available(ec) > 0 || ec) break;
    net::write(c.stream().socket(), net::buffer(&body[sent], 1), ec);
    if (ec) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_LT(sent, body.size());
  HttpReply r = c.ReadReply();
  ExpectError(r, 408, "http.request_timeout");
  EXPECT_TRUE(r.closed);
  EXPECT_EQ(Snap(code), before);
}

TEST_F(ServerTest, SilentAndIdleConnectionsAreClosed) {
  RestartServer([](ServerOptions& o) {
    o.header_timeout = std::chrono::seconds(1);
    o.idle_timeout = std::chrono::seconds(1);
  });
  // Connected, never a byte: closed without an answer.
  Client silent(server_->port());
  EXPECT_TRUE(silent.ServerClosed(std::chrono::seconds(30)));
  // Kept alive after a request, then idle: closed (the default would wait a minute).
  Client idle(server_->port());
  HttpReply r = idle.Send({bhttp::verb::get, "/api/v1/health"});
  ASSERT_EQ(r.status, 200u);
  EXPECT_FALSE(r.closed);
  EXPECT_TRUE(idle.ServerClosed(std::chrono::seconds(30)));
}

TEST_F(ServerTest, RateLimitPerClientGives429) {
  // Three requests per client, then practically no refill. Clients are told apart through a
  // trusted proxy's X-Forwarded-For; 127.0.0.1 without the header is a client of its own.
  RestartServer([](ServerOptions& o) {
    o.rate_limit_per_second = 0.001;
    o.rate_limit_burst = 3;
    o.trusted_proxies = {"127.0.0.1"};
  });
  auto from = [](const std::string& client) {
    Req r{bhttp::verb::get, "/api/v1/health"};
    r.headers = {{"X-Forwarded-For", client}};
    return r;
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call(from("203.0.113.1")).status, 200u) << i;
  HttpReply limited = Call(from("203.0.113.1"));
  ExpectError(limited, 429, "http.rate_limited");
  ExpectSecurityHeaders(limited, false, "429");
  EXPECT_GE(std::stoi(limited.Header("retry-after")), 999);  // one token per 1000 s
  EXPECT_EQ(limited.Obj().at("params").at("retry_after").as_string(),
            limited.Header("retry-after"));
  EXPECT_FALSE(limited.closed);  // no body was left unread: the connection may stay
  // Static files count too; another client is not affected.
  Req asset = from("203.0.113.1");
  asset.target = "/assets/app.js";
  EXPECT_EQ(Call(asset).status, 429u);
  EXPECT_EQ(Call(from("203.0.113.2")).status, 200u);
  // A refused request with a body is answered without reading it, then the connection closes.
  EXPECT_EQ(Get("/").status, 200u);        // 127.0.0.1: 1st
  const std::string code = SubmitBirth();  // 127.0.0.1: 2nd
  const Snapshot before = Snap(code);
  Req post{bhttp::verb::post, "/api/v1/dossiers/" + code + "/refuse", R"({"reason":"x"})",
           OfficerToken(kCommune, "one_stop_officer")};
  post.headers = {{"X-Forwarded-For", "203.0.113.1"}};
  HttpReply refused = Call(post);
  ExpectError(refused, 429, "http.rate_limited");
  EXPECT_TRUE(refused.closed);
  EXPECT_EQ(Snap(code), before);
  HttpReply metrics = Get("/metrics");  // 127.0.0.1: 3rd
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("\nmotcua_http_rate_limited_total 3\n"), std::string::npos)
      << metrics.body;
  EXPECT_EQ(Get("/api/v1/health").status, 429u);  // 127.0.0.1: 4th
  // Disabled with 0.
  RestartServer([](ServerOptions& o) {
    o.rate_limit_per_second = 0;
    o.rate_limit_burst = 1;
  });
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Get("/api/v1/health").status, 200u);
}

TEST_F(ServerTest, HealthzIsPublicAndReportsReadiness) {
  HttpReply ok = Get("/healthz");
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.body, R"({"status":"ok"})");
  EXPECT_EQ(ok.Header("cache-control"), "no-store");
  HttpReply head = Call({bhttp::verb::head, "/healthz"});
  EXPECT_EQ(head.status, 200u);
  EXPECT_TRUE(head.body.empty());
  HttpReply post = Call({bhttp::verb::post, "/healthz", "{}"});
  ExpectError(post, 405, "http.method_not_allowed");
  EXPECT_EQ(post.Header("allow"), "GET, HEAD");

  std::atomic<bool> ready{false};
  RestartServer([&](ServerOptions& o) { o.ready = [&] { return ready.load(); }; });
  ExpectError(Get("/healthz"), 503, "http.not_ready");
  ready = true;
  EXPECT_EQ(Get("/healthz").status, 200u);
}

// Reads one sample's value from the exposition text; -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  const size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + 1 + series.size() + 1));
}

TEST_F(ServerTest, MetricsForAllowedAddressesOnly) {
  RestartServer([](ServerOptions& o) {
    o.gauges = {MetricGauge{"motcua_store_pending_writes", "Writes waiting.", [] { return 3.0; }}};
  });
  const std::string code = SubmitBirth();
  ASSERT_EQ(Get("/api/v1/dossiers/" + code, Token(kCitizenId)).status, 200u);
  ASSERT_EQ(Get("/api/v1/dossiers/99501-260303-9999", Token(kCitizenId)).status, 404u);
  ASSERT_EQ(Get("/assets/app.js").status, 200u);
  ASSERT_EQ(Get("/api/v1/no-such-thing").status, 404u);
  Client keep(server_->port());  // an open connection while scraping
  ASSERT_EQ(keep.Send({bhttp::verb::get, "/api/v1/health"}).status, 200u);

  HttpReply m = Get("/metrics");
  ASSERT_EQ(m.status, 200u) << m.body;
  EXPECT_EQ(m.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& t = m.body;
  EXPECT_EQ(Sample(t, R"(motcua_http_requests_total{method="POST",route="/api/v1/dossiers",status="201"})"), 1);
  EXPECT_EQ(Sample(t, R"(motcua_http_requests_total{method="GET",route="/api/v1/dossiers/{code}",status="200"})"), 1);
  EXPECT_EQ(Sample(t, R"(motcua_http_requests_total{method="GET",route="/api/v1/dossiers/{code}",status="404"})"), 1);
  EXPECT_EQ(Sample(t, R"(motcua_http_requests_total{method="GET",route="static",status="200"})"), 1);
  EXPECT_EQ(Sample(t, R"(motcua_http_requests_total{method="GET",route="other",status="404"})"), 1);
  EXPECT_EQ(Sample(t, R"(motcua_http_request_duration_seconds_count{route="/api/v1/dossiers/{code}"})"), 2);
  EXPECT_EQ(Sample(t, R"(motcua_http_errors_total{key="dossier.not_found"})"), 1);
  EXPECT_GE(Sample(t, "motcua_http_connections_open"), 2);  // `keep` and this scrape
  EXPECT_EQ(Sample(t, "motcua_http_rate_limited_total"), 0);
  EXPECT_GT(Sample(t, "motcua_process_start_time_seconds"), 1.7e9);
  EXPECT_EQ(Sample(t, "motcua_store_pending_writes"), 3);
  // Label values are route patterns: no dossier code, no raw path.
  EXPECT_EQ(t.find(code), std::string::npos);
  EXPECT_EQ(t.find("no-such-thing"), std::string::npos);

  // Through a trusted proxy the client is the forwarded address, which is not allowed.
  RestartServer([](ServerOptions& o) { o.trusted_proxies = {"127.0.0.1"}; });
  Req proxied{bhttp::verb::get, "/metrics"};
  proxied.headers = {{"X-Forwarded-For", "203.0.113.9"}};
  ExpectError(Call(proxied), 404, "http.not_found");
  EXPECT_EQ(Get("/metrics").status, 200u);  // the proxy host itself
  // Not on the list: 404, as for any unknown path.
  RestartServer([](ServerOptions& o) { o.metrics_allow = {"10.0.0.0/8"}; });
  HttpReply refused = Get("/metrics");
  ExpectError(refused, 404, "http.not_found");
  EXPECT_EQ(refused.body.find("motcua_"), std::string::npos);
}

TEST_F(ServerTest, BadHardeningOptionsStopStart) {
  StopServer();
  auto start = [&](const std::function<void(ServerOptions&)>& tweak) {
    ServerOptions opt;
    opt.listen = "127.0.0.1:0";
    opt.messages_file = DataDir() / "messages.json";
    tweak(opt);
    Server s(*lifecycle_, *auth_, opt);
    auto r = s.Start();
    return r ? std::string("ok") : r.error().key;
  };
  EXPECT_EQ(start([](ServerOptions& o) { o.trusted_proxies = {"proxy.local"}; }),
            "http.bad_address");
  EXPECT_EQ(start([](ServerOptions& o) { o.metrics_allow = {"10.0.0.0/40"}; }),
            "http.bad_address");
  EXPECT_EQ(start([](ServerOptions& o) {
              o.gauges = {MetricGauge{"bad name", "x", [] { return 0.0; }}};
            }),
            "http.bad_metric_name");
  EXPECT_EQ(start([](ServerOptions& o) {
              o.gauges = {MetricGauge{"g", "x", [] { return 0.0; }},
                          MetricGauge{"g", "y", [] { return 1.0; }}};
            }),
            "http.bad_metric_name");
  EXPECT_EQ(start([](ServerOptions& o) { o.tls_cert_file = "/nonexistent/cert.pem"; }),
            "http.bad_tls");
  EXPECT_EQ(start([](ServerOptions& o) { o.trusted_proxies = {"::1", "fd00::/8"}; }), "ok");
}

TEST_F(ServerTest, JsonLimitsOverHttp) {
  const std::string code = SubmitBirth();
  const Snapshot before = Snap(code);
  const std::string officer = OfficerToken(kCommune, "one_stop_officer");
  const std::string target = "/api/v1/dossiers/" + code + "/refuse";
  auto post = [&](const std::string& body) {
    return Call({bhttp::verb::post, target, body, officer});
  };
  ExpectError(post(R"({"reason": "a", "reason": "b"})"), 400, "json.duplicate_key");
  ExpectError(post("{\"reason\": " + std::string(40, '[') + std::string(40, ']') + "}"), 400,
              "json.too_deep");
  ExpectError(post("{\"reason\": \"\xff\xfe\"}"), 400, "json.malformed");
  ExpectError(post(R"({"reason": "x", "n": 123456789012345678901234567890})"), 400,
              "json.number_out_of_range");
  EXPECT_EQ(Snap(code), before);
}

TEST_F(ServerTest, AccessLogIsJsonWithoutPersonalDataOrSecrets) {
  LogCapture log;
  const std::string token = Token(kCitizenId);
  Req r{bhttp::verb::get,
        std::string("/api/v1/citizens/") + kCitizenId + "?phone=0912345678&secret=s3cr3t"};
  r.token = token;
  r.headers = {{"Cookie", "motcua_session=cookie-secret-value"}};
  HttpReply reply = Call(r);
  EXPECT_EQ(reply.status, 404u);
  HttpReply bad_body = Call({bhttp::verb::post, "/api/v1/dossiers",
                             R"({"applicant": {"id_number": "001203004567", "name": "x"}, "x": )",
                             token});
  EXPECT_EQ(bad_body.status, 400u);

  const std::vector<std::string> lines = log.Lines();
  ASSERT_FALSE(lines.empty());
  for (const std::string& l : lines) {
    boost::system::error_code ec;
    bj::value v = bj::parse(l, ec);
    ASSERT_FALSE(ec) << l;
    ASSERT_TRUE(v.is_object()) << l;
    for (const char* k : {"ts", "level", "event"}) EXPECT_TRUE(v.as_object().contains(k)) << l;
    EXPECT_EQ(l.find(kCitizenId), std::string::npos) << l;
    EXPECT_EQ(l.find("001203004567"), std::string::npos) << l;
    EXPECT_EQ(l.find("0912345678"), std::string::npos) << l;
    EXPECT_EQ(l.find("s3cr3t"), std::string::npos) << l;
    EXPECT_EQ(l.find("cookie-secret-value"), std::string::npos) << l;
    EXPECT_EQ(l.find(token), std::string::npos) << l;
    EXPECT_EQ(l.find("Bearer"), std::string::npos) << l;
    EXPECT_EQ(l.find("phone="), std::string::npos) << l;
  }
  auto access = log.Events("access", reply.Header("x-request-id"));
  ASSERT_EQ(access.size(), 1u);
  const bj::object& a = access[0];
  EXPECT_EQ(a.at("level").as_string(), "info");
  EXPECT_EQ(a.at("method").as_string(), "GET");
  EXPECT_EQ(a.at("path").as_string(), "/api/v1/citizens/*********123");
  EXPECT_EQ(a.at("status").as_int64(), 404);
  EXPECT_EQ(a.at("remote").as_string(), "127.0.0.1");
  EXPECT_GE(a.at("ms").as_int64(), 0);
  EXPECT_EQ(a.at("bytes").as_int64(), static_cast<int64_t>(reply.body.size()));
  const std::string ts(a.at("ts").as_string());
  EXPECT_EQ(ts.size(), 24u) << ts;
  EXPECT_TRUE(ts.ends_with("Z")) << ts;
}

}  // namespace
}  // namespace motcua::http
