// The dossier lifecycle: every (state, action) pair, deadlines through the calendar, and the
// fold (Apply) agreeing with the commands' results.
#include "domain/dossier.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

namespace motcua::domain {
namespace {

namespace bj = boost::json;

Timestamp operator+(Timestamp a, Timestamp b) { return Timestamp{a.us + b.us}; }

Procedure TestProcedure(LimitUnit unit = LimitUnit::kWorkingDays, int value = 5) {
  bj::object o{
      {"code", "1.000001"},
      {"name", "Thủ tục thử"},
      {"field", "ho_tich"},
      {"competent", bj::object{{"level", "commune"}}},
      {"time_limit", bj::object{{"unit", LimitUnitName(unit)}, {"value", value}}},
      {"online_level", "full"},
      {"fees", bj::array{bj::object{{"code", "le_phi"}, {"kind", "fee"}, {"amount", 8000}},
                         bj::object{{"code", "qua_han"},
                                    {"kind", "fee"},
                                    {"amount", 5000},
                                    {"condition", "late_registration"}}}},
      {"components",
       bj::array{bj::object{{"code", "TK"}, {"name", "Tờ khai"}},
                 bj::object{{"code", "GCS"}, {"name", "Giấy chứng sinh"}},
                 bj::object{{"code", "UQ"}, {"name", "Giấy ủy quyền"}, {"required", false}}}},
      {"steps",
       bj::array{
           bj::object{
               {"code", "review"}, {"role", "specialist"}, {"unit", "competent"}, {"share", 60}},
           bj::object{
               {"code", "approve"}, {"role", "leader"}, {"unit", "competent"}, {"share", 30}},
           bj::object{{"code", "issue"}, {"role", "clerk"}, {"unit", "receiving"}, {"share", 10}}}},
      {"result", bj::object{{"name", "Giấy khai sinh"}, {"paper", true}}}};
  auto p = Procedure::FromJson(o);
  EXPECT_TRUE(p.has_value()) << p.error().ToString();
  return *p;
}

class DossierTest : public ::testing::Test {
 protected:
  DossierTest()
      : calendar_(*WorkingCalendar::Create(CalendarOverrides{}, 2020, 2030)),
        schedule_(WorkSchedule::Standard()),
        proc_(TestProcedure()) {}

  // Tuesday 3 March 2026, 09:00 Vietnam time (no holiday near).
  Timestamp T0() const { return FromVietnamLocal({2026, 3, 3}, 9 * 60); }

  Context Officer(const std::string& unit, Timestamp now) const {
    return Context{now,        "officer:x",
                   unit,       {"one_stop_officer", "specialist", "leader", "clerk"},
                   &calendar_, &schedule_};
  }
  Context Citizen(Timestamp now) const {
    return Context{now, "citizen:051095000123", "", {}, &calendar_, &schedule_};
  }

  SubmitInput Input() const {
    SubmitInput in;
    in.code = "99501-260303-0001";
    in.procedure = &proc_;
    in.channel = Channel::kOnline;
    in.applicant.id_kind = IdKind::kCitizenId;
    in.applicant.id_number = "051095000123";
    in.applicant.name = "Nguyễn Văn An";
    in.receiving_unit = "99501";
    in.competent_unit = "99502";
    in.components = {{"TK", "", true, false, ""}, {"GCS", "", true, false, "kho_du_lieu"}};
    return in;
  }

  // Applies events as a store would (sequence numbers), returning the new state.
  void Commit(Dossier& d, const Result<std::vector<NewEvent>>& events) {
    ASSERT_TRUE(events.has_value()) << events.error().ToString();
    for (const NewEvent& n : *events) {
      Event e{++seq_, n.stream, n.type, n.version, n.unit, n.actor, n.at, n.payload, "", "", ""};
      log_.push_back(e);
      auto r = Apply(d, e);
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
    }
  }

