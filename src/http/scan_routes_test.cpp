// The counter digitisation routes over a real server on a socket (port 0), a real SQLite store,
// blob directory and a Digitiser with one tesseract worker: an officer uploads a generated ID-card
// scan, polls its OCR result until done, confirms the fields (and sees bad bodies refused with
// stable codes), finds it by a search without diacritics; another unit's officer finds nothing
// and gets 404, a citizen may not confirm; once the file is filed in a counter intake dossier its
// OCR is readable through the dossier by the dossier's readers only. The upload wakes the worker
// (Files::SetOnUpload, as motcua serve wires it): the worker's own poll is an hour here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>

#include "app/digitise.h"
#include "app/files.h"
#include "app/holdings.h"
#include "app/lifecycle.h"
#include "app/scans.h"
#include "base/json.h"
#include "http/auth.h"
#include "http/server.h"
#include "sign/document.h"
#include "store/testing.h"

namespace motcua::http {
namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bj = boost::json;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".") / "data";
}

constexpr std::string_view kCitizenId = "051095000123";

// Maps "X-Test-As: <name>" to a prepared actor; no header: anonymous.
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
      id.stage = "full";
    }
    id.actor.address = meta.remote_address;
    id.actor.request_id = meta.request_id;
    return id;
  }
};

