// Hostile input against the real server over a real socket, with a real account store and API
// tokens: a prepared list (overlong fields, invalid UTF-8, SQL and script injection strings,
// path traversal in every kind of parameter, deeply nested JSON, huge numbers, duplicate keys,
// wrong content types…). Each must get a 4xx with a JSON error naming a stable code — never a
// 5xx, never a dropped connection — and nothing may change: no dossier, no account, no event
// other than the audit trail's records of the refused attempts. The payment routes (issue #7)
// get the same treatment: hostile gateway notifications, bank notifications and statements
// lose nothing and accept nothing wrong (no PaymentSucceeded).
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>
#include <vector>

#include "app/accounts.h"
#include "app/lifecycle.h"
#include "app/payments.h"
#include "base/json.h"
#include "http/auth.h"
#include "http/server.h"
#include "pay/bank.h"
#include "pay/gateway.h"
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

struct RawReply {
  unsigned status = 0;
  std::string content_type;
  std::string body;
  bool received = false;
};

// Sends bytes as they are (no client-side validation) and reads one response.
RawReply Send(uint16_t port, const std::string& bytes) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect({net::ip::make_address("127.0.0.1"), port});
  // A server that refuses early (413, 431) drains the rest; a write error still leaves the
  // response to be read.
  boost::system::error_code write_ec;
  net::write(stream.socket(), net::buffer(bytes), write_ec);
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(8 << 20);
  stream.expires_after(std::chrono::seconds(20));
  boost::system::error_code ec;
  beast::http::read(stream, buffer, parser, ec);
  RawReply r;
  if (ec) return r;
  r.received = true;
  r.status = parser.get().result_int();
  r.content_type = std::string(parser.get()[beast::http::field::content_type]);
  r.body = parser.get().body();
  return r;
}

