// The payment routes through Api::Handle on a real SQLite store, with a real app::Payments and
// Documents + Pki (the receipt is sealed): a citizen starts a gateway payment, the gateway's IPN
// is answered in the protocol's JSON (00, 02, 97, 01, 04), the payer's return redirects to the
// dossier, the dossier shows what was paid, the sealed receipt and the VietQR code, the bank's
// signed credit notifications, the reconciliation of a statement, and the bodies the counter's
// cash, waiver and refund routes refuse.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <map>

#include "app/documents.h"
#include "app/lifecycle.h"
#include "app/payments.h"
#include "app/pki.h"
#include "base/json.h"
#include "http/auth.h"
#include "http/routes.h"
#include "pay/bank.h"
#include "pay/gateway.h"
#include "pay/vietqr.h"
#include "sign/document.h"
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

constexpr std::string_view kGatewaySecret = "gateway-secret-for-tests";
constexpr std::string_view kBankSecret = "bank-secret-for-tests";
constexpr std::string_view kCitizenId = "051095000123";

pay::PaymentConfig TestConfig() {
  pay::PaymentConfig c;
  c.gateway = {"http://127.0.0.1:9/paymentv2/vpcpay.html", "MOTCUA01", std::string(kGatewaySecret)};
  c.platform = "province";
  c.ipn_url = "http://127.0.0.1:8080/api/v1/payments/gateway/ipn";
  c.return_url = "http://127.0.0.1:8080/api/v1/payments/gateway/return";
  c.bank = {"970415", "0011001932418", "KHO BAC TINH SONG TRA",
            "http://127.0.0.1:8080/api/v1/payments/bank/notify", std::string(kBankSecret)};
  return c;
}

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

// Every parameter (vnp_SecureHash included) as a query string, in the gateway's encoding.
std::string QueryOf(const pay::Params& params) {
  std::string q;
  for (const auto& [k, v] : params) {
    q += (q.empty() ? "" : "&") + pay::FormEncode(k) + "=" + pay::FormEncode(v);
  }
  return q;
}

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

class PaymentRoutesTest : public ::testing::Test {
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
    messages_ =
        std::make_unique<MessageCatalog>(MessageCatalog::Load(DataDir() / "messages.json").value());
    dir_ = fs::temp_directory_path() /
           ("motcua-payroutes-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    unit_ = catalog_->units().UnitsOn(domain::UnitLevel::kCommune, {2026, 3, 3}).at(0)->code;
    root_ = catalog_->units().Root()->code;

    blobs_ = std::make_unique<app::BlobStore>(dir_ / "files");
    pki_ = std::make_unique<app::Pki>(
        *store_, lifecycle_->access(), clock_, kek_,
        app::PkiOptions{sign::KeyAlgorithm::kEcP256, "motcua", "Sông Trà", "", 20});
    ASSERT_TRUE(pki_->Init(app::Actor::System()).has_value());
    // The receiving unit's seal signs its receipts (as documents_test issues it).
    ASSERT_TRUE(pki_->Issue(app::Actor::System(),
                            {sign::CertKind::kOrganisation, "unit:" + unit_, "", "MNS:1098765", 2})
                    .has_value());
    documents_ = std::make_unique<app::Documents>(
        *store_, catalog_, *pki_, *blobs_, lifecycle_->access(), clock_,
        app::LoadResultTemplates(DataDir() / "results" / "templates.json").value(),
        app::DocumentOptions{"https://motcua.test", "Sông Trà", sign::kDefaultFontPath});
    payments_ = std::make_unique<app::Payments>(*lifecycle_, TestConfig(), documents_.get());

    auth_.actors["citizen"] =
        app::Actor{app::Actor::Kind::kCitizen, std::string(kCitizenId), "", {}};
    auth_.actors["officer"] = app::Actor{
        app::Actor::Kind::kOfficer, unit_ + ".one_stop_officer", unit_, {"one_stop_officer"}};
    auth_.actors["admin"] = app::Actor{
        app::Actor::Kind::kOfficer, root_ + ".province_admin", root_, {"province_admin"}};
    api_ = std::make_unique<Api>(*lifecycle_, nullptr, auth_, *messages_,
                                 ApiServices{nullptr, nullptr, nullptr, nullptr, pki_.get(),
                                             documents_.get(), payments_.get()});
  }
  void TearDown() override { fs::remove_all(dir_); }