  Dossier Submitted() {
    Dossier d;
    Commit(d, Submit(Input(), Citizen(T0())));
    return d;
  }
  Dossier Received() {
    Dossier d = Submitted();
    Commit(d, Receive(d, {"TK"}, proc_, Officer("99501", T0() + Minutes(10))));
    return d;
  }
  static Timestamp Minutes(int64_t m) { return Timestamp{m * kMicrosPerMinute}; }
  // The applicant pays what is due through the gateway (the result is returned only when paid).
  Result<std::vector<NewEvent>> Pay(const Dossier& d, Timestamp t) {
    PaymentInput in{"gateway", true, "province", "gateway", "T" + std::to_string(++payments_),
                    d.payment.amount_due, t, "NCB", "", "99501-BL26-000001"};
    auto r = RecordPayment(d, in, Context{t, "system", d.current_unit, {}, &calendar_, &schedule_});
    if (!r) return std::unexpected(r.error());
    EXPECT_EQ(r->outcome, "recorded");
    return r->events;
  }

  WorkingCalendar calendar_;
  WorkSchedule schedule_;
  Procedure proc_;
  int64_t seq_ = 0;
  int payments_ = 0;
  std::vector<Event> log_;
};

TEST_F(DossierTest, SubmitRecordsTheFactsTheIndicatorsNeed) {
  Dossier d = Submitted();
  EXPECT_EQ(d.state, DossierState::kSubmitted);
  EXPECT_EQ(NationalStatusCode(d.state), 1);
  EXPECT_EQ(d.receiving_unit, "99501");
  EXPECT_EQ(d.competent_unit, "99502");
  EXPECT_EQ(d.current_unit, "99501");
  ASSERT_EQ(d.components.size(), 3u);
  EXPECT_TRUE(d.components[0].provided);
  EXPECT_EQ(d.components[1].reused_from, "kho_du_lieu");
  EXPECT_FALSE(d.components[2].provided);
  ASSERT_EQ(d.fees.size(), 1u);  // the conditional late fee does not apply
  EXPECT_EQ(d.fees[0].amount, 8000);
  const auto& p = log_[0].payload;
  EXPECT_EQ(p.at("channel_code").as_int64(), 2);
  EXPECT_EQ(p.at("procedure").at("online_level").as_string(), "full");
  EXPECT_EQ(p.at("procedure").at("time_limit").at("value").as_int64(), 5);
}

TEST_F(DossierTest, SubmitRejectsBadInput) {
  SubmitInput in = Input();
  in.applicant.id_number = "12345";
  auto r = Submit(in, Citizen(T0()));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "applicant.bad_id_number");

  in = Input();
  in.components = {{"TK", "", true, false, ""}};
  r = Submit(in, Citizen(T0()));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "dossier.missing_component");

  in = Input();
  in.components.push_back({"XYZ", "", true, false, ""});
  r = Submit(in, Citizen(T0()));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "dossier.unknown_component");

  Procedure offline = proc_;
  offline.online_level = OnlineLevel::kNone;
  in = Input();
  in.procedure = &offline;
  r = Submit(in, Citizen(T0()));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "dossier.online_not_offered");

  in = Input();
  in.channel = Channel::kAssisted;
  r = Submit(in, Citizen(T0()));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "json.bad_field");
}

TEST_F(DossierTest, ReceiveStartsTheClockWithAWorkingDayDeadline) {
  Dossier d = Received();
  EXPECT_EQ(d.state, DossierState::kReceived);
  ASSERT_TRUE(d.due_at.has_value());
  // 5 working days from Tuesday 09:10 → Tuesday 10 March 09:10.
  EXPECT_EQ(*d.due_at, FromVietnamLocal({2026, 3, 10}, 9 * 60 + 10));
  EXPECT_EQ(d.budget_minutes, 5 * 450);
  ASSERT_EQ(d.steps.size(), 3u);
  int64_t total = 0;
  for (const auto& s : d.steps) {
    EXPECT_GT(s.budget_minutes, 0);
    total += s.budget_minutes;
  }
  EXPECT_EQ(total, d.budget_minutes);
  EXPECT_EQ(d.current_unit, "99502");  // the first step runs at the competent unit
  EXPECT_TRUE(d.components[0].digitised);
  EXPECT_FALSE(d.components[1].digitised);
  EXPECT_FALSE(Overdue(d, T0() + Minutes(60), calendar_, schedule_).overdue);
}