std::string Request(const std::string& method, const std::string& target, const std::string& token,
                    const std::string& content_type, const std::string& body,
                    const std::string& headers = "") {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  if (!token.empty()) r += "Authorization: Bearer " + token + "\r\n";
  r += headers;  // extra "Name: value\r\n" lines
  if (!content_type.empty()) r += "Content-Type: " + content_type + "\r\n";
  if (!body.empty() || method == "POST")
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

struct Case {
  std::string what;
  std::string method;
  std::string target;
  std::string content_type;
  std::string body;
  bool officer = true;          // with the counter officer's token
  bool province_admin = false;  // with the province's reconciliation token instead
  std::string headers;          // extra header lines ("Name: value\r\n")
};

pay::PaymentConfig TestPaymentConfig() {
  pay::PaymentConfig c;
  c.gateway = {"http://127.0.0.1:9/paymentv2/vpcpay.html", "MOTCUA01", "gateway-secret-for-tests"};
  c.platform = "province";
  c.ipn_url = "http://127.0.0.1:8080/api/v1/payments/gateway/ipn";
  c.return_url = "http://127.0.0.1:8080/api/v1/payments/gateway/return";
  c.bank = {"970415", "0011001932418", "KHO BAC TINH SONG TRA",
            "http://127.0.0.1:8080/api/v1/payments/bank/notify", "bank-secret-for-tests"};
  return c;
}

int CountEvents(store::Store& s, const std::string& type) {
  store::EventQuery q;
  q.type = type;
  q.limit = 10000;
  auto events = s.QueryEvents(q);
  EXPECT_TRUE(events.has_value()) << events.error().ToString();
  return events ? static_cast<int>(events->size()) : -1;
}

class BadInputTest : public ::testing::Test {
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
    spool_ = fs::temp_directory_path() / ("motcua-bad-" + std::to_string(::getpid()));
    notifier_ = std::make_unique<app::SpoolNotifier>(spool_);
    auto key = secure::SecretKey::FromBytes(std::string(32, 'k'));
    ASSERT_TRUE(key.has_value());
    app::AccountsOptions o;
    o.password_cost = secure::kTesting;
    accounts_ =
        std::make_unique<app::Accounts>(*store_, catalog_, clock_, std::move(*key), *notifier_, o);
    app::Actor cli = app::Actor::System();
    cli.via = "cli";
    auto t1 = accounts_->IssueApiToken(cli, "quay", "99501", {"one_stop_officer"},
                                       {"dossiers:read", "dossiers:write"}, std::nullopt);
    ASSERT_TRUE(t1.has_value()) << t1.error().ToString();
    token_ = t1->token;
    // The province's finance staff reconcile statements (payments:reconcile at the root unit).
    auto t2 = accounts_->IssueApiToken(cli, "doi-soat", catalog_->units().Root()->code,
                                       {"province_admin"}, {"payments:reconcile"}, std::nullopt);
    ASSERT_TRUE(t2.has_value()) << t2.error().ToString();
    admin_token_ = t2->token;
    // One real dossier to aim actions at.
    app::SubmitRequest r;
    r.procedure_code = "1.001193";
    r.channel = domain::Channel::kCounter;
    r.applicant.id_number = "051095000123";
    r.applicant.name = "Nguyễn Văn An";
    r.receiving_unit = "99501";
    r.competent_unit = "99501";
    for (const auto& comp : catalog_->procedures().Find("1.001193")->components) {
      if (comp.required) r.components.push_back({comp.code, "", true, false, ""});
    }
    auto resolved = accounts_->ResolveApiToken(token_);
    ASSERT_TRUE(resolved.has_value());
    auto d = lifecycle_->Submit(resolved->actor, r);
    ASSERT_TRUE(d.has_value()) << d.error().ToString();
    code_ = d->code;

    auth_ = std::make_unique<AccountAuthenticator>(*accounts_);
    fs::create_directories(spool_ / "www");
    std::ofstream(spool_ / "www" / "index.html") << "<!doctype html><title>motcua</title>";
    ServerOptions opt;
    opt.listen = "127.0.0.1:0";
    opt.threads = 2;
    opt.static_dir = spool_ / "www";
    opt.messages_file = DataDir() / "messages.json";
    opt.max_body_bytes = 256 << 10;
    blobs_ = std::make_unique<app::BlobStore>(spool_ / "files");
    files_ = std::make_unique<app::Files>(*store_, *blobs_, lifecycle_->access(), clock_);
    drafts_ = std::make_unique<app::Drafts>(*store_, lifecycle_->access(), clock_);
    auto lookup_key = secure::SecretKey::FromBytes(std::string(32, 'l'));
    ASSERT_TRUE(lookup_key.has_value());
    lookup_key_ = std::make_unique<secure::SecretKey>(std::move(*lookup_key));
    lookup_ = std::make_unique<app::Lookup>(*store_, catalog_, clock_, *lookup_key_);
    calendar_ =
        std::make_unique<app::CalendarAdmin>(*store_, catalog_, lifecycle_->access(), clock_);
    payments_ = std::make_unique<app::Payments>(*lifecycle_, TestPaymentConfig(), nullptr);
    opt.services = {files_.get(), drafts_.get(), lookup_.get(),  calendar_.get(),
                    nullptr,      nullptr,       payments_.get()};
    server_ = std::make_unique<Server>(*lifecycle_, *auth_, opt, accounts_.get());
    auto started = server_->Start();
    ASSERT_TRUE(started.has_value()) << started.error().ToString();
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    fs::remove_all(spool_);
  }

  std::vector<Case> Cases() const {
    const std::string d = "/api/v1/dossiers/" + code_;
    const std::string json = "application/json";
    std::string deep(5000, '[');
    deep += std::string(5000, ']');
    std::string deep_object;
    for (int i = 0; i < 200; ++i) deep_object += "{\"a\":";
    deep_object += "1" + std::string(200, '}');
    // The payment routes' public doors (gateway, bank) and the statement upload.
    const std::string ipn = "/api/v1/payments/gateway/ipn";
    const std::string notify = "/api/v1/payments/bank/notify";
    const std::string reconcile = "/api/v1/payments/reconciliations?date=2026-03-02";
    std::string many_params;
    for (int i = 0; i < 10000; ++i) many_params += (i ? "&p" : "p") + std::to_string(i) + "=1";
    const std::string credit =
        R"({"id":"FT1","account":"0011001932418","amount":5000,"content":"MC1","time":"2026-03-02T09:00:00+07:00","direction":"in","bank":"970415"})";
    std::string big_credit = R"({"id":"FT2","content":")" + std::string(2 << 20, 'x') + "\"}";
    const std::string csv_head = "transaction_id,date,amount,reference\n";
    return {
        // Overlong fields.
        {"overlong reason", "POST", d + "/refuse", json,
         R"({"reason":")" + std::string(5000, 'x') + "\"}"},
        {"overlong procedure code", "POST", "/api/v1/dossiers", json,
         R"({"procedure_code":")" + std::string(300, '1') +
             R"(","channel":"counter","receiving_unit":"99501","applicant":{"id_number":"051095000123","name":"A"}})"},
        {"overlong applicant name", "POST", "/api/v1/dossiers", json,
         R"({"procedure_code":"1.001193","channel":"counter","receiving_unit":"99501","competent_unit":"99501","applicant":{"id_number":"051095000123","name":")" +
             std::string(1000, 'A') + "\"}}"},
        {"overlong path segment", "GET", "/api/v1/dossiers/" + std::string(3000, '9'), "", ""},
        {"overlong login", "POST", "/api/v1/session", json,
         R"({"login":")" + std::string(500, 'a') + R"(","password":"x"})", false},
        // Invalid UTF-8.
        {"invalid UTF-8 in a string", "POST", d + "/refuse", json, "{\"reason\":\"\xff\xfe\xfd\"}"},
        {"overlong UTF-8 encoding", "POST", d + "/refuse", json, "{\"reason\":\"\xc0\xaf\"}"},
        {"lone surrogate escape", "POST", d + "/refuse", json, R"({"reason":"\ud800"})"},
        {"NUL escape in a name", "POST", "/api/v1/accounts", json,
         R"({"id_number":"051095000124","name":"A\u0000B","email":"a@b.vn","password":"Mật khẩu rất dài 2025"})",
         false},
        {"invalid UTF-8 in the path", "GET", "/api/v1/dossiers/%ff%fe", "", ""},
        // SQL injection.
        {"SQL in a path parameter", "GET", "/api/v1/dossiers/'%20OR%201=1%20--", "", ""},
        {"SQL in a query value", "GET", "/api/v1/dossiers?state=x'%20OR%20'1'='1", "", ""},
        {"SQL in the applicant filter", "GET",
         "/api/v1/dossiers?applicant=1;DROP%20TABLE%20dossiers", "", ""},
        {"SQL in a unit", "POST", d + "/transfer", json,
         R"({"to_unit":"99501'; DELETE FROM events; --","reason":"x"})"},
        {"SQL in the login", "POST", "/api/v1/session", json,
         R"({"login":"admin' --","password":"x' OR '1'='1"})", false},
        // Script injection (in fields that are codes, not free text).
        {"script in a procedure code", "GET",
         "/api/v1/procedures/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "", ""},
        {"script in a channel", "POST", "/api/v1/dossiers", json,
         R"({"procedure_code":"1.001193","channel":"<script>alert(1)</script>","receiving_unit":"99501","applicant":{"id_number":"051095000123","name":"A"}})"},
        {"script in a query value", "GET", "/api/v1/dossiers?channel=%3Cscript%3E", "", ""},
        {"script in an ID number", "POST", "/api/v1/accounts", json,
         R"({"id_number":"<script>","name":"A","email":"a@b.vn","password":"Mật khẩu rất dài 2025"})",
         false},
        // Path traversal, in every kind of parameter.
        {"traversal in a static path", "GET", "/../../etc/passwd", "", "", false},
        {"encoded traversal in a static path", "GET", "/%2e%2e/%2e%2e/etc/passwd", "", "", false},
        {"traversal in a path parameter", "GET", "/api/v1/dossiers/..%2F..%2Fetc%2Fpasswd", "", ""},
        {"traversal in a query parameter", "GET", "/api/v1/dossiers?unit=../../etc/passwd", "", ""},
        {"traversal in a body field", "POST", d + "/return", json,
         R"({"return_channel":"../../etc/passwd"})"},
        {"traversal in a token id", "DELETE", "/api/v1/tokens/..%2F..%2Fsecret.key", "", ""},
        // Deep nesting.
        {"deeply nested arrays", "POST", d + "/refuse", json, deep},
        {"deeply nested objects", "POST", d + "/refuse", json, deep_object},
        // Huge numbers.
        {"huge number where a boolean goes", "POST", d + "/transfer", json,
         R"({"to_unit":"99502","competent":1e400,"reason":"x"})"},
        {"huge integer in a string field", "POST", d + "/refuse", json,
         R"({"reason":123456789012345678901234567890})"},
        {"huge limit", "GET", "/api/v1/dossiers?limit=99999999999999999999", "", ""},
        {"negative offset", "GET", "/api/v1/dossiers?offset=-1", "", ""},
        // Duplicate keys.
        {"duplicate keys", "POST", d + "/refuse", json, R"({"reason":"a","reason":"b"})"},
        {"duplicate query parameter", "GET", "/api/v1/dossiers?state=received&state=refused", "",
         ""},
        // Wrong content types and shapes.
        {"text/plain body", "POST", d + "/refuse", "text/plain", R"({"reason":"a"})"},
        {"form body", "POST", d + "/refuse", "application/x-www-form-urlencoded", "reason=a"},
        {"XML body", "POST", d + "/refuse", "application/xml", "<reason>a</reason>"},
        {"JSON that is an array", "POST", d + "/refuse", json, R"(["reason"])"},
        {"truncated JSON", "POST", d + "/refuse", json, R"({"reason":"a")"},
        {"unknown field", "POST", d + "/refuse", json, R"({"reason":"a","state":"returned"})"},
        {"wrong type", "POST", d + "/refuse", json, R"({"reason":["a"]})"},
        {"unknown query parameter", "GET", "/api/v1/dossiers?sort=evil", "", ""},
        {"bad date", "GET", "/api/v1/dossiers?from=2026-02-30", "", ""},
        {"bad apology time", "POST", d + "/apology", json,
         R"({"new_due":"tomorrow","reason":"x"})"},
        // Files, drafts, ratings, lookups, queues, the calendar (the web front end's routes).
        {"upload of a type that is not allowed", "POST", "/api/v1/files", "text/html",
         "<html></html>"},
        {"upload whose bytes are not its type", "POST", "/api/v1/files", "application/pdf",
         "MZ\x90\x00"},
        {"empty upload", "POST", "/api/v1/files", "application/pdf", ""},
        {"upload without a file name", "POST", "/api/v1/files", "application/pdf",
         "%PDF-1.4\n%%EOF\n"},
        {"someone else's file", "GET", "/api/v1/files/fNotMine", "", ""},
        {"a file not in the dossier", "GET", d + "/files/fNotThere", "", ""},
        {"rating by an officer", "POST", d + "/rating", json, R"({"rating":"satisfied"})"},
        {"unknown rating", "POST", d + "/rating", json, R"({"rating":"5 stars"})"},
        {"draft form that is not an object", "PUT", "/api/v1/drafts/1.001193", json,
         R"({"form":[1]})"},
        {"lookup with a wrong key", "GET", "/api/v1/lookup?code=" + code_ + "&key=AAAAAAAA", "", "",
         false},
        {"lookup without a key", "GET", "/api/v1/lookup?code=" + code_, "", "", false},
        {"unknown queue", "GET", "/api/v1/dossiers?queue=mine", "", ""},
        {"calendar year out of range", "GET", "/api/v1/calendar?year=1800", "", "", false},
        {"calendar day by a service token", "PUT", "/api/v1/calendar/days/2026-03-09", json,
         R"({"kind":"swap_off","name_vi":"x","name_en":"x","source":"y"})"},
        {"calendar day with a bad date", "PUT", "/api/v1/calendar/days/2026-02-30", json,
         R"({"kind":"swap_off","name_vi":"x","name_en":"x","source":"y"})"},
        // Payments: the gateway's notifications (public, signed by the gateway).
        {"IPN with 10,000 parameters", "GET", ipn + "?" + many_params, "", "", false},
        {"IPN with a 100 KB parameter value", "GET",
         ipn + "?vnp_TxnRef=" + std::string(100 << 10, 'A') + "&vnp_SecureHash=00", "", "", false},
        {"IPN parameter given twice", "GET",
         ipn + "?vnp_TxnRef=MC1T1&vnp_Amount=500000&vnp_TxnRef=MC2T1&vnp_SecureHash=00", "", "",
         false},
        {"return parameter given twice", "GET",
         "/api/v1/payments/gateway/return?vnp_Amount=1&vnp_Amount=2", "", "", false},
        {"IPN with a bad escape", "GET", ipn + "?vnp_TxnRef=%zz", "", "", false},
        // The bank's credit notifications (public, X-Signature).
        {"bank notification of 2 MB", "POST", notify, json, big_credit, false},
        {"bank notification with a 64 KB garbage signature", "POST", notify, json, credit, false,
         false, "X-Signature: " + std::string(64 << 10, 'g') + "\r\n"},
        {"bank notification with a garbage signature", "POST", notify, json, credit, false, false,
         "X-Signature: " + std::string(1000, 'g') + "\r\n"},
        {"bank notification signed with another secret", "POST", notify, json, credit, false, false,
         "X-Signature: " + pay::SignBody(credit, "not-the-bank-secret") + "\r\n"},
        {"unsigned bank notification", "POST", notify, json, credit, false},
        {"bank notification with a query", "POST", notify + "?debug=1", json, credit, false, false,
         "X-Signature: " + pay::SignBody(credit, "bank-secret-for-tests") + "\r\n"},
        // The bank's statement (CSV) for reconciliation, by the province.
        {"reconciliation CSV with a NUL byte", "POST", reconcile, "text/csv",
         csv_head + "FT1,02/03/2026,5000,MC" + std::string(1, '\0') + "1\n", true, true},
        {"reconciliation CSV with an unterminated quote", "POST", reconcile, "text/csv",
         csv_head + "FT1,02/03/2026,\"5000,MC1\n", true, true},
        {"reconciliation of a JSON body", "POST", reconcile, json, R"({"csv":""})", true, true},
        {"reconciliation without a date", "POST", "/api/v1/payments/reconciliations", "text/csv",
         csv_head, true, true},
        {"reconciliation of an impossible date", "POST",
         "/api/v1/payments/reconciliations?date=2026-02-30", "text/csv", csv_head, true, true},
        {"reconciliation by a counter officer", "POST", reconcile, "text/csv", csv_head},
        {"cash with an amount that is not a number", "POST", d + "/payments/cash", json,
         R"({"amount":"5000 OR 1=1"})"},
        {"cash with a huge amount", "POST", d + "/payments/cash", json,
         R"({"amount":99999999999999999999999})"},
        // Credentials that are not.
        {"malformed bearer", "GET", "/api/v1/dossiers", "", "", false},
    };
  }

  FixedClock clock_{FromVietnamLocal({2026, 3, 2}, 9 * 60)};
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const app::Catalog> catalog_;
  std::unique_ptr<app::Lifecycle> lifecycle_;
  fs::path spool_;
  std::unique_ptr<app::SpoolNotifier> notifier_;
  std::unique_ptr<app::Accounts> accounts_;
  std::unique_ptr<AccountAuthenticator> auth_;
  std::unique_ptr<app::BlobStore> blobs_;
  std::unique_ptr<app::Files> files_;
  std::unique_ptr<app::Drafts> drafts_;
  std::unique_ptr<secure::SecretKey> lookup_key_;
  std::unique_ptr<app::Lookup> lookup_;
  std::unique_ptr<app::CalendarAdmin> calendar_;
  std::unique_ptr<app::Payments> payments_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::string token_;
  std::string admin_token_;
  std::string code_;
};