  Response Send(verb method, const std::string& target, const std::string& as = {},
                const std::string& body = {}, const std::string& type = "application/json",
                const std::string& signature = {}) const {
    Request req{method, target, 11};
    req.set(beast_http::field::host, "localhost");
    if (!as.empty()) req.set("X-Test-As", as);
    if (!signature.empty()) req.set("X-Signature", signature);
    if (!body.empty()) {
      req.set(beast_http::field::content_type, type);
      req.body() = body;
    }
    req.prepare_payload();
    return api_->Handle(req, RequestMeta{"payment-routes-test", "127.0.0.1", false});
  }
  static bj::object Json(const Response& r) {
    auto v = json::Parse(r.body);
    if (!v || !v->is_object()) {
      ADD_FAILURE() << "not a JSON object: " << r.body;
      return {};
    }
    return v->get_object();
  }
  static std::string CodeOf(const Response& r) {
    const bj::object o = Json(r);
    const bj::value* c = o.if_contains("code");
    return c && c->is_string() ? std::string(c->get_string()) : std::string("<none>");
  }

  // The citizen submits `procedure` online over the API; returns the dossier JSON.
  bj::object Submit(const std::string& procedure) {
    bj::array components;
    for (const auto& c : catalog_->procedures().Find(procedure)->components) {
      if (c.required) components.push_back(bj::object{{"code", c.code}});
    }
    bj::object body{{"procedure_code", procedure},
                    {"channel", "online"},
                    {"receiving_unit", unit_},
                    {"competent_unit", unit_},
                    {"applicant", bj::object{{"id_number", kCitizenId}, {"name", "Nguyễn Văn An"}}},
                    {"components", std::move(components)}};
    Response r = Send(verb::post, "/api/v1/dossiers", "citizen", bj::serialize(body));
    EXPECT_EQ(r.status, 201u) << r.body;
    return Json(r);
  }
  static std::string Str(const bj::object& o, std::string_view key) {
    const bj::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  }
  static std::string ReferenceOf(const bj::object& dossier) {
    return Str(dossier.at("payment").as_object(), "reference");
  }

  // The gateway's signed notification of one transaction for order `txn_ref`.
  static pay::Params Notification(const std::string& txn_ref, int64_t amount,
                                  const std::string& txn, const std::string& response = "00") {
    pay::GatewayResult g;
    g.tmn_code = "MOTCUA01";
    g.txn_ref = txn_ref;
    g.amount = amount;
    g.transaction_no = txn;
    g.bank_code = "NCB";
    g.bank_tran_no = "VNP" + txn;
    g.response_code = response;
    g.transaction_status = response == "00" ? "00" : "02";
    g.pay_date = "20260303093000";
    return pay::NotificationParams(TestConfig().gateway, g, "Thanh toan le phi");
  }
  Response Ipn(const pay::Params& p) const {
    return Send(verb::get, "/api/v1/payments/gateway/ipn?" + QueryOf(p));
  }
  static std::string RspCodeOf(const Response& r) {
    const bj::object o = Json(r);
    return Str(o, "RspCode");
  }
  int Count(const std::string& type) const {
    store::EventQuery q;
    q.type = type;
    q.limit = 10000;
    return static_cast<int>(store_->QueryEvents(q).value().size());
  }
  std::string Credit(const std::string& id, int64_t amount, const std::string& content) const {
    return pay::BankCreditJson(
        {id, "0011001932418", amount, content, clock_.Now(), "in", "970415"});
  }

  FixedClock clock_{FromVietnamLocal({2026, 3, 3}, 9 * 60)};
  secure::SecretKey kek_ = secure::SecretKey::FromBytes(std::string(32, 'k')).value();
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const app::Catalog> catalog_;
  std::unique_ptr<app::Lifecycle> lifecycle_;
  std::unique_ptr<MessageCatalog> messages_;
  fs::path dir_;
  std::string unit_;
  std::string root_;
  std::unique_ptr<app::BlobStore> blobs_;
  std::unique_ptr<app::Pki> pki_;
  std::unique_ptr<app::Documents> documents_;
  std::unique_ptr<app::Payments> payments_;
  TestAuthenticator auth_;
  std::unique_ptr<Api> api_;
};