TEST_F(DossierTest, SameDayProcedureHasNonZeroStepBudgetsAndIsNotOverdueOnTheDay) {
  proc_ = TestProcedure(LimitUnit::kSameDay, 0);
  // Received at 16:30, after the 15:00 cut-off: due at the end of the next working day.
  Dossier d;
  SubmitInput in = Input();
  Commit(d, Submit(in, Citizen(FromVietnamLocal({2026, 3, 3}, 16 * 60 + 30))));
  Commit(d, Receive(d, {}, proc_, Officer("99501", FromVietnamLocal({2026, 3, 3}, 16 * 60 + 30))));
  for (const auto& s : d.steps) EXPECT_GT(s.budget_minutes, 0) << s.code;
  ASSERT_TRUE(d.due_at.has_value());
  EXPECT_EQ(ToVietnamLocal(*d.due_at).date, (CivilDate{2026, 3, 4}));
  EXPECT_FALSE(
      Overdue(d, FromVietnamLocal({2026, 3, 3}, 16 * 60 + 59), calendar_, schedule_).overdue);
}

TEST_F(DossierTest, StepsRunToResultReadyAndReturn) {
  Dossier d = Received();
  Timestamp t = T0() + Minutes(60);
  Commit(d, CompleteStep(d, "ok", Officer("99502", t)));
  EXPECT_EQ(d.state, DossierState::kInProcessing);
  EXPECT_EQ(NationalStatusCode(d.state), 4);
  EXPECT_EQ(d.current_step, 1);
  Commit(d, CompleteStep(d, "", Officer("99502", t + Minutes(10))));
  EXPECT_EQ(d.current_unit, "99501");  // issue step at the receiving unit
  Commit(d, CompleteStep(d, "", Officer("99501", t + Minutes(20))));
  EXPECT_EQ(d.state, DossierState::kResultReady);
  EXPECT_EQ(NationalStatusCode(d.state), 9);
  ASSERT_TRUE(d.finished_at.has_value());
  EXPECT_EQ(log_.back().type, "DossierProcessed");
  EXPECT_TRUE(log_.back().payload.at("on_time").as_bool());
  Commit(d, Pay(d, t + Minutes(25)));
  Commit(d, Return(d, "counter", Officer("99501", t + Minutes(30))));
  EXPECT_EQ(d.state, DossierState::kReturned);
  EXPECT_EQ(NationalStatusCode(d.state), 10);
  // The fold of the whole log equals the incrementally built state.
  auto replayed = Replay(log_);
  ASSERT_TRUE(replayed.has_value());
  EXPECT_EQ(bj::serialize(replayed->ToJson()), bj::serialize(d.ToJson()));
  // And the state document round-trips.
  auto back = Dossier::FromJson(d.ToJson());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(bj::serialize(back->ToJson()), bj::serialize(d.ToJson()));
}

