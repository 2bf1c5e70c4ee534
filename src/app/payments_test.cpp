// Payments through the app layer on a real store (SQLite as payments_test, PostgreSQL as
// payments_pgtest): gateway notifications verified and recorded once whatever their number and
// order, bank credits matched by reference, cash at the counter, the guards on receipt and
// return, the sealed electronic receipt, and the reconciliation finding each planted mismatch;
// verify and rebuild agree with the log afterwards.
#include "app/payments.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "app/projection.h"
#include "pay/bank.h"
#include "pay/gateway.h"
#include "pay/vietqr.h"
#include "store/testing.h"

#ifndef MOTCUA_STORE_BACKEND
#error "MOTCUA_STORE_BACKEND must name the backend under test"
#endif

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
using domain::PaymentState;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".") / "data";
}

pay::PaymentConfig TestConfig() {
  pay::PaymentConfig c;
  c.gateway = {"http://127.0.0.1:9/paymentv2/vpcpay.html", "MOTCUA01", "gateway-secret-for-tests"};
  c.platform = "province";
  c.ipn_url = "http://127.0.0.1:8080/api/v1/payments/gateway/ipn";
  c.return_url = "http://127.0.0.1:8080/api/v1/payments/gateway/return";
  c.bank = {"970415", "0011001932418", "KHO BAC TINH SONG TRA", "http://127.0.0.1:8080/x",
            "bank-secret-for-tests"};
  return c;
}

class PaymentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = store::testing::TempStore::Create(MOTCUA_STORE_BACKEND);
    ASSERT_TRUE(t.has_value()) << t.error().ToString();
    temp_ = std::move(*t);
    store_ = std::move(temp_->Open({.create = true}).value());
    auto from_data = Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
    ASSERT_TRUE(from_data.has_value()) << from_data.error().ToString();
    ASSERT_TRUE(ImportCatalog(*store_, **from_data, clock_.Now()).has_value());
    catalog_ = Catalog::Load(*store_, DataDir()).value();
    dir_ = fs::temp_directory_path() /
           ("motcua-payments-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    access_ = std::make_unique<Access>(catalog_, clock_);
    pki_ = std::make_unique<Pki>(
        *store_, *access_, clock_, kek_,
        PkiOptions{sign::KeyAlgorithm::kEcP256, "motcua thử nghiệm", "Sông Trà", "", 20});
    blobs_ = std::make_unique<BlobStore>(dir_ / "blobs");
    documents_ = std::make_unique<Documents>(
        *store_, catalog_, *pki_, *blobs_, *access_, clock_,
        LoadResultTemplates(DataDir() / "results" / "templates.json").value(),
        DocumentOptions{"https://motcua.test", "Sông Trà", sign::kDefaultFontPath});
    lifecycle_ = std::make_unique<Lifecycle>(*store_, catalog_, clock_);
    payments_ = std::make_unique<Payments>(*lifecycle_, TestConfig(), documents_.get());
    unit_ = catalog_->units().UnitsOn(domain::UnitLevel::kCommune, {2026, 3, 3}).at(0)->code;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static Actor Officer(const std::string& unit, const std::string& role) {
    return Actor{Actor::Kind::kOfficer, unit + "." + role, unit, {role}};
  }
  static Actor Citizen() { return Actor{Actor::Kind::kCitizen, "051095000123", "", {}}; }
  static Actor Wire() {
    Actor a = Actor::Anonymous();
    a.address = "127.0.0.1";
    return a;
  }

  // An online dossier of `procedure` by the citizen at the test commune.
  domain::Dossier Submit(const std::string& procedure) {
    SubmitRequest r;
    r.procedure_code = procedure;
    r.applicant.id_number = "051095000123";
    r.applicant.name = "Nguyễn Văn An";
    r.receiving_unit = unit_;
    r.competent_unit = unit_;
    for (const auto& c : catalog_->procedures().Find(procedure)->components) {
      if (c.required) r.components.push_back({c.code, "", true, false, ""});
    }
    auto d = lifecycle_->Submit(Citizen(), r);
    EXPECT_TRUE(d.has_value()) << d.error().ToString();
    return *d;
  }

  // The gateway's signed notification for `txn_ref`.
  pay::Params Notification(const std::string& txn_ref, int64_t amount, const std::string& txn,
                           bool ok = true) {
    pay::GatewayResult g;
    g.tmn_code = "MOTCUA01";
    g.txn_ref = txn_ref;
    g.amount = amount;
    g.transaction_no = txn;
    g.bank_code = "NCB";
    g.bank_tran_no = "VNP" + txn;
    g.response_code = ok ? "00" : "24";
    g.transaction_status = ok ? "00" : "02";
    g.pay_date = "20260303093000";
    return pay::NotificationParams(TestConfig().gateway, g, "Thanh toan");
  }

  domain::Dossier Reload(const std::string& code) {
    return lifecycle_->Get(Officer(unit_, "one_stop_officer"), code).value().dossier;
  }
  int Count(const std::string& type) {
    store::EventQuery q;
    q.type = type;
    q.limit = 10000;
    return static_cast<int>(store_->QueryEvents(q).value().size());
  }
  void ExpectVerified() {
    auto v = Verify(*store_);
    ASSERT_TRUE(v.has_value()) << v.error().ToString();
    EXPECT_EQ(v->mismatches, 0) << v->first_mismatch;
  }

  FixedClock clock_{FromVietnamLocal({2026, 3, 3}, 9 * 60)};
  secure::SecretKey kek_ = secure::SecretKey::FromBytes(std::string(32, 'k')).value();
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const Catalog> catalog_;
  fs::path dir_;
  std::unique_ptr<Access> access_;
  std::unique_ptr<Pki> pki_;
  std::unique_ptr<BlobStore> blobs_;
  std::unique_ptr<Documents> documents_;
  std::unique_ptr<Lifecycle> lifecycle_;
  std::unique_ptr<Payments> payments_;
  std::string unit_;
};