TEST_F(BadInputTest, PreparedListGetsClearFourHundredsAndChangesNothing) {
  auto head = store_->HeadSeq();
  ASSERT_TRUE(head.has_value());
  auto before = store_->GetDossier(code_);
  ASSERT_TRUE(before.has_value() && before->has_value());
  const auto stats_before = store_->Stats();
  ASSERT_TRUE(stats_before.has_value());

  // Where the answer is known exactly (the payment routes, issue #7): status and code.
  const std::map<std::string, std::pair<unsigned, std::string>> exact = {
      {"IPN with 10,000 parameters", {431, "http.headers_too_large"}},
      {"IPN with a 100 KB parameter value", {431, "http.headers_too_large"}},
      {"IPN parameter given twice", {400, "http.bad_query"}},
      {"return parameter given twice", {400, "http.bad_query"}},
      {"IPN with a bad escape", {400, "http.bad_request"}},
      {"bank notification of 2 MB", {413, "http.body_too_large"}},
      {"bank notification with a 64 KB garbage signature", {431, "http.headers_too_large"}},
      {"bank notification with a garbage signature", {401, "bank.bad_signature"}},
      {"bank notification signed with another secret", {401, "bank.bad_signature"}},
      {"unsigned bank notification", {401, "bank.bad_signature"}},
      {"bank notification with a query", {400, "http.bad_query"}},
      {"reconciliation CSV with a NUL byte", {400, "statement.malformed"}},
      {"reconciliation CSV with an unterminated quote", {400, "statement.malformed"}},
      {"reconciliation of a JSON body", {415, "http.unsupported_media_type"}},
      {"reconciliation without a date", {400, "http.bad_query"}},
      {"reconciliation of an impossible date", {400, "http.bad_query"}},
      {"reconciliation by a counter officer", {403, "auth.forbidden"}},
      {"cash with an amount that is not a number", {400, "json.bad_field"}},
  };
  int n = 0;
  for (const Case& c : Cases()) {
    std::string bytes;
    if (c.what == "malformed bearer") {
      bytes =
          "GET /api/v1/dossiers HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
          "Authorization: Bearer a b c\r\n\r\n";
    } else {
      const std::string token = c.province_admin ? admin_token_ : c.officer ? token_ : "";
      bytes = Request(c.method, c.target, token, c.content_type, c.body, c.headers);
    }
    const RawReply r = Send(server_->port(), bytes);
    ASSERT_TRUE(r.received) << c.what << ": no response";
    EXPECT_GE(r.status, 400u) << c.what;
    EXPECT_LT(r.status, 500u) << c.what << ": " << r.body;
    EXPECT_TRUE(r.content_type.starts_with("application/json")) << c.what << ": " << r.content_type;
    auto body = json::Parse(r.body);
    ASSERT_TRUE(body.has_value() && body->is_object()) << c.what << ": " << r.body;
    const bj::object& o = body->get_object();
    if (!o.contains("code") || !o.at("code").is_string()) {
      // Not an error at all (an accepted request): reported, and the rest of the list still run.
      ADD_FAILURE() << c.what << ": no error code: " << r.body;
      std::cout << "  " << r.status << " (no code)  ← " << c.what << "\n";
      continue;
    }
    EXPECT_FALSE(o.at("code").get_string().empty()) << c.what;
    EXPECT_TRUE(o.contains("message")) << c.what;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << c.what << ": file content leaked";
    if (auto it = exact.find(c.what); it != exact.end()) {
      EXPECT_EQ(r.status, it->second.first) << c.what << ": " << r.body;
      EXPECT_EQ(o.at("code").get_string(), it->second.second) << c.what << ": " << r.body;
    }
    std::cout << "  " << r.status << " " << o.at("code").get_string() << "  ← " << c.what << "\n";
    ++n;
  }
  // The server still serves, the dossier is as it was, and the only new events are audit
  // records of refused or failed attempts.
  EXPECT_EQ(Send(server_->port(), Request("GET", "/api/v1/health", "", "", "")).status, 200u);
  auto after = store_->GetDossier(code_);
  ASSERT_TRUE(after.has_value() && after->has_value());
  EXPECT_EQ(**before, **after);
  const auto stats_after = store_->Stats();
  EXPECT_EQ(stats_after->dossiers, stats_before->dossiers);
  ASSERT_TRUE(store_
                  ->ForEachEvent(*head,
                                 [&](const Event& e) -> Result<void> {
                                   EXPECT_EQ(e.type, "ActionAudited") << e.stream;
                                   if (e.type == "ActionAudited") {
                                     EXPECT_NE(e.payload.at("outcome").as_string(), "done");
                                   }
                                   return {};
                                 })
                  .has_value());
  // Loses nothing, accepts nothing wrong: no payment came of any of it.
  EXPECT_EQ(CountEvents(*store_, "PaymentSucceeded"), 0);
  EXPECT_EQ(CountEvents(*store_, "StatementReconciled"), 0);
  EXPECT_GE(n, 40);
}