TEST_F(PaymentRoutesTest, TheGatewayUrlIsSignedForTheAmountDue) {
  const bj::object d = Submit("1.004873");  // marital status certificate: 5.000 ₫
  const std::string code = Str(d, "code");
  ASSERT_FALSE(code.empty());
  EXPECT_EQ(Str(d.at("payment").as_object(), "state"), "due");
  EXPECT_EQ(d.at("payment").at("amount_due").to_number<int64_t>(), 5000);

  // Anonymous may not start it; the applicant may.
  EXPECT_EQ(Send(verb::post, "/api/v1/dossiers/" + code + "/payments/gateway").status, 401u);
  Response r = Send(verb::post, "/api/v1/dossiers/" + code + "/payments/gateway", "citizen");
  ASSERT_EQ(r.status, 200u) << r.body;
  const std::string url = Str(Json(r), "url");
  ASSERT_TRUE(url.starts_with(TestConfig().gateway.url + "?")) << url;
  auto params = pay::ParseQuery(url.substr(url.find('?') + 1));
  ASSERT_TRUE(params.has_value()) << params.error().ToString();
  auto order = pay::VerifyOrder(TestConfig().gateway, *params);
  ASSERT_TRUE(order.has_value()) << order.error().ToString();
  EXPECT_EQ(params->at("vnp_Amount"), "500000");
  EXPECT_EQ(order->amount, 5000);
  EXPECT_EQ(order->txn_ref, ReferenceOf(d) + "T1");
  EXPECT_EQ(order->return_url, TestConfig().return_url);

  // A body or a query the route does not take.
  EXPECT_EQ(CodeOf(Send(verb::post, "/api/v1/dossiers/" + code + "/payments/gateway", "citizen",
                        R"({"amount":1})")),
            "json.bad_field");
  EXPECT_EQ(CodeOf(Send(verb::post, "/api/v1/dossiers/" + code + "/payments/gateway?amount=1",
                        "citizen")),
            "http.bad_query");
  // Another citizen's dossier does not exist for them.
  auth_.actors["stranger"] = app::Actor{app::Actor::Kind::kCitizen, "001099000111", "", {}};
  EXPECT_EQ(Send(verb::post, "/api/v1/dossiers/" + code + "/payments/gateway", "stranger").status,
            404u);
}