TEST_F(PaymentsTest, TheGatewayPaysOnceWhateverTheNumberAndOrderOfNotifications) {
  domain::Dossier d = Submit("1.004873");  // marital status certificate: 5.000 ₫
  ASSERT_EQ(d.payment.state, PaymentState::kDue);
  ASSERT_EQ(d.payment.amount_due, 5000);
  auto url = payments_->StartGateway(Citizen(), d.code);
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  const std::string order = d.payment.reference + "T1";
  EXPECT_NE(url->find("vnp_TxnRef=" + order), std::string::npos) << *url;
  EXPECT_NE(url->find("vnp_Amount=500000"), std::string::npos) << *url;

  // A cancelled attempt, then the successful one five times, then the cancelled one again.
  std::vector<std::string> answers;
  answers.push_back(
      payments_->GatewayNotification(Wire(), Notification(order, 5000, "100", false)).rsp_code);
  for (int i = 0; i < 5; ++i) {
    answers.push_back(
        payments_->GatewayNotification(Wire(), Notification(order, 5000, "101")).rsp_code);
  }
  answers.push_back(
      payments_->GatewayNotification(Wire(), Notification(order, 5000, "100", false)).rsp_code);
  EXPECT_EQ(answers, (std::vector<std::string>{"00", "00", "02", "02", "02", "02", "00"}));
  EXPECT_EQ(Count("PaymentSucceeded"), 1);
  EXPECT_EQ(Count("PaymentFailed"), 1);
  domain::Dossier paid = Reload(d.code);
  EXPECT_EQ(paid.payment.state, PaymentState::kPaid);
  ASSERT_EQ(paid.payment.payments.size(), 1u);
  EXPECT_EQ(paid.payment.payments[0].receipt_serial, unit_ + "-BL26-000001");
  EXPECT_TRUE(paid.payment.payments[0].online);
  EXPECT_EQ(paid.payment.payments[0].platform, "province");
  // Paying a paid dossier again is not needed any more.
  EXPECT_EQ(payments_->StartGateway(Citizen(), d.code).error().key, "dossier.payment_not_due");
  ExpectVerified();
}

