#include "domain/calendar/deadline.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace motcua::domain {
namespace {

std::string ReadData(const std::string& name) {
  const char* root = std::getenv("MOTCUA_SOURCE_DIR");
  const std::string dir = root != nullptr ? root : MOTCUA_TEST_SOURCE_DIR;
  std::ifstream in(dir + "/data/calendar/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Vietnam local time.
Timestamp At(int y, int mo, int d, int h, int mi) {
  return FromVietnamLocal(CivilDate{y, mo, d}, h * 60 + mi);
}
std::string Show(Timestamp t) { return FormatViDateTime(t); }

TimeLimit Days(int n) { return TimeLimit{LimitUnit::kWorkingDays, n}; }

class DeadlineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto overrides = ParseCalendarOverrides(ReadData("overrides.json"));
    ASSERT_TRUE(overrides.has_value());
    auto cal = WorkingCalendar::Create(*overrides, 2020, 2040);
    ASSERT_TRUE(cal.has_value());
    calendar_ = new WorkingCalendar(std::move(*cal));
    auto schedules = ParseWorkSchedules(ReadData("schedules.json"));
    ASSERT_TRUE(schedules.has_value());
    schedules_ = new std::vector<WorkSchedule>(std::move(*schedules));
  }
  static const WorkingCalendar& Cal() { return *calendar_; }
  static const WorkSchedule& S() { return *FindSchedule(*schedules_, "standard"); }
  static const WorkSchedule& Sat() { return *FindSchedule(*schedules_, "saturday_morning"); }
  static Appointment Due(Timestamp received, TimeLimit limit) {
    auto a = Cal().ComputeDue(received, limit, S());
    EXPECT_TRUE(a.has_value()) << a.error().ToString();
    return a.value_or(Appointment{});
  }
  static inline WorkingCalendar* calendar_ = nullptr;
  static inline std::vector<WorkSchedule>* schedules_ = nullptr;
};

TEST_F(DeadlineTest, WorkingDaysCountFromTheReceiptInstant) {
  // Mon 10 Mar 2025 10:00 + 2 working days -> Wed 12 Mar 10:00.
  const Appointment a = Due(At(2025, 3, 10, 10, 0), Days(2));
  EXPECT_EQ(Show(a.clock_start), "10:00 10/03/2025");
  EXPECT_EQ(Show(a.due), "10:00 12/03/2025");
  EXPECT_EQ(a.budget_minutes, 900);
  EXPECT_EQ(a.rule, "received_in_working_hours");
  EXPECT_TRUE(a.skipped.empty());
  // Fri 14 Mar 10:00 + 1 working day -> Mon 17 Mar 10:00, skipping the weekend.
  const Appointment b = Due(At(2025, 3, 14, 10, 0), Days(1));
  EXPECT_EQ(Show(b.due), "10:00 17/03/2025");
  ASSERT_EQ(b.skipped.size(), 2u);
  EXPECT_EQ(b.skipped[0].kind, "weekend");
}

// OpenCPS complaint 2: holidays ignored. A dossier received the Friday before Tết 2025 with 2
// working days is due on Tuesday 4 Feb, after the nine-day break, and the derivation lists it.
TEST_F(DeadlineTest, HolidaysAreSkippedAndExplained) {
  const Appointment a = Due(At(2025, 1, 24, 10, 0), Days(2));
  EXPECT_EQ(Show(a.due), "10:00 04/02/2025");
  ASSERT_EQ(a.skipped.size(), 9u);
  EXPECT_EQ(a.skipped.front().date, (CivilDate{2025, 1, 25}));
  EXPECT_EQ(a.skipped.back().date, (CivilDate{2025, 2, 2}));
  int holidays = 0;
  for (const auto& s : a.skipped) holidays += s.kind == "holiday";
  EXPECT_EQ(holidays, 5);
  // 30/4 – 1/5/2025: received Tue 29 Apr 16:00 with 1 day -> Mon 5 May 16:00 (Fri 2 May swapped).
  EXPECT_EQ(Show(Due(At(2025, 4, 29, 16, 0), Days(1)).due), "16:00 05/05/2025");
  // The make-up Saturday 26 Apr 2025 is worked: Fri 25 Apr 16:00 + 1 day -> Sat 26 Apr 16:00.
  EXPECT_EQ(Show(Due(At(2025, 4, 25, 16, 0), Days(1)).due), "16:00 26/04/2025");
}

TEST_F(DeadlineTest, ClockStartOutsideWorkingHours) {
  const Appointment after = Due(At(2025, 3, 10, 18, 0), Days(1));  // Monday evening
  EXPECT_EQ(Show(after.clock_start), "07:30 11/03/2025");
  EXPECT_EQ(Show(after.due), "17:00 11/03/2025");  // a full day ends at the session end
  EXPECT_EQ(after.rule, "received_after_hours_next_working_day");
  const Appointment weekend = Due(At(2025, 3, 15, 9, 0), Days(1));  // Saturday
  EXPECT_EQ(Show(weekend.clock_start), "07:30 17/03/2025");
  EXPECT_EQ(weekend.rule, "received_on_non_working_day_next_working_day");
  const Appointment lunch = Due(At(2025, 3, 10, 12, 0), TimeLimit{LimitUnit::kWorkingHours, 4});
  EXPECT_EQ(Show(lunch.clock_start), "13:30 10/03/2025");
  EXPECT_EQ(Show(lunch.due), "08:00 11/03/2025");  // 3.5 h Monday afternoon + 0.5 h Tuesday
  EXPECT_EQ(lunch.rule, "received_during_break_clock_starts_next_session");
  const Appointment early = Due(At(2025, 3, 10, 6, 0), Days(1));
  EXPECT_EQ(Show(early.clock_start), "07:30 10/03/2025");
  EXPECT_EQ(Show(early.due), "17:00 10/03/2025");
  // Received on a public holiday (Tết 2025): the clock starts Mon 3 Feb.
  EXPECT_EQ(Show(Due(At(2025, 1, 29, 9, 0), Days(1)).clock_start), "07:30 03/02/2025");
}

TEST_F(DeadlineTest, SameDayCutOff) {
  const TimeLimit same{LimitUnit::kSameDay, 0};
  const Appointment before = Due(At(2025, 3, 10, 14, 59), same);
  EXPECT_EQ(Show(before.due), "17:00 10/03/2025");
  EXPECT_EQ(before.rule, "same_day_before_cutoff");
  EXPECT_EQ(before.budget_minutes, 121);
  EXPECT_EQ(Show(Due(At(2025, 3, 10, 15, 0), same).due), "17:00 10/03/2025");
  const Appointment after = Due(At(2025, 3, 10, 15, 1), same);
  EXPECT_EQ(Show(after.due), "17:00 11/03/2025");
  EXPECT_EQ(after.rule, "same_day_after_cutoff_end_of_next_working_day");
  // Friday 24 Jan 2025 at 16:00, Tết follows: due at the end of Mon 3 Feb.
  EXPECT_EQ(Show(Due(At(2025, 1, 24, 16, 0), same).due), "17:00 03/02/2025");
  // Saturday-morning unit: the cut-off is capped one hour before 11:30.
  auto sat = Cal().ComputeDue(At(2025, 3, 8, 10, 29), same, Sat());
  ASSERT_TRUE(sat.has_value());
  EXPECT_EQ(Show(sat->due), "11:30 08/03/2025");
  EXPECT_EQ(sat->budget_minutes, 61);
  auto sat_late = Cal().ComputeDue(At(2025, 3, 8, 10, 45), same, Sat());
  EXPECT_EQ(Show(sat_late->due), "17:00 10/03/2025");
}

TEST_F(DeadlineTest, CalendarDays) {
  const TimeLimit five{LimitUnit::kCalendarDays, 5};
  // Mon 20 Jan 2025 + 5 days = Sat 25 Jan, inside the Tết break -> end of Mon 3 Feb.
  const Appointment a = Due(At(2025, 1, 20, 10, 0), five);
  EXPECT_EQ(Show(a.due), "17:00 03/02/2025");
  EXPECT_EQ(a.rule, "calendar_days_last_day_off_end_of_next_working_day");
  const Appointment b = Due(At(2025, 3, 3, 10, 0), TimeLimit{LimitUnit::kCalendarDays, 3});
  EXPECT_EQ(Show(b.due), "17:00 06/03/2025");
  EXPECT_EQ(b.rule, "calendar_days_end_of_last_day");
}

// OpenCPS complaint 1: dossiers shown overdue on the day they were filed.
TEST_F(DeadlineTest, NeverOverdueOnTheDayOfReceiptWhenDueIsLater) {
  const WorkingCalendar& cal = Cal();
  auto clock = DeadlineClock::Start(cal, At(2025, 3, 10, 16, 30), Days(1), S());
  ASSERT_TRUE(clock.has_value());
  for (Timestamp now : {At(2025, 3, 10, 16, 30), At(2025, 3, 10, 17, 0), At(2025, 3, 10, 23, 59)}) {
    const ClockStatus st = clock->StatusAt(now, cal, S());
    EXPECT_FALSE(st.overdue) << Show(now);
    EXPECT_GT(st.remaining_minutes, 0);
  }
  EXPECT_EQ(clock->StatusAt(At(2025, 3, 10, 23, 59), cal, S()).remaining_minutes, 420);
  // Same-day procedure received at 14:59: not overdue that evening, overdue next morning.
  auto same = DeadlineClock::Start(cal, At(2025, 3, 10, 14, 59), {LimitUnit::kSameDay, 0}, S());
  ASSERT_TRUE(same.has_value());
  EXPECT_FALSE(same->StatusAt(At(2025, 3, 10, 23, 59), cal, S()).overdue);
  const ClockStatus next = same->StatusAt(At(2025, 3, 11, 7, 31), cal, S());
  EXPECT_TRUE(next.overdue);
  EXPECT_EQ(next.overdue_minutes, 1);
}

TEST_F(DeadlineTest, OverdueByWorkingTimeDisplayedAsDaysAndHours) {
  auto clock = DeadlineClock::Start(Cal(), At(2025, 3, 10, 10, 0), Days(2), S());
  ASSERT_TRUE(clock.has_value());
  // Due Wed 12 Mar 10:00; at Thu 13 Mar 12:00 it is 1 day (450) + 90 min (10:00-11:30) late...
  const ClockStatus st = clock->StatusAt(At(2025, 3, 13, 14, 0), Cal(), S());
  EXPECT_TRUE(st.overdue);
  // ...and at 14:00 another 30 min: 450 + 90 + 30 = 570 = 1 day 2 hours.
  EXPECT_EQ(st.overdue_minutes, 570);
  const WorkingSpan span = SplitWorkingMinutes(st.overdue_minutes, S());
  EXPECT_EQ(span, (WorkingSpan{1, 2, 0}));
  EXPECT_EQ(FormatWorkingSpanVi(span), "1 ngày làm việc 2 giờ");
  EXPECT_EQ(FormatWorkingSpanEn(span), "1 working day 2 hours");
  EXPECT_EQ(FormatWorkingSpanEn(SplitWorkingMinutes(975, S())), "2 working days 1 hour 15 minutes");
  EXPECT_EQ(FormatWorkingSpanVi(SplitWorkingMinutes(0, S())), "0 phút");
  EXPECT_FALSE(clock->StatusAt(At(2025, 3, 12, 10, 0), Cal(), S()).overdue);  // at the due
}

// OpenCPS complaint 4: dossiers marked late after several supplement rounds.
TEST_F(DeadlineTest, SupplementRoundsPauseTheClock) {
  const WorkingCalendar& cal = Cal();
  auto clock = DeadlineClock::Start(cal, At(2025, 3, 3, 8, 0), Days(5), S());
  ASSERT_TRUE(clock.has_value());
  const Timestamp original_due = clock->due();
  EXPECT_EQ(Show(original_due), "08:00 10/03/2025");
  // Three rounds, each waiting two working days on the applicant.
  Timestamp t = At(2025, 3, 4, 9, 0);
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(clock->Pause(t).has_value());
    EXPECT_TRUE(clock->StatusAt(t, cal, S()).paused);
    const Timestamp resume = cal.AddWorkingMinutes(t, 2 * 450, S());
    ASSERT_TRUE(clock->Resume(resume, cal, S()).has_value());
    t = cal.AddWorkingMinutes(resume, 60, S());
  }
  EXPECT_EQ(clock->supplement_rounds(), 3);
  EXPECT_EQ(cal.WorkingMinutesBetween(original_due, clock->due(), S()), 6 * 450);
  // Finished one hour before the moved due: not late, although far past the original due.
  // Finish at the moved due's session start: strictly before it, past the original due.
  const LocalDateTime due_local = ToVietnamLocal(clock->due());
  const Timestamp done = FromVietnamLocal(due_local.date, 7 * 60 + 30);
  ASSERT_LT(done, clock->due());
  EXPECT_GT(done, original_due);
  const ClockStatus st = clock->StatusAt(done, cal, S());
  EXPECT_FALSE(st.overdue);
  EXPECT_EQ(st.remaining_minutes, cal.WorkingMinutesBetween(done, clock->due(), S()));
  EXPECT_GT(st.remaining_minutes, 0);
  // While paused, the clock does not run even across days.
  ASSERT_TRUE(clock->Pause(done).has_value());
  EXPECT_FALSE(clock->StatusAt(At(2025, 6, 1, 9, 0), cal, S()).overdue);
}