TEST_F(DossierTest, OnlyTheHolderWithTheStepRoleActs) {
  Dossier d = Received();
  auto r = CompleteStep(d, "", Officer("99501", T0() + Minutes(60)));  // receiving, not holder
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "dossier.not_holder");
  Context leader_only = Officer("99502", T0() + Minutes(60));
  leader_only.actor_roles = {"leader"};
  r = CompleteStep(d, "", leader_only);  // step 0 needs a specialist
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "dossier.wrong_role");
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(DossierTest, SupplementPausesTheClockAndMovesTheDueByThePausedWorkingTime) {
  Dossier d = Received();
  const Timestamp due = *d.due_at;
  // Requested Wednesday 09:10, answered Friday 09:10: two working days paused.
  Commit(d, RequestSupplement(d, "Thiếu giấy tờ", {"UQ"},
                              Officer("99502", FromVietnamLocal({2026, 3, 4}, 9 * 60 + 10))));
  EXPECT_EQ(d.state, DossierState::kSupplementRequested);
  EXPECT_EQ(NationalStatusCode(d.state), 5);
  EXPECT_EQ(log_.back().payload.at("clock").as_string(), "paused");
  // While paused nothing counts against the officers, however long the applicant takes.
  EXPECT_FALSE(Overdue(d, FromVietnamLocal({2026, 3, 30}, 9 * 60), calendar_, schedule_).overdue);
  EXPECT_TRUE(Overdue(d, FromVietnamLocal({2026, 3, 30}, 9 * 60), calendar_, schedule_).paused);
  Commit(d, ProvideSupplement(d, {{"UQ", "", true, false, ""}},
                              Citizen(FromVietnamLocal({2026, 3, 6}, 9 * 60 + 10))));
  EXPECT_EQ(d.state, DossierState::kReceived);
  EXPECT_EQ(log_.back().payload.at("paused_minutes").as_int64(), 2 * 450);
  EXPECT_EQ(*d.due_at, calendar_.AddWorkingMinutes(due, 2 * 450, schedule_));
  EXPECT_EQ(ToVietnamLocal(*d.due_at).date, (CivilDate{2026, 3, 12}));
  EXPECT_TRUE(d.components[2].provided);
  // Several rounds: each moves the due by its own paused time, and none makes it overdue.
  Commit(d, RequestSupplement(d, "Lần 2", {"UQ"},
                              Officer("99502", FromVietnamLocal({2026, 3, 9}, 8 * 60))));
  Commit(d, ProvideSupplement(d, {}, Citizen(FromVietnamLocal({2026, 3, 10}, 8 * 60))));
  EXPECT_EQ(d.SupplementRounds(false), 2);
  EXPECT_EQ(ToVietnamLocal(*d.due_at).date, (CivilDate{2026, 3, 13}));
  EXPECT_FALSE(Overdue(d, FromVietnamLocal({2026, 3, 12}, 9 * 60), calendar_, schedule_).overdue);
}

TEST_F(DossierTest, GuidanceBeforeReceiptIsGivenOnceAndStartsNoClock) {
  Dossier d = Submitted();
  Commit(d, RequestSupplement(d, "Thiếu", {"GCS"}, Officer("99501", T0() + Minutes(5))));
  EXPECT_EQ(log_.back().payload.at("clock").as_string(), "not_started");
  EXPECT_FALSE(d.due_at.has_value());
  Commit(d, ProvideSupplement(d, {{"GCS", "", true, false, ""}}, Citizen(T0() + Minutes(600))));
  EXPECT_EQ(d.state, DossierState::kSubmitted);
  auto again = RequestSupplement(d, "Thiếu nữa", {"TK"}, Officer("99501", T0() + Minutes(700)));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().key, "dossier.supplement_already_requested");
}

TEST_F(DossierTest, OverdueIsDerivedInWorkingTime) {
  Dossier d = Received();
  const OverdueInfo before = Overdue(d, *d.due_at, calendar_, schedule_);
  EXPECT_FALSE(before.overdue);
  // Two hours of working time after the due.
  const Timestamp later = calendar_.AddWorkingMinutes(*d.due_at, 120, schedule_);
  const OverdueInfo after = Overdue(d, later, calendar_, schedule_);
  EXPECT_TRUE(after.overdue);
  EXPECT_EQ(after.minutes, 120);
}

TEST_F(DossierTest, ApologyOnceWithANewDue) {
  Dossier d = Received();
  const Timestamp old_due = *d.due_at;
  auto bad = IssueApology(d, old_due, "Cần xác minh", Officer("99502", T0() + Minutes(60)));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().key, "dossier.bad_new_due");
  const Timestamp new_due = calendar_.AddWorkingMinutes(old_due, 3 * 450, schedule_);
  Commit(d, IssueApology(d, new_due, "Cần xác minh", Officer("99502", T0() + Minutes(60))));
  EXPECT_EQ(*d.due_at, new_due);
  EXPECT_EQ(*d.original_due_at, old_due);
  EXPECT_TRUE(d.apology->notice_in_time);
  auto twice =
      IssueApology(d, new_due + Minutes(60), "Lần nữa", Officer("99502", T0() + Minutes(70)));
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().key, "dossier.apology_already_issued");
  // An apology issued on the day of the deadline is recorded as late notice.
  Dossier e = Received();
  Commit(e,
         IssueApology(e, new_due, "Muộn", Officer("99502", old_due + Timestamp{-kMicrosPerHour})));
  EXPECT_FALSE(e.apology->notice_in_time);
}