TEST_F(PaymentRoutesTest, TheIpnIsAnsweredInTheProtocolsJsonAndPaysOnce) {
  const bj::object a = Submit("1.004873");
  const bj::object b = Submit("1.004873");
  const std::string order_a = ReferenceOf(a) + "T1";
  const std::string order_b = ReferenceOf(b) + "T1";

  Response first = Ipn(Notification(order_a, 5000, "101"));
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(first.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(first.body, pay::IpnAnswer("00"));
  const bj::object answer = Json(first);
  EXPECT_EQ(answer.size(), 2u) << first.body;  // exactly RspCode and Message
  EXPECT_EQ(Str(answer, "RspCode"), "00");
  EXPECT_FALSE(Str(answer, "Message").empty());

  Response again = Ipn(Notification(order_a, 5000, "101"));
  EXPECT_EQ(again.status, 200u);
  EXPECT_EQ(again.body, pay::IpnAnswer("02"));
  EXPECT_TRUE(again.content_type.starts_with("application/json"));

  const int64_t head = store_->HeadSeq().value();
  pay::Params tampered = Notification(order_b, 5000, "102");
  tampered["vnp_Amount"] = "50000000";
  Response bad_sig = Ipn(tampered);
  EXPECT_EQ(bad_sig.status, 200u);
  EXPECT_EQ(RspCodeOf(bad_sig), "97") << bad_sig.body;
  pay::Params unsigned_params = Notification(order_b, 5000, "102");
  unsigned_params.erase("vnp_SecureHash");
  EXPECT_EQ(RspCodeOf(Ipn(unsigned_params)), "97");
  EXPECT_EQ(RspCodeOf(Send(verb::get, "/api/v1/payments/gateway/ipn")), "97");
  Response unknown = Ipn(Notification("MC000000000T1", 5000, "103"));
  EXPECT_EQ(RspCodeOf(unknown), "01") << unknown.body;
  EXPECT_EQ(store_->HeadSeq().value(), head);  // nothing of these reached the log

  Response short_pay = Ipn(Notification(order_b, 4000, "104"));
  EXPECT_EQ(RspCodeOf(short_pay), "04") << short_pay.body;
  EXPECT_TRUE(short_pay.content_type.starts_with("application/json"));

  EXPECT_EQ(Count("PaymentSucceeded"), 1);
  EXPECT_EQ(Count("PaymentRejected"), 1);
  Response b_now = Send(verb::get, "/api/v1/dossiers/" + Str(b, "code"), "citizen");
  ASSERT_EQ(b_now.status, 200u);
  EXPECT_EQ(Str(Json(b_now).at("payment").as_object(), "state"), "due");
}

TEST_F(PaymentRoutesTest, TheReturnRedirectsToTheDossierAndTheDossierShowsThePayment) {
  const bj::object a = Submit("1.004873");
  const bj::object b = Submit("1.004873");
  const std::string code_a = Str(a, "code");
  const std::string code_b = Str(b, "code");

  // The payer comes back before any IPN: the return records the payment itself.
  Response ok = Send(verb::get, "/api/v1/payments/gateway/return?" +
                                    QueryOf(Notification(ReferenceOf(a) + "T1", 5000, "201")));
  EXPECT_EQ(ok.status, 303u) << ok.body;
  EXPECT_EQ(HeaderOf(ok, "Location"), "/#/ho-so/" + code_a + "?thanh-toan=ok");
  // The IPN that follows confirms what was already recorded.
  EXPECT_EQ(RspCodeOf(Ipn(Notification(ReferenceOf(a) + "T1", 5000, "201"))), "02");
  // A cancelled attempt (24) on another dossier.
  Response cancelled =
      Send(verb::get, "/api/v1/payments/gateway/return?" +
                          QueryOf(Notification(ReferenceOf(b) + "T1", 5000, "202", "24")));
  EXPECT_EQ(cancelled.status, 303u) << cancelled.body;
  EXPECT_EQ(HeaderOf(cancelled, "Location"), "/#/ho-so/" + code_b + "?thanh-toan=loi");
  EXPECT_EQ(Count("PaymentFailed"), 1);
  // An unsigned return knows no dossier.
  pay::Params forged = Notification(ReferenceOf(b) + "T1", 5000, "203");
  forged["vnp_SecureHash"] = std::string(128, '0');
  Response lost = Send(verb::get, "/api/v1/payments/gateway/return?" + QueryOf(forged));
  EXPECT_EQ(lost.status, 303u);
  EXPECT_EQ(HeaderOf(lost, "Location"), "/#/tra-cuu");

  Response r = Send(verb::get, "/api/v1/dossiers/" + code_a, "citizen");
  ASSERT_EQ(r.status, 200u) << r.body;
  const bj::object payment = Json(r).at("payment").as_object();
  EXPECT_EQ(Str(payment, "state"), "paid");
  ASSERT_TRUE(payment.at("payments").is_array());
  ASSERT_EQ(payment.at("payments").as_array().size(), 1u) << bj::serialize(payment);
  const bj::object p0 = payment.at("payments").at(0).as_object();
  EXPECT_EQ(Str(p0, "channel"), "gateway");
  EXPECT_EQ(p0.at("amount").to_number<int64_t>(), 5000);
  EXPECT_EQ(Str(p0, "transaction_no"), "201");
  // 09:30 Vietnam time is 02:30 UTC.
  ASSERT_TRUE(p0.at("paid_at").is_string()) << bj::serialize(p0);
  EXPECT_TRUE(Str(p0, "paid_at").starts_with("2026-03-03T02:30:00")) << Str(p0, "paid_at");
  ASSERT_TRUE(p0.contains("paid_at_vi")) << bj::serialize(p0);
  EXPECT_EQ(Str(p0, "paid_at_vi"), "03/03/2026 09:30");

  Response still_due = Send(verb::get, "/api/v1/dossiers/" + code_b, "citizen");
  EXPECT_EQ(Str(Json(still_due).at("payment").as_object(), "state"), "due");
}

TEST_F(PaymentRoutesTest, TheReceiptIsASealedPdfAndTheVietQrOnlyWhileDue) {
  const bj::object paid = Submit("1.004873");
  const bj::object due = Submit("1.004873");
  const std::string code_paid = Str(paid, "code");
  const std::string code_due = Str(due, "code");

  Response not_yet =
      Send(verb::get, "/api/v1/dossiers/" + code_paid + "/payments/receipt.pdf", "citizen");
  EXPECT_EQ(not_yet.status, 409u) << not_yet.body;
  EXPECT_EQ(CodeOf(not_yet), "dossier.not_paid");
  ASSERT_EQ(RspCodeOf(Ipn(Notification(ReferenceOf(paid) + "T1", 5000, "301"))), "00");

  Response pdf =
      Send(verb::get, "/api/v1/dossiers/" + code_paid + "/payments/receipt.pdf", "citizen");
  ASSERT_EQ(pdf.status, 200u) << pdf.body;
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_TRUE(pdf.body.starts_with("%PDF")) << pdf.body.substr(0, 16);
  EXPECT_EQ(HeaderOf(pdf, "X-Signed"), "true");
  EXPECT_FALSE(HeaderOf(pdf, "X-Verify-Code").empty());
  EXPECT_NE(HeaderOf(pdf, "Content-Disposition").find(code_paid + "-BL.pdf"), std::string::npos);
  EXPECT_EQ(Send(verb::get, "/api/v1/dossiers/" + code_paid + "/payments/receipt.pdf").status,
            401u);

  Response closed =
      Send(verb::get, "/api/v1/dossiers/" + code_paid + "/payments/vietqr", "citizen");
  EXPECT_EQ(closed.status, 409u) << closed.body;
  EXPECT_EQ(CodeOf(closed), "dossier.payment_not_due");

  Response qr = Send(verb::get, "/api/v1/dossiers/" + code_due + "/payments/vietqr", "citizen");
  ASSERT_EQ(qr.status, 200u) << qr.body;
  const bj::object view = Json(qr);
  auto parsed = pay::ParseVietQr(Str(view, "payload"));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->amount, 5000);
  EXPECT_EQ(parsed->purpose, ReferenceOf(due));
  EXPECT_EQ(parsed->bin, "970415");
  EXPECT_EQ(parsed->account, "0011001932418");
  EXPECT_EQ(view.at("amount").to_number<int64_t>(), 5000);
  EXPECT_EQ(Str(view, "reference"), ReferenceOf(due));
  EXPECT_TRUE(Str(view, "svg").starts_with("<")) << Str(view, "svg").substr(0, 32);
  EXPECT_EQ(qr.body.find(kBankSecret), std::string::npos);  // the notification secret stays home
  EXPECT_EQ(
      Send(verb::get, "/api/v1/dossiers/" + code_due + "/payments/vietqr?x=1", "citizen").status,
      400u);
}