// Property: pausing for k working days moves the due by exactly k working days.
TEST_F(DeadlineTest, PropertyPauseMovesDueByExactlyThePausedWorkingDays) {
  const WorkingCalendar& cal = Cal();
  std::mt19937_64 rng(42);
  const Timestamp first = At(2020, 1, 1, 0, 0);
  const int64_t span = At(2038, 1, 1, 0, 0).us - first.us;
  for (int iter = 0; iter < 3000; ++iter) {
    const Timestamp received{first.us + static_cast<int64_t>(rng() % static_cast<uint64_t>(span))};
    const int n = 1 + static_cast<int>(rng() % 30);
    auto clock = DeadlineClock::Start(cal, received, Days(n), S());
    ASSERT_TRUE(clock.has_value());
    const Appointment& a = clock->appointment();
    const Timestamp pause = cal.AddWorkingMinutes(a.clock_start, 1 + rng() % (n * 450), S());
    const int k = 1 + static_cast<int>(rng() % 20);
    const Timestamp resume = cal.AddWorkingMinutes(pause, int64_t{k} * 450, S());
    ASSERT_TRUE(clock->Pause(pause).has_value());
    ASSERT_TRUE(clock->Resume(resume, cal, S()).has_value());
    ASSERT_EQ(cal.WorkingMinutesBetween(a.due, clock->due(), S()), int64_t{k} * 450);
    ASSERT_EQ(clock->due(), cal.AddWorkingMinutes(a.due, int64_t{k} * 450, S()));
    ASSERT_EQ(
        cal.CountWorkingDays(ToVietnamLocal(a.due).date, ToVietnamLocal(clock->due()).date, S()), k)
        << Show(a.due) << " -> " << Show(clock->due());
  }
}