// Gateway notifications that do reach the route are answered in the protocol's own JSON
// (200 {"RspCode","Message"}), whatever they carry; a forged return goes to the public lookup.
// None of them pays anything.
TEST_F(BadInputTest, HostileGatewayNotificationsAreAnsweredAndPayNothing) {
  auto head = store_->HeadSeq();
  ASSERT_TRUE(head.has_value());
  auto before = store_->GetDossier(code_);
  ASSERT_TRUE(before.has_value() && before->has_value());
  const std::string ipn = "/api/v1/payments/gateway/ipn?";
  std::string many;  // about 9 KB: under the header limit, so the route sees every one
  for (int i = 0; i < 1000; ++i) many += (i ? "&p" : "p") + std::to_string(i) + "=1";
  pay::GatewayResult g;
  g.tmn_code = "MOTCUA01";
  g.txn_ref = "MC000000000T1";
  g.amount = 5000;
  g.transaction_no = "900";
  g.response_code = "00";
  g.transaction_status = "00";
  pay::Params forged = pay::NotificationParams(TestPaymentConfig().gateway, g, "x");
  forged["vnp_SecureHash"] = std::string(128, 'a');
  pay::Params other_secret =
      pay::NotificationParams({"", "MOTCUA01", "not-the-gateway-secret"}, g, "x");
  pay::Params long_hash = forged;
  long_hash["vnp_SecureHash"] = std::string(8000, 'f');
  struct Probe {
    std::string what;
    std::string query;
    std::string rsp;
  };
  const std::vector<Probe> probes = {
      {"1,000 parameters", many, "97"},
      {"an 8 KB reference", "vnp_TxnRef=" + std::string(8000, 'A') + "&vnp_SecureHash=00", "97"},
      {"no parameters", "", "97"},
      {"a forged hash", pay::CanonicalQuery(forged) + "&vnp_SecureHash=" + forged["vnp_SecureHash"],
       "97"},
      {"another secret's hash", pay::SignedQuery(other_secret, "not-the-gateway-secret"), "97"},
      {"an 8 KB hash",
       pay::CanonicalQuery(long_hash) + "&vnp_SecureHash=" + long_hash["vnp_SecureHash"], "97"},
      {"NUL and control characters", "vnp_TxnRef=%00%01%0A&vnp_Amount=%00&vnp_SecureHash=%00",
       "97"},
      {"invalid UTF-8", "vnp_OrderInfo=%FF%FE&vnp_SecureHash=00", "97"},
      {"an empty name and value", "=&vnp_SecureHash=", "97"},
  };
  for (const Probe& p : probes) {
    const RawReply r = Send(server_->port(), Request("GET", ipn + p.query, "", "", ""));
    ASSERT_TRUE(r.received) << p.what << ": no response";
    EXPECT_EQ(r.status, 200u) << p.what << ": " << r.body;
    EXPECT_TRUE(r.content_type.starts_with("application/json")) << p.what << ": " << r.content_type;
    auto body = json::Parse(r.body);
    ASSERT_TRUE(body.has_value() && body->is_object()) << p.what << ": " << r.body;
    const bj::object& o = body->get_object();
    ASSERT_TRUE(o.contains("RspCode") && o.at("RspCode").is_string()) << p.what << ": " << r.body;
    EXPECT_EQ(o.at("RspCode").get_string(), p.rsp) << p.what << ": " << r.body;
    EXPECT_TRUE(o.contains("Message")) << p.what;
    std::cout << "  " << r.status << " RspCode " << o.at("RspCode").get_string() << "  ← IPN with "
              << p.what << "\n";
  }
  // The payer's browser with a forged result: the public lookup, no dossier named.
  const RawReply ret =
      Send(server_->port(),
           Request("GET", "/api/v1/payments/gateway/return?" + probes[3].query, "", "", ""));
  ASSERT_TRUE(ret.received);
  EXPECT_EQ(ret.status, 303u) << ret.body;
  EXPECT_NE(ret.body.find("/#/tra-cuu"), std::string::npos) << ret.body;

  EXPECT_EQ(Send(server_->port(), Request("GET", "/api/v1/health", "", "", "")).status, 200u);
  EXPECT_EQ(*store_->HeadSeq(), *head);  // not a single event: unsigned input is not recorded
  auto after = store_->GetDossier(code_);
  ASSERT_TRUE(after.has_value() && after->has_value());
  EXPECT_EQ(**before, **after);
  EXPECT_EQ(CountEvents(*store_, "PaymentSucceeded"), 0);
  EXPECT_EQ(CountEvents(*store_, "PaymentRejected"), 0);
}

}  // namespace
}  // namespace motcua::http