TEST_F(DossierTest, TransferAndConsultation) {
  Dossier d = Received();
  Commit(d, RequestConsultation(d, "99.STP", "Xin ý kiến", Officer("99502", T0() + Minutes(30))));
  auto wrong = AnswerConsultation(d, "Đồng ý", Officer("99.SXD", T0() + Minutes(40)));
  ASSERT_FALSE(wrong.has_value());
  Commit(d, AnswerConsultation(d, "Đồng ý", Officer("99.STP", T0() + Minutes(40))));
  EXPECT_EQ(d.consultations[0].answer, "Đồng ý");
  Commit(d, Transfer(d, "99503", true, "Liên thông", Officer("99502", T0() + Minutes(50))));
  EXPECT_EQ(d.current_unit, "99503");
  EXPECT_EQ(d.competent_unit, "99503");
  EXPECT_EQ(d.receiving_unit, "99501");  // receipt stays where it happened
}

// Every (state, action) pair: legal ones succeed, the others are refused with the stable code.
TEST_F(DossierTest, TransitionMatrix) {
  enum A {
    kRecv,
    kRefuse,
    kStep,
    kTransfer,
    kConsult,
    kSuppReq,
    kSuppProv,
    kApology,
    kReturn,
    kWithdraw,
    kCancel,
    kActions
  };
  const char* names[] = {"receive",   "refuse",  "step",   "transfer", "consult", "supp_req",
                         "supp_prov", "apology", "return", "withdraw", "cancel"};
  std::map<std::string, std::function<Dossier()>> states;
  states["submitted"] = [&] { return Submitted(); };
  states["supplement_before_receipt"] = [&] {
    Dossier d = Submitted();
    Commit(d, RequestSupplement(d, "Thiếu", {"GCS"}, Officer("99501", T0() + Minutes(1))));
    return d;
  };
  states["received"] = [&] { return Received(); };
  states["in_processing"] = [&] {
    Dossier d = Received();
    Commit(d, CompleteStep(d, "", Officer("99502", T0() + Minutes(20))));
    return d;
  };
  states["supplement_requested"] = [&] {
    Dossier d = Received();
    Commit(d, RequestSupplement(d, "Thiếu", {"UQ"}, Officer("99502", T0() + Minutes(20))));
    return d;
  };
  auto ready = [&] {
    Dossier d = Received();
    Commit(d, CompleteStep(d, "", Officer("99502", T0() + Minutes(20))));
    Commit(d, CompleteStep(d, "", Officer("99502", T0() + Minutes(21))));
    Commit(d, CompleteStep(d, "", Officer("99501", T0() + Minutes(22))));
    Commit(d, Pay(d, T0() + Minutes(23)));
    return d;
  };
  states["result_ready"] = ready;
  states["returned"] = [&] {
    Dossier d = ready();
    Commit(d, Return(d, "online", Officer("99501", T0() + Minutes(30))));
    return d;
  };
  states["refused"] = [&] {
    Dossier d = Submitted();
    Commit(d, Refuse(d, "Không thuộc thẩm quyền", Officer("99501", T0() + Minutes(1))));
    return d;
  };
  states["withdrawn"] = [&] {
    Dossier d = Received();
    Commit(d, Withdraw(d, "Không còn nhu cầu", Citizen(T0() + Minutes(30))));
    return d;
  };
  states["cancelled"] = [&] {
    Dossier d = Received();
    Commit(d, Cancel(d, "Dừng xử lý", Officer("99502", T0() + Minutes(30))));
    return d;
  };
  //                                    recv ref step tran cons sreq sprv apol ret wdr canc
  const std::map<std::string, std::string> legal = {
      {"submitted", "1 1 0 1 0 1 0 0 0 1 0"},
      {"supplement_before_receipt", "0 0 0 1 0 0 1 0 0 1 0"},
      {"received", "0 0 1 1 1 1 0 1 0 1 1"},
      {"in_processing", "0 0 1 1 1 1 0 1 0 1 1"},
      {"supplement_requested", "0 0 0 1 0 0 1 0 0 1 1"},
      {"result_ready", "0 0 0 1 0 0 0 0 1 0 0"},
      {"returned", "0 0 0 0 0 0 0 0 0 0 0"},
      {"refused", "0 0 0 0 0 0 0 0 0 0 0"},
      {"withdrawn", "0 0 0 0 0 0 0 0 0 0 0"},
      {"cancelled", "0 0 0 0 0 0 0 0 0 0 0"},
  };
  int checked = 0;
  for (const auto& [state, make] : states) {
    const std::string& row = legal.at(state);
    for (int a = 0; a < kActions; ++a) {
      Dossier d = make();
      const Timestamp now = T0() + Minutes(100);
      Context ctx = Officer(d.current_unit, now);
      Result<std::vector<NewEvent>> r;
      switch (a) {
        case kRecv:
          r = Receive(d, {}, proc_, ctx);
          break;
        case kRefuse:
          r = Refuse(d, "Lý do", ctx);
          break;
        case kStep:
          r = CompleteStep(d, "", ctx);
          break;
        case kTransfer:
          r = Transfer(d, "99509", false, "Liên thông", ctx);
          break;
        case kConsult:
          r = RequestConsultation(d, "99.STP", "Hỏi", ctx);
          break;
        case kSuppReq:
          r = RequestSupplement(d, "Thiếu", {"UQ"}, ctx);
          break;
        case kSuppProv:
          r = ProvideSupplement(d, {}, Citizen(now));
          break;
        case kApology:
          r = IssueApology(d, d.due_at ? *d.due_at + Minutes(600) : now, "Xin lỗi", ctx);
          break;
        case kReturn:
          r = Return(d, "counter", ctx);
          break;
        case kWithdraw:
          r = Withdraw(d, "Rút", Citizen(now));
          break;
        case kCancel:
          r = Cancel(d, "Dừng", ctx);
          break;
      }
      const bool expected = row[2 * a] == '1';
      EXPECT_EQ(r.has_value(), expected)
          << state << " × " << names[a] << ": " << (r ? "accepted" : r.error().ToString());
      if (!r.has_value() && !expected) {
        EXPECT_EQ(r.error().key, "dossier.illegal_transition") << state << " × " << names[a];
        EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
      }
      if (r.has_value()) {  // a legal action's events fold cleanly
        Commit(d, r);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 10 * kActions);
}

TEST_F(DossierTest, StatusCodesCoverTheNationalList) {
  std::map<int, std::string> seen;
  for (DossierState s :
       {DossierState::kSubmitted, DossierState::kReceived, DossierState::kRefused,
        DossierState::kInProcessing, DossierState::kSupplementRequested, DossierState::kWithdrawn,
        DossierState::kCancelled, DossierState::kResultReady, DossierState::kReturned}) {
    EXPECT_TRUE(seen.emplace(NationalStatusCode(s), std::string(StateName(s))).second);
    EXPECT_EQ(*ParseState(StateName(s)), s);
  }
  EXPECT_EQ(seen.size(), 9u);  // 1–10 except 6 (fees, issue #7)
  EXPECT_EQ(seen.count(6), 0u);
}

TEST_F(DossierTest, ApplyRejectsForeignOrUnknownEvents) {
  Dossier d;
  Event e{1, "dossier/x", "DossierReceived", 1, "u", "a", T0(), {}, "", "", ""};
  EXPECT_FALSE(Apply(d, e).has_value());
  d = Submitted();
  e.type = "SomethingElse";
  auto r = Apply(d, e);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "dossier.bad_event");
}

}  // namespace
}  // namespace motcua::domain