TEST_F(PaymentsTest, TamperedUnknownAndShortNotificationsAreAnsweredAndChangeNothing) {
  domain::Dossier d = Submit("1.004873");
  const std::string order = d.payment.reference + "T1";
  const int64_t head = *store_->HeadSeq();
  pay::Params tampered = Notification(order, 5000, "201");
  tampered["vnp_Amount"] = "50000000";
  EXPECT_EQ(payments_->GatewayNotification(Wire(), tampered).rsp_code, "97");
  pay::Params unsigned_params = Notification(order, 5000, "201");
  unsigned_params.erase("vnp_SecureHash");
  EXPECT_EQ(payments_->GatewayNotification(Wire(), unsigned_params).rsp_code, "97");
  EXPECT_EQ(
      payments_->GatewayNotification(Wire(), Notification("MC000000000T1", 5000, "202")).rsp_code,
      "01");
  EXPECT_EQ(*store_->HeadSeq(), head);
  // Underpayment: refused (04), recorded as rejected money to refund; the fee is still due.
  EXPECT_EQ(payments_->GatewayNotification(Wire(), Notification(order, 4000, "203")).rsp_code,
            "04");
  EXPECT_EQ(Count("PaymentRejected"), 1);
  EXPECT_EQ(Reload(d.code).payment.state, PaymentState::kDue);
  EXPECT_EQ(Count("PaymentSucceeded"), 0);
  ExpectVerified();
}

TEST_F(PaymentsTest, BankTransfersAreMatchedByReferenceOnce) {
  domain::Dossier d = Submit("1.004873");
  auto qr = payments_->VietQrOf(Citizen(), d.code);
  ASSERT_TRUE(qr.has_value()) << qr.error().ToString();
  auto parsed = pay::ParseVietQr(qr->payload);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->amount, 5000);
  EXPECT_EQ(parsed->purpose, d.payment.reference);
  EXPECT_EQ(parsed->account, "0011001932418");
  EXPECT_TRUE(qr->bank.notify_secret.empty());

  pay::BankCredit c{
      "FT26001", "0011001932418", 5000, "IBFT " + d.payment.reference + " nop le phi", clock_.Now(),
      "in",      "970415"};
  const std::string body = pay::BankCreditJson(c);
  const std::string sig = pay::SignBody(body, "bank-secret-for-tests");
  std::vector<std::string> statuses;
  for (int i = 0; i < 3; ++i) {
    auto r = payments_->BankNotification(Wire(), body, sig);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    statuses.push_back(r->status);
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"recorded", "duplicate", "duplicate"}));
  EXPECT_EQ(Reload(d.code).payment.payments.at(0).channel, "bank_transfer");
  EXPECT_EQ(payments_->BankNotification(Wire(), body, pay::SignBody(body, "other")).error().key,
            "bank.bad_signature");
  c.id = "FT26002";
  c.content = "chuyen tien khong ghi ma";
  const std::string lost = pay::BankCreditJson(c);
  EXPECT_EQ(payments_->BankNotification(Wire(), lost, pay::SignBody(lost, "bank-secret-for-tests"))
                ->status,
            "unmatched");
  c.id = "FT26003";
  c.account = "999999";
  const std::string other = pay::BankCreditJson(c);
  EXPECT_EQ(
      payments_->BankNotification(Wire(), other, pay::SignBody(other, "bank-secret-for-tests"))
          ->status,
      "ignored");
  EXPECT_EQ(Count("PaymentSucceeded"), 1);
  ExpectVerified();
}