namespace motcua::http {
namespace {

// Issue #8, the blob store: uploads that must be refused over the real socket — 200 MB declared,
// ~200 MB chunked (no Content-Length), a zip bomb, an executable named x.pdf, a truncated PDF,
// path-traversal names — each get a clear status and {code, message}, and afterwards the blob
// directory holds no blob and no temporary file and the log has no FileUploaded.
struct FullReply {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  std::string code;  // the JSON error code, if any
  int64_t sent = 0;  // body bytes the client managed to send
};

FullReply Read(beast::tcp_stream& stream, FullReply r) {
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(64 << 20);
  stream.expires_after(std::chrono::seconds(30));
  boost::system::error_code ec;
  beast::http::read(stream, buffer, parser, ec);
  if (ec) return r;
  r.status = parser.get().result_int();
  r.body = parser.get().body();
  for (const auto& field : parser.get()) {
    r.headers[std::string(field.name_string())] = std::string(field.value());
  }
  if (auto v = json::Parse(r.body); v && v->is_object()) {
    r.code = json::OptString(v->get_object(), "code").value_or("");
  }
  return r;
}

// A header, then `total` body bytes generated chunk by chunk (never held whole), sent chunked
// when `chunked`; sending stops as soon as the server has answered.
FullReply Stream(uint16_t port, const std::string& header, int64_t total, bool chunked,
                 const std::string& first = "") {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect({net::ip::make_address("127.0.0.1"), port});
  boost::system::error_code ec;
  net::write(stream.socket(), net::buffer(header), ec);
  FullReply r;
  const std::string filler(64 << 10, 'A');
  while (!ec && r.sent < total) {
    std::string piece = r.sent == 0 && !first.empty() ? first : filler;
    piece.resize(static_cast<size_t>(std::min<int64_t>(total - r.sent, piece.size())));
    std::string wire = piece;
    if (chunked) {
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
      wire = size + piece + "\r\n";
    }
    net::write(stream.socket(), net::buffer(wire), ec);
    if (!ec) r.sent += static_cast<int64_t>(piece.size());
    if (stream.socket().available(ec) > 0) break;  // refused: stop sending
  }
  if (!ec && chunked && r.sent >= total) net::write(stream.socket(), net::buffer("0\r\n\r\n", 5), ec);
  return Read(stream, r);
}

FullReply Upload(uint16_t port, const std::string& token, const std::string& name,
                 const std::string& type, const std::string& body, bool chunked = false) {
  std::string h = "POST /api/v1/files HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  h += "Authorization: Bearer " + token + "\r\nContent-Type: " + type + "\r\n";
  h += "X-File-Name: " + name + "\r\n";
  h += chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + std::to_string(body.size()) + "\r\n";
  h += "\r\n";
  return Stream(port, h, static_cast<int64_t>(body.size()), chunked, body);
}

std::string ValidPdf() {
  std::string body = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
  body += "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n";
  const size_t xref = body.size();
  body += "xref\n0 3\n0000000000 65535 f \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n" +
          std::to_string(xref) + "\n%%EOF\n";
  return body;
}

// A zip archive of one entry that inflates to 4 GiB (deflate of zeros), with its central
// directory: refused as an archive from its first bytes, never inflated.
std::string ZipBomb() {
  auto le16 = [](uint16_t v) { return std::string{static_cast<char>(v), static_cast<char>(v >> 8)}; };
  auto le32 = [&](uint32_t v) { return le16(static_cast<uint16_t>(v)) + le16(static_cast<uint16_t>(v >> 16)); };
  const std::string name = "zeros.bin";
  const std::string data(4096, '\0');  // stands in for the compressed stream
  std::string local = "PK\x03\x04" + le16(20) + le16(0) + le16(8) + le32(0) + le32(0) +
                      le32(static_cast<uint32_t>(data.size())) + le32(0xFFFFFFFFu) +
                      le16(static_cast<uint16_t>(name.size())) + le16(0) + name + data;
  std::string central = "PK\x01\x02" + le16(20) + le16(20) + le16(0) + le16(8) + le32(0) +
                        le32(0) + le32(static_cast<uint32_t>(data.size())) + le32(0xFFFFFFFFu) +
                        le16(static_cast<uint16_t>(name.size())) + le16(0) + le16(0) + le16(0) +
                        le16(0) + le32(0) + le32(0) + name;
  std::string end = "PK\x05\x06" + le16(0) + le16(0) + le16(1) + le16(1) +
                    le32(static_cast<uint32_t>(central.size())) +
                    le32(static_cast<uint32_t>(local.size())) + le16(0);
  return local + central + end;
}

class BlobUploadTest : public BadInputTest {
 protected:
  // Regular files under the blob directory but its lock file: blobs and temporary files.
  std::vector<std::string> BlobFiles() const {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::exists(spool_ / "files", ec)) return out;
    for (const auto& e : fs::recursive_directory_iterator(spool_ / "files")) {
      if (e.is_regular_file() && e.path().filename() != ".lock") out.push_back(e.path().string());
    }
    return out;
  }
};

TEST_F(BlobUploadTest, HostileUploadsAreRefusedClearlyAndLeaveNothing) {
  const uint16_t port = server_->port();
  const std::string pdf = ValidPdf();
  std::string elf("\x7f" "ELF\x02\x01\x01\x00", 8);
  elf += std::string(4000, '\x90');
  std::string mz("MZ\x90\x00\x03\x00\x00\x00", 8);
  mz += std::string(4000, '\0');
  struct Refusal {
    std::string what;
    FullReply reply;
    unsigned status;
    std::string code;
  };
  std::vector<Refusal> refused;
  {
    // 200 MB declared: refused from the header, before a byte of the body is read.
    std::string h = "POST /api/v1/files HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
    h += "Authorization: Bearer " + token_ + "\r\nContent-Type: application/pdf\r\n";
    h += "X-File-Name: big.pdf\r\nContent-Length: 209715200\r\n\r\n";
    refused.push_back({"200 MB declared", Stream(port, h, 1 << 20, false, "%PDF-1.4\n"), 413,
                       "http.body_too_large"});
  }
  {
    // ~200 MB chunked: cut off at the file limit while it streams.
    std::string h = "POST /api/v1/files HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
    h += "Authorization: Bearer " + token_ + "\r\nContent-Type: application/pdf\r\n";
    h += "X-File-Name: big.pdf\r\nTransfer-Encoding: chunked\r\n\r\n";
    FullReply big = Stream(port, h, 200ll << 20, true, "%PDF-1.4\n");
    EXPECT_LT(big.sent, 100ll << 20) << "the client was stopped well before 200 MB";
    refused.push_back({"200 MB chunked", big, 413, "file.too_large"});
  }
  refused.push_back({"zip bomb", Upload(port, token_, "ho-so.pdf", "application/pdf", ZipBomb()),
                     415, "file.archive"});
  refused.push_back({"zip bomb as zip", Upload(port, token_, "ho-so.zip", "application/zip", ZipBomb()),
                     415, "file.archive"});
  refused.push_back({"ELF named x.pdf", Upload(port, token_, "x.pdf", "application/pdf", elf), 415,
                     "file.executable"});
  refused.push_back({"PE named x.pdf", Upload(port, token_, "x.pdf", "application/pdf", mz), 415,
                     "file.executable"});
  refused.push_back({"truncated PDF",
                     Upload(port, token_, "x.pdf", "application/pdf", pdf.substr(0, pdf.size() / 2)),
                     400, "file.truncated"});
  refused.push_back({"truncated PDF, chunked",
                     Upload(port, token_, "x.pdf", "application/pdf", pdf.substr(0, pdf.size() / 2), true),
                     400, "file.truncated"});
  for (const char* name : {"..%2F..%2Fetc%2Fpasswd", "..%5C..%5Cx.pdf", "%2Fetc%2Fpasswd",
                           "C%3A%5Cx.pdf", "a%00b.pdf", "a%0Ab.pdf", "..", ""}) {
    refused.push_back({std::string("name ") + name,
                       Upload(port, token_, name, "application/pdf", pdf), 400, "file.bad_name"});
  }
  for (const Refusal& r : refused) {
    EXPECT_EQ(r.reply.status, r.status) << r.what << ": " << r.reply.body;
    EXPECT_EQ(r.reply.code, r.code) << r.what << ": " << r.reply.body;
    EXPECT_NE(r.reply.body.find("\"message\""), std::string::npos) << r.what;
    std::cout << "  " << r.reply.status << " " << r.reply.code << "  ← " << r.what << "\n";
  }
  // The server may still be finishing the last response's bookkeeping: give it a moment.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(BlobFiles().empty()) << BlobFiles().front();
  EXPECT_EQ(CountEvents(*store_, "FileUploaded"), 0);
  EXPECT_EQ(Send(port, Request("GET", "/api/v1/health", "", "", "")).status, 200u);
}

TEST_F(BlobUploadTest, UploadsStreamInAndDownloadsStreamOut) {
  const uint16_t port = server_->port();
  const std::string pdf = ValidPdf();
  FullReply plain = Upload(port, token_, "giay-khai-sinh.pdf", "application/pdf", pdf);
  ASSERT_EQ(plain.status, 201u) << plain.body;
  FullReply chunked = Upload(port, token_, "ban-sao.pdf", "application/pdf", pdf, true);
  ASSERT_EQ(chunked.status, 201u) << chunked.body;
  auto a = json::Parse(plain.body)->get_object();
  auto b = json::Parse(chunked.body)->get_object();
  EXPECT_EQ(a.at("sha256"), b.at("sha256")) << "the same bytes, stored once";
  EXPECT_EQ(a.at("size").as_int64(), static_cast<int64_t>(pdf.size()));
  EXPECT_EQ(BlobFiles().size(), 1u) << "one blob, no temporary file";
  EXPECT_EQ(CountEvents(*store_, "FileUploaded"), 2);
  // The blob row counts both records.
  auto row = store_->GetCatalog("blob", a.at("sha256").as_string());
  ASSERT_TRUE(row.has_value() && row->has_value());
  EXPECT_EQ(json::OptInt(json::Parse((*row)->doc)->get_object(), "refs"), 2);

  const std::string id(a.at("id").as_string());
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect({net::ip::make_address("127.0.0.1"), port});
  net::write(stream.socket(),
             net::buffer(Request("GET", "/api/v1/files/" + id, token_, "", "")));
  FullReply got = Read(stream, {});
  ASSERT_EQ(got.status, 200u) << got.body;
  EXPECT_EQ(got.body, pdf);
  EXPECT_EQ(got.headers["Content-Type"], "application/pdf");
  EXPECT_EQ(got.headers["Content-Length"], std::to_string(pdf.size()));
  EXPECT_NE(got.headers["Content-Disposition"].find("giay-khai-sinh.pdf"), std::string::npos);
  EXPECT_EQ(got.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(got.headers["Cache-Control"], "private, no-store");
  EXPECT_FALSE(got.headers["Content-Security-Policy"].empty());
  // A damaged blob is reported, never served.
  {
    std::ofstream out(blobs_->PathOf(std::string(a.at("sha256").as_string())), std::ios::trunc);
    out << "%PDF-1.4 changed";
  }
  EXPECT_EQ(Send(port, Request("GET", "/api/v1/files/" + id, token_, "", "")).status, 500u);
}

}  // namespace
}  // namespace motcua::http