TEST_F(PaymentRoutesTest, BankNotificationsAreSignedAndRecordedOnce) {
  const bj::object d = Submit("1.004873");
  const std::string body = Credit("FT26001", 5000, "IBFT " + ReferenceOf(d) + " nop le phi");
  const std::string sig = pay::SignBody(body, kBankSecret);

  Response first =
      Send(verb::post, "/api/v1/payments/bank/notify", "", body, "application/json", sig);
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(Str(Json(first), "status"), "recorded");
  EXPECT_EQ(Str(Json(first), "dossier"), Str(d, "code"));
  Response again =
      Send(verb::post, "/api/v1/payments/bank/notify", "", body, "application/json", sig);
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(Str(Json(again), "status"), "duplicate");

  Response wrong = Send(verb::post, "/api/v1/payments/bank/notify", "", body, "application/json",
                        pay::SignBody(body, "another-secret"));
  EXPECT_EQ(wrong.status, 401u) << wrong.body;
  EXPECT_EQ(CodeOf(wrong), "bank.bad_signature");
  Response missing = Send(verb::post, "/api/v1/payments/bank/notify", "", body);
  EXPECT_EQ(missing.status, 401u) << missing.body;
  EXPECT_EQ(CodeOf(missing), "bank.bad_signature");

  const std::string garbage = "this is not JSON";
  Response malformed = Send(verb::post, "/api/v1/payments/bank/notify", "", garbage,
                            "application/json", pay::SignBody(garbage, kBankSecret));
  EXPECT_EQ(malformed.status, 400u) << malformed.body;
  EXPECT_EQ(CodeOf(malformed), "bank.malformed");

  EXPECT_EQ(Count("PaymentSucceeded"), 1);
  Response r = Send(verb::get, "/api/v1/dossiers/" + Str(d, "code"), "citizen");
  const bj::object payment = Json(r).at("payment").as_object();
  EXPECT_EQ(Str(payment, "state"), "paid");
  EXPECT_EQ(Str(payment.at("payments").at(0).as_object(), "channel"), "bank_transfer");
}