// A one-page ID card rendered by motcua_sign and rasterised by pdftoppm (PNG, greyscale, 150 dpi),
// as src/app/digitise_test.cpp makes it.
std::string CardScan(const fs::path& dir) {
  sign::DocumentContent c;
  c.authority = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
  c.unit = "Độc lập - Tự do - Hạnh phúc";
  c.number = "Số: 01";
  c.place = "Thạch Hà";
  c.date = {2026, 3, 12};
  c.title = "CĂN CƯỚC CÔNG DÂN";
  c.paragraphs = {"Số / No.: 012345678901", "Họ và tên / Full name: NGUYỄN VĂN AN",
                  "Ngày sinh / Date of birth: 01/02/1990", "Quê quán: Xã Thạch Hà, Tỉnh Sông Trà"};
  c.signer_position = "CỤC TRƯỞNG";
  c.signer_name = "Trần Văn Bình";
  auto pdf = sign::RenderDocument(c);
  EXPECT_TRUE(pdf.has_value());
  std::ofstream(dir / "card.pdf", std::ios::binary) << pdf.value_or("");
  const std::string cmd = "pdftoppm -r 150 -gray -png -singlefile " + (dir / "card.pdf").string() +
                          " " + (dir / "card").string() + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(dir / "card.png", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct HttpReply {
  unsigned status = 0;
  std::string body;
  bj::object json;
  std::string Code() const {
    const bj::value* c = json.if_contains("code");
    return c && c->is_string() ? std::string(c->get_string()) : std::string("<none>");
  }
};

class ScanRoutesTest : public ::testing::Test {
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
    catalog_ = app::Catalog::Load(*store_, DataDir()).value();
    lifecycle_ = std::make_unique<app::Lifecycle>(*store_, catalog_, clock_);
    dir_ = fs::temp_directory_path() / ("motcua-scanroutes-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);

    blobs_ = std::make_unique<app::BlobStore>(dir_ / "files");
    files_ = std::make_unique<app::Files>(*store_, *blobs_, lifecycle_->access(), clock_);
    scans_ = std::make_unique<app::Scans>(*store_, *lifecycle_, clock_);
    holdings_ = std::make_unique<app::Holdings>(*store_, lifecycle_->access(), clock_);
    ocr::OcrOptions o;
    o.temp_dir = dir_;
    app::Files* files = files_.get();
    digitiser_ = std::make_unique<app::Digitiser>(
        *store_, [files](const domain::FileRef& ref) { return files->Bytes(ref); },
        app::TesseractRecognisers(o), clock_,
        app::DigitiserOptions{.workers = 1, .poll_interval = std::chrono::hours(1)});
    auto started = digitiser_->Start();
    ASSERT_TRUE(started.has_value()) << started.error().ToString();
    // As motcua serve wires it: the upload wakes the feeder (its poll is an hour here, so the
    // scan is read within the test's minute only if the wake-up works).
    app::Digitiser* digitiser = digitiser_.get();
    files_->SetOnUpload([digitiser] { digitiser->Notify(); });

    auto officer = [](const std::string& unit, const std::string& account) {
      app::Actor a{app::Actor::Kind::kOfficer, account, unit, {"one_stop_officer"}};
      a.account = account;
      return a;
    };
    auth_.actors["officer"] = officer("99501", "acc-quay-1");
    auth_.actors["colleague"] = officer("99501", "acc-quay-2");
    auth_.actors["other_unit"] = officer("99502", "acc-quay-3");
    app::Actor citizen{app::Actor::Kind::kCitizen, std::string(kCitizenId), "", {"citizen"}};
    citizen.account = "acc-citizen";
    auth_.actors["citizen"] = citizen;
    app::Actor stranger{app::Actor::Kind::kCitizen, "001099000111", "", {"citizen"}};
    stranger.account = "acc-stranger";
    auth_.actors["stranger"] = stranger;

    ServerOptions opt;
    opt.listen = "127.0.0.1:0";
    opt.threads = 2;
    opt.messages_file = DataDir() / "messages.json";
    opt.services.files = files_.get();
    opt.services.scans = scans_.get();
    opt.services.holdings = holdings_.get();
    server_ = std::make_unique<Server>(*lifecycle_, auth_, opt);
    auto listening = server_->Start();
    ASSERT_TRUE(listening.has_value()) << listening.error().ToString();
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    if (digitiser_) digitiser_->Stop();
    fs::remove_all(dir_);
  }

  HttpReply Send(beast::http::verb method, const std::string& target, const std::string& as,
                 const std::string& body = {}, const std::string& type = "application/json",
                 const std::string& file_name = {}) const {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect({net::ip::make_address("127.0.0.1"), server_->port()});
    beast::http::request<beast::http::string_body> req{method, target, 11};
    req.set(beast::http::field::host, "localhost");
    if (!as.empty()) req.set("X-Test-As", as);
    if (!file_name.empty()) req.set("X-File-Name", file_name);
    if (!body.empty()) req.set(beast::http::field::content_type, type);
    req.body() = body;
    req.prepare_payload();
    beast::http::write(stream, req);
    beast::flat_buffer buffer;
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(8 << 20);
    stream.expires_after(std::chrono::seconds(30));
    beast::http::read(stream, buffer, parser);
    HttpReply r;
    r.status = parser.get().result_int();
    r.body = parser.get().body();
    auto v = json::Parse(r.body);
    if (v && v->is_object()) r.json = v->get_object();
    return r;
  }
  HttpReply Get(const std::string& target, const std::string& as) const {
    return Send(beast::http::verb::get, target, as);
  }
  HttpReply Post(const std::string& target, const std::string& as, const std::string& body) const {
    return Send(beast::http::verb::post, target, as, body);
  }
  static std::string Str(const bj::object& o, std::string_view key) {
    const bj::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  }
  static std::string FieldValue(const bj::object& ocr, std::string_view name) {
    const bj::value* f = ocr.at("fields").as_object().if_contains(name);
    if (!f || !f->is_object()) return "<absent>";
    return Str(f->as_object(), "value");
  }
  static std::vector<std::string> Files(const HttpReply& search) {
    std::vector<std::string> ids;
    const bj::value* items = search.json.if_contains("items");
    if (!items || !items->is_array()) return {"<no items>"};
    for (const bj::value& i : items->as_array()) ids.push_back(Str(i.as_object(), "file"));
    return ids;
  }

  // Polls the uploader's OCR result until it is no longer pending (at most 60 s).
  HttpReply WaitForOcr(const std::string& id) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    HttpReply r;
    do {
      r = Get("/api/v1/files/" + id + "/ocr", "officer");
      if (r.status != 200 || Str(r.json, "state") != "pending") return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (std::chrono::steady_clock::now() < deadline);
    return r;
  }

  FixedClock clock_{FromVietnamLocal({2026, 3, 3}, 9 * 60)};
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const app::Catalog> catalog_;
  std::unique_ptr<app::Lifecycle> lifecycle_;
  fs::path dir_;
  std::unique_ptr<app::BlobStore> blobs_;
  std::unique_ptr<app::Files> files_;
  std::unique_ptr<app::Scans> scans_;
  std::unique_ptr<app::Holdings> holdings_;
  std::unique_ptr<app::Digitiser> digitiser_;
  TestAuthenticator auth_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(ScanRoutesTest, OfficerUploadsConfirmsSearchesAndTheDossierShowsTheScan) {
  const std::string png = CardScan(dir_);
  ASSERT_FALSE(png.empty());
  HttpReply up = Send(beast::http::verb::post, "/api/v1/files", "officer", png, "image/png",
                      "cccd-nguyen-van-an.png");
  ASSERT_EQ(up.status, 201u) << up.body;
  const std::string id = Str(up.json, "id");
  ASSERT_FALSE(id.empty()) << up.body;

  // The OCR result, read by the background worker.
  HttpReply ocr = WaitForOcr(id);
  ASSERT_EQ(ocr.status, 200u) << ocr.body;
  ASSERT_EQ(Str(ocr.json, "state"), "done") << ocr.body;
  EXPECT_EQ(Str(ocr.json, "kind"), "citizen_id_card");
  ASSERT_EQ(ocr.json.at("pages").as_array().size(), 1u);
  const std::string text = Str(ocr.json.at("pages").at(0).as_object(), "text");
  EXPECT_NE(text.find("NGUYỄN VĂN AN"), std::string::npos) << text;
  EXPECT_NE(text.find("CĂN CƯỚC CÔNG DÂN"), std::string::npos) << text;
  EXPECT_EQ(FieldValue(ocr.json, "id_number"), "012345678901") << ocr.body;
  EXPECT_EQ(FieldValue(ocr.json, "full_name"), "NGUYỄN VĂN AN") << ocr.body;
  EXPECT_EQ(FieldValue(ocr.json, "date_of_birth"), "1990-02-01") << ocr.body;
  EXPECT_TRUE(ocr.json.at("confirmed").is_null());

  // Bad bodies: a stable code each, and nothing confirmed.
  const std::string fields = "/api/v1/files/" + id + "/fields";
  struct Bad {
    std::string body;
    std::string code;
  };
  for (const Bad& b : std::vector<Bad>{
           {R"({"kind":"citizen_id_card","fields":{"religion":"Không"}})", "scan.unknown_field"},
           {R"({"kind":"citizen_id_card","fields":{"date_of_birth":"31/02/1990"}})",
            "scan.bad_field"},
           {R"({"kind":"citizen_id_card","fields":{"id_number":"0123456789012"}})",
            "scan.bad_field"},
           {R"({"kind":"passport","fields":{"id_number":"012345678901"}})", "scan.bad_kind"},
           {R"({"kind":"citizen_id_card","fields":{}})", "scan.no_fields"},
           {R"({"kind":"citizen_id_card","fields":{"id_number":12}})", "json.bad_field"},
           {R"({"kind":"citizen_id_card"})", "json.bad_field"},
       }) {
    HttpReply r = Post(fields, "officer", b.body);
    EXPECT_EQ(r.status, 400u) << b.body << ": " << r.body;
    EXPECT_EQ(r.Code(), b.code) << b.body << ": " << r.body;
  }
  EXPECT_TRUE(Get("/api/v1/files/" + id + "/ocr", "officer").json.at("confirmed").is_null());

  // A citizen may not confirm; another unit's officer does not see the file at all.
  const std::string good =
      R"({"kind":"citizen_id_card","fields":{"id_number":"012345678901","full_name":"Nguyễn Văn An","date_of_birth":"01/02/1990"}})";
  HttpReply citizen = Post(fields, "citizen", good);
  EXPECT_EQ(citizen.status, 403u) << citizen.body;
  EXPECT_EQ(citizen.Code(), "auth.forbidden") << citizen.body;
  HttpReply other = Get("/api/v1/files/" + id + "/ocr", "other_unit");
  EXPECT_EQ(other.status, 404u) << other.body;
  EXPECT_EQ(other.Code(), "file.not_found");

  HttpReply confirmed = Post(fields, "officer", good);
  ASSERT_EQ(confirmed.status, 200u) << confirmed.body;
  ASSERT_TRUE(confirmed.json.at("confirmed").is_object()) << confirmed.body;
  const bj::object& values = confirmed.json.at("confirmed").at("fields").as_object();
  EXPECT_EQ(Str(values, "id_number"), "012345678901");
  EXPECT_EQ(Str(values, "full_name"), "NGUYỄN VĂN AN");
  EXPECT_EQ(Str(values, "date_of_birth"), "1990-02-01");
  EXPECT_EQ(Str(confirmed.json.at("confirmed").as_object(), "by"), "officer:acc-quay-1");

  // The search ignores diacritics and case, and is narrowed to the officer's files and dossiers.
  const std::string search = "/api/v1/scans/search?q=nguyen%20van";
  HttpReply mine = Get(search, "officer");
  ASSERT_EQ(mine.status, 200u) << mine.body;
  EXPECT_EQ(Files(mine), std::vector<std::string>{id}) << mine.body;
  EXPECT_NE(Str(mine.json.at("items").at(0).as_object(), "snippet").find("NGUYỄN VĂN AN"),
            std::string::npos)
      << mine.body;
  EXPECT_TRUE(mine.json.at("items").at(0).at("dossier").is_null());
  EXPECT_EQ(Files(Get(search, "other_unit")), std::vector<std::string>{});
  EXPECT_EQ(Files(Get(search, "colleague")), std::vector<std::string>{});  // not theirs, no dossier
  EXPECT_EQ(Files(Get("/api/v1/scans/search?q=nguyen%20van%20khong", "officer")),
            std::vector<std::string>{});
  EXPECT_EQ(Get(search, "citizen").status, 403u);
  EXPECT_EQ(Get("/api/v1/scans/search?q=", "officer").Code(), "http.bad_query");

  // Counter intake: the officer files the scan in the applicant's dossier.
  bj::array components;
  bool first = true;
  for (const auto& c : catalog_->procedures().Find("1.001193")->components) {
    if (!c.required) continue;
    bj::object comp{{"code", c.code}};
    if (first) comp["files"] = bj::array{bj::string(id)};
    first = false;
    components.push_back(std::move(comp));
  }
  ASSERT_FALSE(first) << "the procedure has a required component";
  const bj::object submission{
      {"procedure_code", "1.001193"},
      {"channel", "counter"},
      {"receiving_unit", "99501"},
      {"competent_unit", "99501"},
      {"applicant", bj::object{{"id_number", kCitizenId}, {"name", "Nguyễn Văn An"}}},
      {"components", std::move(components)}};
  HttpReply dossier = Post("/api/v1/dossiers", "officer", bj::serialize(submission));
  ASSERT_EQ(dossier.status, 201u) << dossier.body;
  const std::string code = Str(dossier.json, "code");
  ASSERT_FALSE(code.empty()) << dossier.body;

  const std::string via_dossier = "/api/v1/dossiers/" + code + "/files/" + id + "/ocr";
  for (const std::string as : {"officer", "colleague", "citizen"}) {
    HttpReply r = Get(via_dossier, as);
    ASSERT_EQ(r.status, 200u) << as << ": " << r.body;
    EXPECT_EQ(Str(r.json, "state"), "done") << as;
    EXPECT_EQ(Str(r.json, "file"), id) << as;
    EXPECT_EQ(Str(r.json.at("confirmed").at("fields").as_object(), "id_number"), "012345678901")
        << as;
  }
  // Outside the dossier's readers: another unit's officer is refused (403, as for the dossier
  // itself), another citizen is told it does not exist (404).
  HttpReply other_unit = Get(via_dossier, "other_unit");
  EXPECT_EQ(other_unit.status, 403u) << other_unit.body;
  EXPECT_EQ(other_unit.Code(), "auth.forbidden");
  HttpReply stranger = Get(via_dossier, "stranger");
  EXPECT_EQ(stranger.status, 404u) << stranger.body;
  EXPECT_EQ(stranger.Code(), "dossier.not_found");
  EXPECT_EQ(Get(via_dossier, "").status, 401u);
  HttpReply not_in = Get("/api/v1/dossiers/" + code + "/files/fNotThere/ocr", "officer");
  EXPECT_EQ(not_in.status, 404u) << not_in.body;
  EXPECT_EQ(not_in.Code(), "file.not_found");
  // Now the dossier links the scan: the colleague who may read the dossier finds it too.
  HttpReply colleague = Get(search, "colleague");
  EXPECT_EQ(Files(colleague), std::vector<std::string>{id}) << colleague.body;
  EXPECT_EQ(Str(colleague.json.at("items").at(0).as_object(), "dossier"), code);
  EXPECT_EQ(Files(Get(search, "other_unit")), std::vector<std::string>{});
}

// The data store's routes under malformed, oversized and hostile queries: a clear error each,
// and nothing written.
TEST_F(ScanRoutesTest, DataStoreRoutesRefuseBadQueries) {
  const int64_t head = store_->HeadSeq().value();
  struct Case {
    std::string target, as;
    unsigned status;
    std::string code;
  };
  const std::string huge(10000, '1');
  const std::vector<Case> cases = {
      {"/api/v1/holdings", "officer", 400, "http.bad_query"},
      {"/api/v1/holdings?applicant=abc", "officer", 400, "applicant.bad_id_number"},
      {"/api/v1/holdings?applicant=" + huge, "officer", 400, "applicant.bad_id_number"},
      {"/api/v1/holdings?applicant=%27%3B%20DROP%20TABLE%20catalog%3B--", "officer", 400,
       "applicant.bad_id_number"},
      {"/api/v1/holdings?applicant=051095000123&x=1", "officer", 400, "http.bad_query"},
      {"/api/v1/holdings?applicant=051095000123", "", 401, "auth.missing"},
      {"/api/v1/holdings?applicant=051095000123", "citizen", 403, "auth.forbidden"},
      {"/api/v1/me/holdings", "officer", 403, "auth.forbidden"},
      {"/api/v1/me/holdings/..%2F..%2Fetc%2Fpasswd/file", "citizen", 404, "holding.not_found"},
      {"/api/v1/me/holdings/r-" + huge + "/file", "citizen", 404, "holding.not_found"},
      {"/api/v1/figures/digitisation?from=2026-03-01&to=2026-03-31", "officer", 400,
       "http.bad_query"},
      {"/api/v1/figures/digitisation?unit=99501&from=2026-13-45&to=2026-03-31", "officer", 400,
       "http.bad_query"},
      {"/api/v1/figures/digitisation?unit=99501&from=2026-03-31&to=2026-03-01", "officer", 400,
       "http.bad_query"},
      {"/api/v1/figures/digitisation?unit=99501&from=2026-03-01&to=2026-03-31", "citizen", 403,
       "auth.forbidden"},
  };
  for (const Case& c : cases) {
    const HttpReply r = Get(c.target, c.as);
    EXPECT_EQ(r.status, c.status) << c.target.substr(0, 120) << " → " << r.body;
    EXPECT_EQ(r.Code(), c.code) << c.target.substr(0, 120) << " → " << r.body;
    EXPECT_TRUE(r.json.contains("message")) << r.body;
  }
  // A well-formed lookup of someone with nothing filed: an empty list.
  const HttpReply empty = Get("/api/v1/holdings?applicant=051095000123", "officer");
  EXPECT_EQ(empty.status, 200u) << empty.body;
  EXPECT_EQ(empty.json.at("count").as_int64(), 0);
  // Refusals by the permission table are audited; nothing else was written.
  auto after = store_->QueryEvents({.after_seq = head}).value();
  for (const Event& e : after) EXPECT_EQ(e.type, "ActionAudited") << e.type;
}

}  // namespace
}  // namespace motcua::http