TEST_F(PaymentsTest, FeesAreDueBeforeTheStageTheProcedureNames) {
  // Judicial record certificate (3.000333): paid before reception.
  domain::Dossier early = Submit("3.000333");
  ASSERT_EQ(early.payment.stage, "receipt");
  const Actor officer = Officer(unit_, "one_stop_officer");
  EXPECT_EQ(lifecycle_->Receive(officer, early.code, {}).error().key, "dossier.payment_due");
  EXPECT_EQ(payments_->RecordCash(officer, early.code, 1000).error().key,
            "payment.amount_mismatch");
  EXPECT_EQ(payments_->RecordCash(Officer(unit_, "specialist"), early.code, 200000).error().key,
            "auth.forbidden");
  auto cash = payments_->RecordCash(officer, early.code, early.payment.amount_due);
  ASSERT_TRUE(cash.has_value()) << cash.error().ToString();
  EXPECT_EQ(cash->payment.payments.at(0).channel, "counter_cash");
  EXPECT_FALSE(cash->payment.payments.at(0).online);
  EXPECT_EQ(payments_->RecordCash(officer, early.code, 200000).error().key,
            "dossier.payment_not_due");
  EXPECT_TRUE(lifecycle_->Receive(officer, early.code, {}).has_value());

  // Marital status certificate (1.004873): the result waits for the payment; an exemption
  // ground of the procedure frees it.
  domain::Dossier late = Submit("1.004873");
  ASSERT_TRUE(lifecycle_->Receive(officer, late.code, {}).has_value());
  domain::Dossier cur = Reload(late.code);
  while (cur.state != domain::DossierState::kResultReady) {
    clock_.Advance(10 * kMicrosPerMinute);
    auto step = lifecycle_->CompleteStep(
        Officer(cur.current_unit, cur.steps[cur.current_step].role), cur.code, "");
    ASSERT_TRUE(step.has_value()) << step.error().ToString();
    cur = *step;
  }
  EXPECT_EQ(lifecycle_->Return(officer, late.code, "counter").error().key, "dossier.payment_due");
  EXPECT_EQ(payments_->Waive(officer, late.code, "tre_em", "x").error().key,
            "fee.unknown_exemption");
  auto waived = payments_->Waive(officer, late.code, "ho_ngheo", "Sổ hộ nghèo 2026 số 15");
  ASSERT_TRUE(waived.has_value()) << waived.error().ToString();
  EXPECT_EQ(waived->payment.state, PaymentState::kWaived);
  EXPECT_TRUE(lifecycle_->Return(officer, late.code, "counter").has_value());
  ExpectVerified();
}

TEST_F(PaymentsTest, TheReceiptIsSealedAndReadsTheAmountInWords) {
  ASSERT_TRUE(pki_->Init(Actor::System()).has_value());
  ASSERT_TRUE(pki_->Issue(Actor::System(),
                          {sign::CertKind::kOrganisation, "unit:" + unit_, "", "MNS:1098765", 2})
                  .has_value());
  domain::Dossier d = Submit("2.000806");  // marriage with a foreign element: 1.000.000 ₫
  EXPECT_EQ(payments_->Receipt(Citizen(), d.code).error().key, "dossier.not_paid");
  const std::string order = d.payment.reference + "T1";
  ASSERT_EQ(payments_->GatewayNotification(Wire(), Notification(order, 1000000, "301")).rsp_code,
            "00");
  auto receipt = payments_->Receipt(Citizen(), d.code);
  ASSERT_TRUE(receipt.has_value()) << receipt.error().ToString();
  EXPECT_TRUE(receipt->signed_);
  auto again = payments_->Receipt(Citizen(), d.code);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->pdf, receipt->pdf);  // sealed once, the same bytes afterwards
  auto v = documents_->Verify(receipt->pdf);
  ASSERT_TRUE(v.has_value()) << v.error().ToString();
  EXPECT_EQ(v->Verdict(), "valid");
  ASSERT_TRUE(v->registered.has_value());
  EXPECT_EQ(v->registered->purpose, "fee_receipt");
  fs::path file = dir_ / "receipt.pdf";
  std::ofstream(file, std::ios::binary) << receipt->pdf;
  std::string text;
  FILE* p = popen(("pdftotext " + file.string() + " - 2>&1").c_str(), "r");
  char buf[4096];
  for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
  if (p) pclose(p);
  EXPECT_NE(text.find("BIÊN LAI THU PHÍ, LỆ PHÍ"), std::string::npos) << text;
  EXPECT_NE(text.find("Một triệu đồng"), std::string::npos) << text;
  EXPECT_NE(text.find("1.000.000 đồng"), std::string::npos) << text;
  EXPECT_NE(text.find(unit_ + "-BL26-000001"), std::string::npos) << text;
  // Another citizen does not see it.
  Actor stranger{Actor::Kind::kCitizen, "001099000111", "", {}};
  EXPECT_EQ(payments_->Receipt(stranger, d.code).error().key, "dossier.not_found");
  ExpectVerified();
}