TEST_F(PaymentRoutesTest, TheProvinceReconcilesTheBanksStatement) {
  const bj::object a = Submit("1.004873");
  const bj::object b = Submit("1.004873");
  ASSERT_EQ(RspCodeOf(Ipn(Notification(ReferenceOf(a) + "T1", 5000, "401"))), "00");
  const std::string credit = Credit("FT26002", 5000, ReferenceOf(b));
  ASSERT_EQ(Send(verb::post, "/api/v1/payments/bank/notify", "", credit, "application/json",
                 pay::SignBody(credit, kBankSecret))
                .status,
            200u);
  // a matches; b's credit is on the statement; a stranger's credit is not known.
  const std::string csv = "transaction_id,date,amount,reference,content\r\n401,03/03/2026,5.000," +
                          ReferenceOf(a) + ",\r\nFT26002,03/03/2026,5000,," + ReferenceOf(b) +
                          " nop phi\r\nFT99999,03/03/2026,\"12,000\",,chuyen khoan khong ro\r\n";
  const std::string target = "/api/v1/payments/reconciliations?date=2026-03-03";

  Response officer = Send(verb::post, target, "officer", csv, "text/csv");
  EXPECT_EQ(officer.status, 403u) << officer.body;
  Response r = Send(verb::post, target, "admin", csv, "text/csv; charset=utf-8");
  ASSERT_EQ(r.status, 200u) << r.body;
  const bj::object report = Json(r);
  EXPECT_EQ(Str(report, "date"), "2026-03-03");
  EXPECT_EQ(report.at("lines").to_number<int64_t>(), 3);
  EXPECT_EQ(report.at("matched").to_number<int64_t>(), 2);
  EXPECT_EQ(report.at("matched_amount").to_number<int64_t>(), 10000);
  ASSERT_EQ(report.at("mismatches").as_array().size(), 1u) << r.body;
  EXPECT_EQ(Str(report.at("mismatches").at(0).as_object(), "kind"), "paid_but_unknown");
  EXPECT_EQ(Str(report.at("mismatches").at(0).as_object(), "transaction_id"), "FT99999");

  Response json_body = Send(verb::post, target, "admin", R"({"csv":"x"})", "application/json");
  EXPECT_EQ(json_body.status, 415u) << json_body.body;
  EXPECT_EQ(CodeOf(json_body), "http.unsupported_media_type");
  Response no_date = Send(verb::post, "/api/v1/payments/reconciliations", "admin", csv, "text/csv");
  EXPECT_EQ(no_date.status, 400u) << no_date.body;
  EXPECT_EQ(CodeOf(no_date), "http.bad_query");
  Response bad_date = Send(verb::post, "/api/v1/payments/reconciliations?date=03/03/2026", "admin",
                           csv, "text/csv");
  EXPECT_EQ(CodeOf(bad_date), "http.bad_query");
  Response bad_amount =
      Send(verb::post, target, "admin",
           "transaction_id,date,amount,reference\n1,03/03/2026,abc,MC1\n", "text/csv");
  EXPECT_EQ(bad_amount.status, 400u) << bad_amount.body;
  EXPECT_EQ(CodeOf(bad_amount), "statement.bad_amount");

  Response stored = Send(verb::get, "/api/v1/payments/reconciliations/2026-03-03", "admin");
  ASSERT_EQ(stored.status, 200u) << stored.body;
  EXPECT_EQ(Json(stored), report);
  Response other = Send(verb::get, "/api/v1/payments/reconciliations/2026-03-04", "admin");
  EXPECT_EQ(other.status, 404u) << other.body;
  EXPECT_EQ(CodeOf(other), "payment.no_reconciliation");
  EXPECT_EQ(CodeOf(Send(verb::get, "/api/v1/payments/reconciliations/yesterday", "admin")),
            "http.bad_query");
  EXPECT_EQ(Send(verb::get, "/api/v1/payments/reconciliations/2026-03-03").status, 401u);
}

