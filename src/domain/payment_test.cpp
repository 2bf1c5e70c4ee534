// Fees and payments: the fee schedule's rules, the amount in Vietnamese words, and the payment
// state of a dossier (due, paid exactly once, rejected, waived, refunded) with its guards.
#include "domain/payment.h"

#include <gtest/gtest.h>

#include "domain/dossier.h"

namespace motcua::domain {
namespace {

namespace bj = boost::json;

TEST(AmountInWords, EdgeCases) {
  EXPECT_EQ(AmountInWords(0), "Không đồng");
  EXPECT_EQ(AmountInWords(1000000), "Một triệu đồng");
  EXPECT_EQ(AmountInWords(1000001), "Một triệu không trăm linh một đồng");
  EXPECT_EQ(AmountInWords(21), "Hai mươi mốt đồng");
  EXPECT_EQ(AmountInWords(105), "Một trăm linh năm đồng");
  EXPECT_EQ(AmountInWords(1000000000), "Một tỷ đồng");
}

TEST(AmountInWords, UsualReadings) {
  EXPECT_EQ(AmountInWords(1), "Một đồng");
  EXPECT_EQ(AmountInWords(10), "Mười đồng");
  EXPECT_EQ(AmountInWords(11), "Mười một đồng");
  EXPECT_EQ(AmountInWords(15), "Mười lăm đồng");
  EXPECT_EQ(AmountInWords(25), "Hai mươi lăm đồng");
  EXPECT_EQ(AmountInWords(94), "Chín mươi bốn đồng");
  EXPECT_EQ(AmountInWords(110), "Một trăm mười đồng");
  EXPECT_EQ(AmountInWords(1001), "Một nghìn không trăm linh một đồng");
  EXPECT_EQ(AmountInWords(1010), "Một nghìn không trăm mười đồng");
  EXPECT_EQ(AmountInWords(5000), "Năm nghìn đồng");
  EXPECT_EQ(AmountInWords(75000), "Bảy mươi lăm nghìn đồng");
  EXPECT_EQ(AmountInWords(1250000), "Một triệu hai trăm năm mươi nghìn đồng");
  EXPECT_EQ(AmountInWords(200015), "Hai trăm nghìn không trăm mười lăm đồng");
  EXPECT_EQ(AmountInWords(1005000000), "Một tỷ không trăm linh năm triệu đồng");
  EXPECT_EQ(AmountInWords(2000000000000), "Hai nghìn tỷ đồng");
  EXPECT_EQ(AmountInWords(1000000000001), "Một nghìn tỷ không trăm linh một đồng");
  EXPECT_EQ(AmountInWords(-5000), "Âm năm nghìn đồng");
}

TEST(FormatVnd, DotsBetweenThousands) {
  EXPECT_EQ(FormatVnd(0), "0");
  EXPECT_EQ(FormatVnd(999), "999");
  EXPECT_EQ(FormatVnd(1000), "1.000");
  EXPECT_EQ(FormatVnd(1250000), "1.250.000");
  EXPECT_EQ(FormatVnd(-75000), "-75.000");
}

TEST(PaymentReference, AsciiWithoutSeparators) {
  EXPECT_EQ(PaymentReference("99501-260105-0007"), "MC995012601050007");
  EXPECT_EQ(PaymentReference("h22.39-260105-0007"), "MCH22392601050007");
}

Procedure FeeProcedure() {
  bj::object o{
      {"code", "2.000815"},
      {"name", "Chứng thực bản sao"},
      {"field", "chung_thuc"},
      {"competent", bj::object{{"level", "commune"}}},
      {"time_limit", bj::object{{"unit", "working_days"}, {"value", 2}}},
      {"online_level", "full"},
      {"pay_before", "receipt"},
      {"fees", bj::array{bj::object{{"code", "trang_1_2"},
                                    {"kind", "charge"},
                                    {"amount", 2000},
                                    {"per", "page"},
                                    {"from", 1},
                                    {"to", 2}},
                         bj::object{{"code", "trang_3"},
                                    {"kind", "charge"},
                                    {"amount", 1000},
                                    {"per", "page"},
                                    {"from", 3}},
                         bj::object{{"code", "phi"}, {"kind", "charge"}, {"amount", 200000}},
                         bj::object{{"code", "phi_giam"},
                                    {"kind", "charge"},
                                    {"amount", 100000},
                                    {"condition", "reduced_rate"},
                                    {"replaces", "phi"}},
                         bj::object{{"code", "truc_tiep"},
                                    {"kind", "fee"},
                                    {"amount", 20000},
                                    {"condition", "channel_direct"}},
                         bj::object{{"code", "truc_tuyen"},
                                    {"kind", "fee"},
                                    {"amount", 10000},
                                    {"condition", "channel_online"}}}},
      {"exemptions", bj::array{"ho_ngheo", "nguoi_co_cong"}},
      {"components", bj::array{bj::object{{"code", "BS"}, {"name", "Bản sao"}}}},
      {"steps", bj::array{bj::object{
                    {"code", "x"}, {"role", "specialist"}, {"unit", "competent"}, {"share", 100}}}},
      {"result", bj::object{{"name", "Bản sao"}, {"paper", true}}}};
  auto p = Procedure::FromJson(o);
  EXPECT_TRUE(p.has_value()) << p.error().ToString();
  return *p;
}

int64_t LineAmount(const FeeQuote& q, std::string_view code) {
  for (const auto& l : q.lines) {
    if (l.code == code) return l.amount;
  }
  return -1;
}

TEST(QuoteFees, ChannelTiersReplacementAndExemption) {
  const Procedure p = FeeProcedure();
  auto online = QuoteFees(p, true, FeeCase{{}, {{"page", 5}}, ""});
  ASSERT_TRUE(online) << online.error().ToString();
  EXPECT_EQ(LineAmount(*online, "trang_1_2"), 4000);  // two pages at 2.000
  EXPECT_EQ(LineAmount(*online, "trang_3"), 3000);    // pages 3..5 at 1.000
  EXPECT_EQ(LineAmount(*online, "phi"), 200000);
  EXPECT_EQ(LineAmount(*online, "truc_tuyen"), 10000);
  EXPECT_EQ(LineAmount(*online, "truc_tiep"), -1);
  EXPECT_EQ(online->total, 4000 + 3000 + 200000 + 10000);

  auto counter = QuoteFees(p, false, FeeCase{{"reduced_rate"}, {}, ""});
  ASSERT_TRUE(counter);
  EXPECT_EQ(LineAmount(*counter, "trang_1_2"), 2000);  // no count: one page
  EXPECT_EQ(LineAmount(*counter, "trang_3"), -1);
  EXPECT_EQ(LineAmount(*counter, "phi"), -1);  // replaced by the reduced rate
  EXPECT_EQ(LineAmount(*counter, "phi_giam"), 100000);
  EXPECT_EQ(LineAmount(*counter, "truc_tiep"), 20000);

  auto exempt = QuoteFees(p, true, FeeCase{{}, {}, "ho_ngheo"});
  ASSERT_TRUE(exempt);
  EXPECT_EQ(exempt->total, 0);
  EXPECT_EQ(exempt->before_exemption, 2000 + 200000 + 10000);
  EXPECT_EQ(exempt->exemption, "ho_ngheo");
}

TEST(QuoteFees, BadCasesAreNamed) {
  const Procedure p = FeeProcedure();
  EXPECT_EQ(QuoteFees(p, true, FeeCase{{"late_registration"}, {}, ""}).error().key,
            "fee.unknown_condition");
  EXPECT_EQ(QuoteFees(p, true, FeeCase{{}, {}, "tre_em"}).error().key, "fee.unknown_exemption");
  EXPECT_EQ(QuoteFees(p, true, FeeCase{{}, {{"copy", 2}}, ""}).error().key, "fee.unknown_quantity");
  EXPECT_EQ(QuoteFees(p, true, FeeCase{{}, {{"page", -1}}, ""}).error().key, "fee.bad_quantity");
  EXPECT_EQ(QuoteFees(p, true, FeeCase{{}, {{"page", 100001}}, ""}).error().key,
            "fee.bad_quantity");
}

TEST(QuoteFees, CatalogueRulesAreChecked) {
  bj::object bad{{"code", "x"}, {"kind", "fee"}, {"amount", 1}, {"replaces", "nothing"}};
  Procedure p = FeeProcedure();
  bj::object src{
      {"code", "9.9"},
      {"name", "x"},
      {"field", "f"},
      {"competent", bj::object{{"level", "commune"}}},
      {"time_limit", bj::object{{"unit", "working_days"}, {"value", 1}}},
      {"online_level", "full"},
      {"fees", bj::array{bad}},
      {"components", bj::array{bj::object{{"code", "A"}, {"name", "A"}}}},
      {"steps", bj::array{bj::object{
                    {"code", "x"}, {"role", "specialist"}, {"unit", "competent"}, {"share", 100}}}},
      {"result", bj::object{{"name", "R"}, {"paper", true}}}};
  EXPECT_FALSE(Procedure::FromJson(src).has_value());
  src["fees"] = bj::array{bj::object{
      {"code", "x"}, {"kind", "fee"}, {"amount", 1}, {"per", "page"}, {"from", 3}, {"to", 2}}};
  EXPECT_FALSE(Procedure::FromJson(src).has_value());
  src["fees"] = bj::array{};
  src["pay_before"] = "later";
  EXPECT_FALSE(Procedure::FromJson(src).has_value());
  EXPECT_EQ(p.pay_before, "receipt");
  EXPECT_EQ(p.exemptions.size(), 2u);
}

class PaymentTest : public ::testing::Test {
 protected:
  PaymentTest()
      : calendar_(*WorkingCalendar::Create(CalendarOverrides{}, 2020, 2030)),
        schedule_(WorkSchedule::Standard()),
        proc_(FeeProcedure()) {}