TEST_F(PaymentsTest, ReconciliationFindsEveryPlantedMismatch) {
  domain::Dossier a = Submit("1.004873");
  domain::Dossier b = Submit("1.004746");  // 8.000 ₫
  domain::Dossier c = Submit("1.004884");  // 8.000 ₫
  ASSERT_EQ(
      payments_->GatewayNotification(Wire(), Notification(a.payment.reference + "T1", 5000, "401"))
          .rsp_code,
      "00");
  for (const auto* d : {&b, &c}) {
    pay::BankCredit credit{"FT" + d->code.substr(d->code.size() - 4),
                           "0011001932418",
                           8000,
                           d->payment.reference,
                           clock_.Now(),
                           "in",
                           "970415"};
    const std::string body = pay::BankCreditJson(credit);
    ASSERT_EQ(
        payments_->BankNotification(Wire(), body, pay::SignBody(body, "bank-secret-for-tests"))
            ->status,
        "recorded");
  }
  const std::string bt = "FT" + b.code.substr(b.code.size() - 4);
  // a matches; b's credit shows 9.000 on the statement; c is missing; a stranger's credit.
  const std::string csv =
      "transaction_id,date,amount,reference,content\r\n"
      "401,03/03/2026,5.000," +
      a.payment.reference + ",\r\n" + bt + ",03/03/2026,9.000,," + b.payment.reference +
      " nop phi\r\n"
      "FT99999,03/03/2026,\"12,000\",,chuyen khoan khong ro\r\n";
  const Actor admin = Officer(catalog_->units().Root()->code, "province_admin");
  EXPECT_EQ(payments_->Reconcile(Officer(unit_, "one_stop_officer"), {2026, 3, 3}, csv).error().key,
            "auth.forbidden");
  auto report = payments_->Reconcile(admin, {2026, 3, 3}, csv);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->at("matched").as_int64(), 1);
  std::map<std::string, std::string> kinds;  // dossier or transaction → kind
  for (const auto& m : report->at("mismatches").as_array()) {
    const auto& o = m.as_object();
    const std::string who = o.at("dossier").as_string().empty()
                                ? std::string(o.at("transaction_id").as_string())
                                : std::string(o.at("dossier").as_string());
    kinds[who] = std::string(o.at("kind").as_string());
  }
  EXPECT_EQ(kinds, (std::map<std::string, std::string>{{b.code, "amount_differs"},
                                                       {c.code, "known_but_unpaid"},
                                                       {"FT99999", "paid_but_unknown"}}));
  auto stored = payments_->ReconciliationOf(admin, {2026, 3, 3});
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  EXPECT_EQ(**stored, *report);
  EXPECT_EQ(payments_->Reconcile(admin, {2026, 3, 3}, "date,amount\n1,2\n").error().key,
            "statement.missing_column");
  ExpectVerified();
  ASSERT_TRUE(Rebuild(*store_).has_value());
  ExpectVerified();
  EXPECT_EQ(Reload(a.code).payment.state, PaymentState::kPaid);
}

}  // namespace
}  // namespace motcua::app
