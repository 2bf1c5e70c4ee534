// Deadline clocks (thời hạn giải quyết) of one-stop dossiers: the appointment (hẹn trả, form 01)
// computed from a procedure's time limit, pause/resume while the applicant supplements (yêu cầu
// bổ sung: waiting time does not count), per-step budgets, overdue state. Rules: Decree 61/2018 and
// 45/2020 practice as summarised in docs/impl/calendar.md. Thread-safety: values; const calls are
// safe to share, mutating calls (Pause/Resume) need external synchronisation.
//
// Rules (all instants in Vietnam time, working time per the unit's WorkSchedule and calendar):
// - Clock start: received inside a working session -> at once; before opening or in a break ->
//   the next session start that day; after hours or on a non-working day -> the first session of
//   the next working day.
// - N working days = N x schedule.day_minutes() working minutes counted from the clock start
//   (received Mon 10:00, 2 working days -> Wed 10:00, holidays skipped); M working hours = M x 60.
//   A due exactly at a session end stays there (Tue 17:00, not Wed 07:30).
// - Same day: received at or before the 15:00 cut-off (capped at one hour before the day's last
//   session end) -> end of that working day; later -> end of the next working day. Out-of-hours
//   receipt counts from the clock start's day.
// - Calendar days: clock-start date + N days; due at the end of that day's last session, or at the
//   end of the next working day if that day is not worked (Civil Code 2015 Art. 148).
// - Never overdue before the due instant: overdue means working time used > budget.
// - Pause (supplement requested) freezes the clock; Resume moves the due by exactly the working
//   time paused, so any number of supplement rounds never makes a dossier late by itself.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "domain/calendar/calendar.h"

namespace motcua::domain {

// {"unit":"working_days","value":5[,"hours":4]}; units "working_days", "working_hours",
// "calendar_days", "same_day" (value optional, 0 or 1). Other fields are ignored. Error key
// calendar.bad_time_limit.
[[nodiscard]] Result<TimeLimit> ParseTimeLimit(const boost::json::object& o);
// Checks ranges: working days 0..3650 with hours 0..1000 and a positive total; working hours
// 1..100000; calendar days 1..3650; same day 0 or 1. Error key calendar.bad_time_limit.
[[nodiscard]] Result<TimeLimit> ValidateTimeLimit(TimeLimit limit);

// "N ngày làm việc M giờ" split of a working-minute amount for a schedule's day length. Negative
// amounts give negative components.
struct WorkingSpan {
  int64_t days = 0;
  int64_t hours = 0;
  int64_t minutes = 0;
  bool operator==(const WorkingSpan&) const = default;
};
WorkingSpan SplitWorkingMinutes(int64_t minutes, const WorkSchedule& schedule);
std::string FormatWorkingSpanVi(WorkingSpan span);  // "2 ngày làm việc 3 giờ 15 phút"
std::string FormatWorkingSpanEn(WorkingSpan span);  // "2 working days 3 hours 15 minutes"

// A step's share of the total budget (Form 06 process control).
struct StepBudget {
  int share_percent = 0;
  int64_t budget_minutes = 0;  // always >= 1
  Timestamp planned_due;       // clock start + the budgets of this and the earlier steps
};

struct ClockStatus {
  Timestamp due;  // current due (moved by completed pauses)
  bool paused = false;
  bool overdue = false;           // working time used > budget
  int64_t elapsed_minutes = 0;    // working time used, pauses excluded
  int64_t remaining_minutes = 0;  // budget - used, floored, >= 0
  int64_t overdue_minutes = 0;    // used - budget, rounded up, >= 0
};

// The clock of one dossier. Pure data plus the calendar/schedule passed to each call, so it can
// be rebuilt from stored events (received, limit, pause and resume instants).
class DeadlineClock {
 public:
  // Starts the clock with ComputeDue's appointment. Errors as ComputeDue.
  [[nodiscard]] static Result<DeadlineClock> Start(const WorkingCalendar& calendar,
                                                   Timestamp received, TimeLimit limit,
                                                   const WorkSchedule& schedule);

  // Supplement requested at `at`. Errors: calendar.clock_already_paused,
  // calendar.clock_time_reversed (at before the previous event).
  [[nodiscard]] Result<void> Pause(Timestamp at);
  // Supplement received at `at`: the due moves by the working time in [pause, at). Errors:
  // calendar.clock_not_paused, calendar.clock_time_reversed.
  [[nodiscard]] Result<void> Resume(Timestamp at, const WorkingCalendar& calendar,
                                    const WorkSchedule& schedule);

  // State at `now` (any instant; before the clock start nothing is used).
  ClockStatus StatusAt(Timestamp now, const WorkingCalendar& calendar,
                       const WorkSchedule& schedule) const;

  // Splits the budget by integer percentage shares (each 1..100, summing to 100) with the
  // largest-remainder method; every step gets at least one minute. Errors:
  // calendar.bad_step_shares, calendar.budget_too_small (fewer minutes than steps).
  [[nodiscard]] Result<std::vector<StepBudget>> PlanSteps(std::span<const int> shares_percent,
                                                          const WorkingCalendar& calendar,
                                                          const WorkSchedule& schedule) const;

  const Appointment& appointment() const { return appointment_; }
  Timestamp due() const { return due_; }
  bool paused() const { return paused_since_.has_value(); }
  int64_t paused_micros() const { return paused_micros_; }  // completed pauses, working time
  int supplement_rounds() const { return rounds_; }

 private:
  explicit DeadlineClock(Appointment a) : appointment_(std::move(a)), due_(appointment_.due) {}

  Appointment appointment_;
  Timestamp due_;
  int64_t paused_micros_ = 0;
  std::optional<Timestamp> paused_since_;
  Timestamp last_event_{INT64_MIN};
  int rounds_ = 0;
};

}  // namespace motcua::domain