// Property: no due date (any unit, any receipt instant) falls on a non-working day, and it lies
// inside or at the end of a working session.
TEST_F(DeadlineTest, PropertyNoDueOnANonWorkingDay) {
  const WorkingCalendar& cal = Cal();
  std::mt19937_64 rng(99);
  const Timestamp first = At(2020, 1, 1, 0, 0);
  const int64_t span = At(2038, 1, 1, 0, 0).us - first.us;
  const LimitUnit units[] = {LimitUnit::kWorkingDays, LimitUnit::kWorkingHours,
                             LimitUnit::kCalendarDays, LimitUnit::kSameDay};
  for (int iter = 0; iter < 20000; ++iter) {
    const Timestamp received{first.us + static_cast<int64_t>(rng() % static_cast<uint64_t>(span))};
    const LimitUnit unit = units[iter % 4];
    const TimeLimit limit{unit, unit == LimitUnit::kSameDay ? 0 : 1 + static_cast<int>(rng() % 40)};
    const WorkSchedule& s = iter % 5 == 0 ? Sat() : S();
    auto a = cal.ComputeDue(received, limit, s);
    ASSERT_TRUE(a.has_value());
    const LocalDateTime due = ToVietnamLocal(a->due);
    ASSERT_TRUE(cal.IsWorkingDay(due.date, s)) << Show(a->due);
    ASSERT_GE(a->due, received);
    ASSERT_GT(a->budget_minutes, 0);
    const int64_t us = due.minute_of_day * kMicrosPerMinute + due.micros_in_minute;
    bool inside = false;
    const int wd = Weekday(due.date);
    auto sessions =
        cal.Describe(due.date, s).kind == DayKind::kMakeUp ? s.full_day_sessions() : s.sessions(wd);
    for (const WorkSession& ws : sessions) {
      inside |= us > ws.start_minute * kMicrosPerMinute && us <= ws.end_minute * kMicrosPerMinute;
    }
    ASSERT_TRUE(inside) << Show(a->due) << " received " << Show(received) << " unit "
                        << LimitUnitName(unit) << " " << limit.value << " " << s.id();
  }
}