TEST_F(PaymentRoutesTest, CounterRoutesRefuseBadBodies) {
  const bj::object d = Submit("1.004873");
  const std::string base = "/api/v1/dossiers/" + Str(d, "code") + "/payments/";
  struct BadBody {
    std::string route;
    std::string body;
  };
  const std::vector<BadBody> bad = {
      {"cash", "{}"},
      {"cash", R"({"amount":"abc"})"},
      {"cash", R"({"amount":-5})"},
      {"cash", R"({"amount":0})"},
      {"cash", R"({"amount":5000,"note":"x"})"},
      {"cash", R"({"amount":null})"},
      {"waive", R"({"exemption":"ho_ngheo"})"},
      {"waive", R"({"reason":"Sổ hộ nghèo"})"},
      {"waive", R"({"exemption":"ho_ngheo","reason":"x","amount":0})"},
      {"waive", R"({"exemption":"ho_ngheo","reason":""})"},
      {"refund", "{}"},
      {"refund", R"({"reason":"x","amount":5000})"},
      {"refund", R"({"reason":5})"},
  };
  const int64_t head = store_->HeadSeq().value();
  for (const BadBody& c : bad) {
    Response r = Send(verb::post, base + c.route, "officer", c.body);
    EXPECT_EQ(r.status, 400u) << c.route << " " << c.body << ": " << r.body;
    EXPECT_EQ(CodeOf(r), "json.bad_field") << c.route << " " << c.body << ": " << r.body;
  }
  EXPECT_EQ(store_->HeadSeq().value(), head);  // a bad body never reaches the use case

  Response wrong = Send(verb::post, base + "cash", "officer", R"({"amount":4000})");
  EXPECT_EQ(wrong.status, 400u) << wrong.body;
  EXPECT_EQ(CodeOf(wrong), "payment.amount_mismatch");
  Response citizen = Send(verb::post, base + "cash", "citizen", R"({"amount":5000})");
  EXPECT_EQ(citizen.status, 404u) << citizen.body;
  EXPECT_EQ(Send(verb::post, base + "refund", "officer", R"({"reason":"x"})").status, 409u);

  Response cash = Send(verb::post, base + "cash", "officer", R"({"amount":5000})");
  ASSERT_EQ(cash.status, 200u) << cash.body;
  EXPECT_EQ(Str(Json(cash).at("payment").as_object(), "state"), "paid");
  Response twice = Send(verb::post, base + "cash", "officer", R"({"amount":5000})");
  EXPECT_EQ(twice.status, 409u) << twice.body;
  EXPECT_EQ(CodeOf(twice), "dossier.payment_not_due");
  Response refund =
      Send(verb::post, base + "refund", "officer", R"({"reason":"Nộp nhầm, hoàn trả"})");
  ASSERT_EQ(refund.status, 200u) << refund.body;
  EXPECT_EQ(Str(Json(refund).at("payment").as_object(), "state"), "refunded");

  const bj::object e = Submit("1.004873");
  Response waived =
      Send(verb::post, "/api/v1/dossiers/" + Str(e, "code") + "/payments/waive", "officer",
           R"({"exemption":"ho_ngheo","reason":"Sổ hộ nghèo 2026 số 15"})");
  ASSERT_EQ(waived.status, 200u) << waived.body;
  EXPECT_EQ(Str(Json(waived).at("payment").as_object(), "state"), "waived");
  EXPECT_EQ(Count("PaymentSucceeded"), 1);
}

}  // namespace
}  // namespace motcua::http