  Timestamp T0() const { return FromVietnamLocal({2026, 3, 3}, 9 * 60); }
  Context System() const { return Context{T0(), "system", "99501", {}, &calendar_, &schedule_}; }
  Context Officer() const {
    return Context{T0(),       "officer:x",
                   "99501",    {"one_stop_officer", "specialist", "leader", "clerk"},
                   &calendar_, &schedule_};
  }

  void Commit(Dossier& d, const std::vector<NewEvent>& events) {
    for (const NewEvent& n : events) {
      Event e{++seq_, n.stream, n.type, n.version, n.unit, n.actor, n.at, n.payload, "", "", ""};
      log_.push_back(e);
      auto r = Apply(d, e);
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
    }
  }

  Dossier Submitted(std::string exemption = "") {
    SubmitInput in;
    in.code = "99501-260303-0001";
    in.procedure = &proc_;
    in.channel = Channel::kOnline;
    in.applicant.id_number = "051095000123";
    in.applicant.name = "Nguyễn Văn An";
    in.receiving_unit = "99501";
    in.competent_unit = "99501";
    in.components = {{"BS", "", true, false, ""}};
    in.fee_quantities = {{"page", 3}};
    in.exemption = std::move(exemption);
    auto events = Submit(in, Context{T0(), "citizen:051095000123", "", {}, &calendar_, &schedule_});
    EXPECT_TRUE(events) << events.error().ToString();
    Dossier d;
    Commit(d, *events);
    return d;
  }