// OpenCPS complaint 3: per-step deadlines of zero.
TEST_F(DeadlineTest, StepBudgetsAreNeverZero) {
  const WorkingCalendar& cal = Cal();
  auto same = DeadlineClock::Start(cal, At(2025, 3, 8, 10, 29), {LimitUnit::kSameDay, 0}, Sat());
  ASSERT_TRUE(same.has_value());
  ASSERT_EQ(same->appointment().budget_minutes, 61);
  const int shares[] = {97, 1, 1, 1};
  auto steps = same->PlanSteps(shares, cal, Sat());
  ASSERT_TRUE(steps.has_value()) << steps.error().ToString();
  int64_t total = 0;
  for (const StepBudget& st : *steps) {
    EXPECT_GT(st.budget_minutes, 0);
    total += st.budget_minutes;
  }
  EXPECT_EQ(total, 61);
  EXPECT_EQ(steps->back().planned_due, same->due());
  // A 5-working-day procedure split 20/30/40/10.
  auto five = DeadlineClock::Start(cal, At(2025, 3, 3, 8, 0), Days(5), S());
  const int shares2[] = {20, 30, 40, 10};
  auto plan = five->PlanSteps(shares2, cal, S());
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ((*plan)[0].budget_minutes, 450);
  EXPECT_EQ((*plan)[2].budget_minutes, 900);
  EXPECT_EQ(Show((*plan)[0].planned_due), "08:00 04/03/2025");
  EXPECT_EQ(plan->back().planned_due, five->due());
  // Invalid shares.
  const int zero[] = {50, 0, 50};
  EXPECT_EQ(five->PlanSteps(zero, cal, S()).error().key, "calendar.bad_step_shares");
  const int short_sum[] = {50, 40};
  EXPECT_EQ(five->PlanSteps(short_sum, cal, S()).error().key, "calendar.bad_step_shares");
}