  PaymentInput Gateway(std::string txn, int64_t amount) const {
    return PaymentInput{"gateway", true, "province", "gateway", std::move(txn),
                        amount,    T0(), "NCB",      "VNP1",    "99501-BL26-000001"};
  }

  WorkingCalendar calendar_;
  WorkSchedule schedule_;
  Procedure proc_;
  int64_t seq_ = 0;
  std::vector<Event> log_;
};

TEST_F(PaymentTest, SubmissionFixesWhatIsDue) {
  Dossier d = Submitted();
  EXPECT_EQ(d.payment.state, PaymentState::kDue);
  EXPECT_EQ(d.payment.stage, "receipt");
  EXPECT_EQ(d.payment.amount_due, 4000 + 1000 + 200000 + 10000);
  EXPECT_EQ(d.payment.reference, "MC995012603030001");
  const bj::object& payload = log_.front().payload;
  EXPECT_EQ(payload.at("payment").at("amount_due").as_int64(), d.payment.amount_due);
  EXPECT_EQ(payload.at("fees").as_array().size(), 4u);

  Dossier exempt = Submitted("nguoi_co_cong");
  EXPECT_EQ(exempt.payment.state, PaymentState::kWaived);
  EXPECT_EQ(exempt.payment.amount_due, 0);
}

TEST_F(PaymentTest, TheSameNotificationFiveTimesAndOutOfOrderPaysOnce) {
  Dossier d = Submitted();
  const int64_t due = d.payment.amount_due;
  // A cancelled attempt arrives after the successful one for another transaction, and the
  // successful one arrives five times.
  std::vector<std::string> outcomes;
  for (int i = 0; i < 5; ++i) {
    auto r = RecordPayment(d, Gateway("14000001", due), System());
    ASSERT_TRUE(r);
    outcomes.push_back(r->outcome);
    Commit(d, r->events);
    if (i == 1) {
      auto f = RecordFailedPayment(d, "gateway", "14000000", "24", System());
      ASSERT_TRUE(f);
      Commit(d, *f);
    }
  }
  EXPECT_EQ(outcomes, (std::vector<std::string>{"recorded", "duplicate", "duplicate", "duplicate",
                                                "duplicate"}));
  EXPECT_EQ(d.payment.state, PaymentState::kPaid);
  ASSERT_EQ(d.payment.payments.size(), 1u);
  EXPECT_EQ(d.payment.payments[0].amount, due);
  EXPECT_EQ(d.payment.failed_attempts, 1);
  // The failed attempt delivered again changes nothing.
  auto again = RecordFailedPayment(d, "gateway", "14000000", "24", System());
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  // A second, different successful payment is money nobody asked for: rejected, to refund.
  auto second = RecordPayment(d, Gateway("14000002", due), System());
  ASSERT_TRUE(second);
  EXPECT_EQ(second->outcome, "not_due");
  ASSERT_EQ(second->events.size(), 1u);
  EXPECT_EQ(second->events[0].type, "PaymentRejected");
  Commit(d, second->events);
  EXPECT_EQ(d.payment.payments.size(), 1u);
  int succeeded = 0;
  for (const Event& e : log_) succeeded += e.type == "PaymentSucceeded";
  EXPECT_EQ(succeeded, 1);
}

TEST_F(PaymentTest, UnderpaymentIsRefused) {
  Dossier d = Submitted();
  auto r = RecordPayment(d, Gateway("1", d.payment.amount_due - 1000), System());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, "amount_mismatch");
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_EQ(r->events[0].type, "PaymentRejected");
  EXPECT_EQ(r->events[0].payload.at("expected").as_int64(), d.payment.amount_due);
  Commit(d, r->events);
  EXPECT_EQ(d.payment.state, PaymentState::kDue);
  EXPECT_EQ(RecordPayment(d, Gateway("", 5), System()).error().key, "dossier.bad_payment");
  EXPECT_EQ(RecordPayment(d, Gateway("2", 0), System()).error().key, "dossier.bad_payment");
}

TEST_F(PaymentTest, ReceiptWaitsForPaymentAndWaiverOrRefundFollowTheRules) {
  Dossier d = Submitted();
  auto blocked = Receive(d, {}, proc_, Officer());
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().key, "dossier.payment_due");
  EXPECT_EQ(RefundPayment(d, "x", Officer()).error().key, "dossier.not_paid");
  EXPECT_EQ(WaiveFees(d, proc_, "tre_em", "x", Officer()).error().key, "fee.unknown_exemption");
  EXPECT_EQ(WaiveFees(d, proc_, "ho_ngheo", "", Officer()).error().key, "dossier.reason_required");
  auto waived = WaiveFees(d, proc_, "ho_ngheo", "Sổ hộ nghèo số 12", Officer());
  ASSERT_TRUE(waived);
  Commit(d, *waived);
  EXPECT_EQ(d.payment.state, PaymentState::kWaived);
  EXPECT_EQ(d.payment.amount_due, 0);
  EXPECT_TRUE(Receive(d, {}, proc_, Officer()).has_value());
  EXPECT_EQ(WaiveFees(d, proc_, "ho_ngheo", "again", Officer()).error().key,
            "dossier.payment_not_due");

  Dossier paid = Submitted();
  auto r = RecordPayment(paid, Gateway("9", paid.payment.amount_due), System());
  ASSERT_TRUE(r);
  Commit(paid, r->events);
  auto refund = RefundPayment(paid, "Hồ sơ bị từ chối", Officer());
  ASSERT_TRUE(refund);
  Commit(paid, *refund);
  EXPECT_EQ(paid.payment.state, PaymentState::kRefunded);
  EXPECT_EQ(paid.payment.refunded, paid.payment.payments[0].amount);
}

TEST_F(PaymentTest, WithdrawalLeavesNothingDueAndTheDocumentRoundTrips) {
  Dossier d = Submitted();
  auto f = RecordFailedPayment(d, "gateway", "77", "24", System());
  ASSERT_TRUE(f);
  Commit(d, *f);
  auto w = Withdraw(d, "Không cần nữa",
                    Context{T0(), "citizen:051095000123", "", {}, &calendar_, &schedule_});
  ASSERT_TRUE(w) << w.error().ToString();
  Commit(d, *w);
  EXPECT_EQ(d.payment.state, PaymentState::kNotRequired);
  auto late = RecordPayment(d, Gateway("78", 215000), System());
  ASSERT_TRUE(late);
  EXPECT_EQ(late->outcome, "not_due");
  Commit(d, late->events);
  auto back = Dossier::FromJson(d.ToJson());
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->ToJson(), d.ToJson());
  EXPECT_EQ(back->payment.transactions, d.payment.transactions);
  EXPECT_EQ(back->payment.lines, d.payment.lines);
}

}  // namespace
}  // namespace motcua::domain