TEST_F(DeadlineTest, ClockErrors) {
  const WorkingCalendar& cal = Cal();
  auto clock = DeadlineClock::Start(cal, At(2025, 3, 3, 8, 0), Days(5), S());
  ASSERT_TRUE(clock.has_value());
  EXPECT_EQ(clock->Resume(At(2025, 3, 4, 8, 0), cal, S()).error().key, "calendar.clock_not_paused");
  ASSERT_TRUE(clock->Pause(At(2025, 3, 4, 8, 0)).has_value());
  EXPECT_EQ(clock->Pause(At(2025, 3, 4, 9, 0)).error().key, "calendar.clock_already_paused");
  EXPECT_EQ(clock->Resume(At(2025, 3, 3, 9, 0), cal, S()).error().key,
            "calendar.clock_time_reversed");
  EXPECT_EQ(cal.ComputeDue(At(2025, 3, 3, 8, 0), Days(-1), S()).error().key,
            "calendar.bad_time_limit");
  EXPECT_EQ(cal.ComputeDue(At(2025, 3, 3, 8, 0), Days(0), S()).error().key,
            "calendar.bad_time_limit");
  EXPECT_EQ(cal.ComputeDue(At(2019, 3, 3, 8, 0), Days(1), S()).error().key,
            "calendar.out_of_range");
  EXPECT_EQ(cal.ComputeDue(At(2040, 12, 20, 8, 0), Days(30), S()).error().key,
            "calendar.beyond_range");
}

TEST(TimeLimitTest, ParseTimeLimit) {
  auto parse = [](std::string_view text) {
    return ParseTimeLimit(boost::json::parse(text).as_object());
  };
  auto wd = parse(R"({"unit":"working_days","value":5})");
  ASSERT_TRUE(wd.has_value());
  EXPECT_EQ(wd->unit, LimitUnit::kWorkingDays);
  EXPECT_EQ(wd->value, 5);
  auto with_hours = parse(R"({"unit":"working_days","value":2,"hours":4})");
  ASSERT_TRUE(with_hours.has_value());
  EXPECT_EQ(with_hours->hours, 4);
  EXPECT_EQ(parse(R"({"unit":"working_hours","value":8})")->unit, LimitUnit::kWorkingHours);
  EXPECT_EQ(parse(R"({"unit":"calendar_days","value":30})")->unit, LimitUnit::kCalendarDays);
  EXPECT_EQ(parse(R"({"unit":"same_day"})")->unit, LimitUnit::kSameDay);
  for (const char* bad :
       {R"({"unit":"months","value":1})", R"({"unit":"working_days"})",
        R"({"unit":"working_days","value":-1})", R"({"unit":"working_days","value":"5"})",
        R"({"unit":"working_days","value":1.5})", R"({"value":5})",
        R"({"unit":"same_day","value":3})", R"({"unit":"working_hours","value":2,"hours":1})"}) {
    auto r = parse(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().key, "calendar.bad_time_limit") << bad;
  }
}

TEST_F(DeadlineTest, DaysPlusHours) {
  TimeLimit limit{LimitUnit::kWorkingDays, 1, 2};
  const Appointment a = Due(At(2025, 3, 10, 10, 0), limit);
  EXPECT_EQ(a.budget_minutes, 450 + 120);
  // Mon 10:00-11:30 and 13:30-17:00 (300), Tue 07:30-11:30 (240), then 30 more minutes.
  EXPECT_EQ(Show(a.due), "14:00 11/03/2025");
}

}  // namespace
}  // namespace motcua::domain
