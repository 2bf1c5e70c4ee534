#include "domain/calendar/deadline.h"

#include <algorithm>
#include <numeric>

namespace motcua::domain {
namespace {

Error BadLimit(std::string detail) {
  return Error{ErrorCode::kInvalidArgument, "calendar.bad_time_limit", std::move(detail), {}};
}

Error CalendarError(std::string key, std::string detail) {
  return Error{ErrorCode::kInvalidArgument, std::move(key), std::move(detail), {}};
}

int64_t LocalMicrosInDay(Timestamp t) {
  const LocalDateTime l = ToVietnamLocal(t);
  return l.minute_of_day * kMicrosPerMinute + l.micros_in_minute;
}

}  // namespace

Result<TimeLimit> ValidateTimeLimit(TimeLimit limit) {
  switch (limit.unit) {
    case LimitUnit::kWorkingDays:
      if (limit.value < 0 || limit.value > 3650 || limit.hours < 0 || limit.hours > 1000 ||
          (limit.value == 0 && limit.hours == 0)) {
        return Fail(BadLimit("working days 0..3650 plus hours 0..1000, total > 0"));
      }
      break;
    case LimitUnit::kWorkingHours:
      if (limit.value < 1 || limit.value > 100000 || limit.hours != 0) {
        return Fail(BadLimit("working hours must be 1..100000"));
      }
      break;
    case LimitUnit::kCalendarDays:
      if (limit.value < 1 || limit.value > 3650 || limit.hours != 0) {
        return Fail(BadLimit("calendar days must be 1..3650"));
      }
      break;
    case LimitUnit::kSameDay:
      if (limit.value < 0 || limit.value > 1 || limit.hours != 0) {
        return Fail(BadLimit("same_day takes no value (or 0/1)"));
      }
      break;
    default:
      return Fail(BadLimit("unknown unit"));
  }
  return limit;
}

Result<TimeLimit> ParseTimeLimit(const boost::json::object& o) {
  auto unit_it = o.find("unit");
  if (unit_it == o.end() || !unit_it->value().is_string()) {
    return Fail(BadLimit("missing unit"));
  }
  const std::string_view unit = unit_it->value().get_string();
  TimeLimit limit;
  if (unit == "working_days") {
    limit.unit = LimitUnit::kWorkingDays;
  } else if (unit == "working_hours") {
    limit.unit = LimitUnit::kWorkingHours;
  } else if (unit == "calendar_days") {
    limit.unit = LimitUnit::kCalendarDays;
  } else if (unit == "same_day") {
    limit.unit = LimitUnit::kSameDay;
  } else {
    return Fail(BadLimit("unknown unit '" + std::string(unit) + "'"));
  }
  auto read_int = [&](std::string_view key, bool required, int& out) -> Result<void> {
    auto it = o.find(key);
    if (it == o.end()) {
      if (required) return Fail(BadLimit(std::string(key) + " missing"));
      return {};
    }
    const auto& v = it->value();
    if (v.is_int64() && v.get_int64() >= INT32_MIN && v.get_int64() <= INT32_MAX) {
      out = static_cast<int>(v.get_int64());
      return {};
    }
    if (v.is_uint64() && v.get_uint64() <= INT32_MAX) {
      out = static_cast<int>(v.get_uint64());
      return {};
    }
    return Fail(BadLimit(std::string(key) + " must be an integer"));
  };
  if (auto r = read_int("value", limit.unit != LimitUnit::kSameDay, limit.value); !r) {
    return Fail(r.error());
  }
  if (auto r = read_int("hours", false, limit.hours); !r) return Fail(r.error());
  return ValidateTimeLimit(limit);
}

WorkingSpan SplitWorkingMinutes(int64_t minutes, const WorkSchedule& schedule) {
  const int64_t sign = minutes < 0 ? -1 : 1;
  const int64_t m = minutes < 0 ? -minutes : minutes;
  const int64_t day = std::max<int64_t>(1, schedule.day_minutes());
  const int64_t rest = m % day;
  return WorkingSpan{sign * (m / day), sign * (rest / 60), sign * (rest % 60)};
}

namespace {

std::string FormatSpan(WorkingSpan span, bool vi) {
  const bool negative = span.days < 0 || span.hours < 0 || span.minutes < 0;
  const int64_t d = negative ? -span.days : span.days;
  const int64_t h = negative ? -span.hours : span.hours;
  const int64_t m = negative ? -span.minutes : span.minutes;
  std::string out;
  auto add = [&](int64_t n, const char* vi_unit, const char* en_one, const char* en_many) {
    if (!out.empty()) out += ' ';
    out += std::to_string(n) + ' ';
    out += vi ? vi_unit : (n == 1 ? en_one : en_many);
  };
  if (d != 0) add(d, "ngày làm việc", "working day", "working days");
  if (h != 0) add(h, "giờ", "hour", "hours");
  if (m != 0 || out.empty()) add(m, "phút", "minute", "minutes");
  return negative ? "-" + out : out;
}

}  // namespace

std::string FormatWorkingSpanVi(WorkingSpan span) { return FormatSpan(span, true); }
std::string FormatWorkingSpanEn(WorkingSpan span) { return FormatSpan(span, false); }

// ----- Appointment -----

Result<WorkingCalendar::DueCore> WorkingCalendar::ComputeDueCore(
    Timestamp received, TimeLimit limit, const WorkSchedule& schedule) const {
  if (auto v = ValidateTimeLimit(limit); !v) return Fail(v.error());
  // Hot path (indicator computations): day indices and local micros, no civil-date conversion.
  const int64_t local = received.us + kVietnamOffsetMicros;
  const int64_t day = local / kMicrosPerDay - (local % kMicrosPerDay < 0 ? 1 : 0);
  const int64_t idx = day - first_day_;
  if (idx < 0 || idx >= NumDays()) {
    return Fail(CalendarError("calendar.out_of_range",
                              FormatIsoDate(CivilFromDays(day)) + " outside the calendar's years"));
  }
  auto beyond = [&] {
    return Fail(CalendarError("calendar.beyond_range",
                              "due after " + std::to_string(last_year_) + "-12-31"));
  };
  const int64_t in_day = local - day * kMicrosPerDay;
  const Start st = ClockStart(idx, in_day, schedule);
  if (st.idx < 0) return beyond();
  DueCore core;
  core.clock_start = DayInstant(st.idx, st.in_day_us);
  switch (st.kind) {
    case StartKind::kInHours:
      core.start_rule = "received_in_working_hours";
      break;
    case StartKind::kBeforeOpening:
      core.start_rule = "received_before_opening_clock_starts_at_opening";
      break;
    case StartKind::kInBreak:
      core.start_rule = "received_during_break_clock_starts_next_session";
      break;
    case StartKind::kAfterHours:
      core.start_rule = "received_after_hours_next_working_day";
      break;
    case StartKind::kDayOff:
      core.start_rule = "received_on_non_working_day_next_working_day";
      break;
  }
  if (limit.unit == LimitUnit::kWorkingDays || limit.unit == LimitUnit::kWorkingHours) {
    const int64_t minutes =
        limit.unit == LimitUnit::kWorkingDays
            ? int64_t{limit.value} * schedule.day_minutes() + int64_t{limit.hours} * 60
            : int64_t{limit.value} * 60;
    if (const DenseIndex* dense = Dense(schedule)) {
      // Every working day lasts day_us: the due is in working day number (total - 1) / day_us.
      const int64_t day_us = dense->day_minutes * kMicrosPerMinute;
      const int64_t total = dense->days_before[static_cast<size_t>(st.idx)] * day_us +
                            IntraDayPosition(st.idx, st.in_day_us, schedule) +
                            minutes * kMicrosPerMinute;
      const int64_t j = (total - 1) / day_us;
      if (j >= static_cast<int64_t>(dense->nth_day.size())) return beyond();
      core.due = InstantAt(dense->nth_day[static_cast<size_t>(j)], total - j * day_us, schedule);
      core.rule = core.start_rule;
      return core;
    }
    const int64_t cum = CumMinutes(st.idx, schedule);
    const int64_t target = cum * kMicrosPerMinute +
                           IntraDayPosition(st.idx, st.in_day_us, schedule) +
                           minutes * kMicrosPerMinute;
    const int64_t d = FindDay(st.idx, cum, target, schedule);
    if (d < 0) return beyond();
    core.due = InstantAt(d, target - CumMinutes(d, schedule) * kMicrosPerMinute, schedule);
    core.rule = core.start_rule;
    return core;
  }
  const LocalDateTime rl = ToVietnamLocal(received);
  const CivilDate start_date = CivilFromDays(first_day_ + st.idx);
  switch (limit.unit) {
    case LimitUnit::kWorkingDays:
    case LimitUnit::kWorkingHours:
      break;  // handled above
    case LimitUnit::kSameDay: {
      const auto sessions = DaySessions(Index(start_date), schedule);
      const int cutoff = std::min(schedule.cutoff_minute(),
                                  sessions.back().end_minute - WorkSchedule::kMinSameDayMinutes);
      // Received earlier the same day: its own time of day; out of hours: the clock start.
      const Timestamp counted = start_date == rl.date ? received : core.clock_start;
      if (LocalMicrosInDay(counted) <= cutoff * kMicrosPerMinute) {
        core.due = EndOfWorkingDay(start_date, schedule);
        core.rule = start_date == rl.date ? "same_day_before_cutoff"
                                          : "same_day_out_of_hours_end_of_next_working_day";
      } else {
        auto next = NextWorkingDay(start_date, schedule);
        if (!next) return beyond();
        core.due = EndOfWorkingDay(*next, schedule);
        core.rule = "same_day_after_cutoff_end_of_next_working_day";
      }
      break;
    }
    case LimitUnit::kCalendarDays: {
      const CivilDate last = CivilFromDays(DaysFromCivil(start_date) + limit.value);
      if (!InRange(last)) return beyond();
      if (IsWorkingDay(last, schedule)) {
        core.due = EndOfWorkingDay(last, schedule);
        core.rule = "calendar_days_end_of_last_day";
      } else {
        auto next = NextWorkingDay(last, schedule);
        if (!next) return beyond();
        core.due = EndOfWorkingDay(*next, schedule);
        core.rule = "calendar_days_last_day_off_end_of_next_working_day";
      }
      break;
    }
  }
  if (core.due == kBeyondCalendar) return beyond();
  return core;
}

Result<Timestamp> WorkingCalendar::ComputeDueInstant(Timestamp received, TimeLimit limit,
                                                     const WorkSchedule& schedule) const {
  auto core = ComputeDueCore(received, limit, schedule);
  if (!core) return Fail(core.error());
  return core->due;
}

Result<Appointment> WorkingCalendar::ComputeDue(Timestamp received, TimeLimit limit,
                                                const WorkSchedule& schedule) const {
  auto core = ComputeDueCore(received, limit, schedule);
  if (!core) return Fail(core.error());
  Appointment a;
  a.received = received;
  a.clock_start = core->clock_start;
  a.due = core->due;
  a.limit = limit;
  a.budget_minutes = WorkingMinutesBetween(core->clock_start, core->due, schedule);
  a.rule = core->rule;
  a.start_rule = core->start_rule;
  const int64_t from = DaysFromCivil(ToVietnamLocal(received).date);
  const int64_t to = DaysFromCivil(ToVietnamLocal(core->due).date);
  for (int64_t d = from; d <= to; ++d) {
    const CivilDate date = CivilFromDays(d);
    if (IsWorkingDay(date, schedule)) continue;
    DayInfo info = Describe(date, schedule);
    a.skipped.push_back(SkippedDay{date, std::string(DayKindName(info.kind)),
                                   std::move(info.name_vi), std::move(info.name_en),
                                   std::move(info.source)});
  }
  return a;
}

// ----- DeadlineClock -----

Result<DeadlineClock> DeadlineClock::Start(const WorkingCalendar& calendar, Timestamp received,
                                           TimeLimit limit, const WorkSchedule& schedule) {
  auto appointment = calendar.ComputeDue(received, limit, schedule);
  if (!appointment) return Fail(appointment.error());
  DeadlineClock clock(std::move(*appointment));
  clock.last_event_ = received;
  return clock;
}

Result<void> DeadlineClock::Pause(Timestamp at) {
  if (paused_since_) {
    return Fail(CalendarError("calendar.clock_already_paused", FormatIsoUtc(at)));
  }
  if (at < last_event_) {
    return Fail(CalendarError("calendar.clock_time_reversed", FormatIsoUtc(at)));
  }
  paused_since_ = at;
  last_event_ = at;
  ++rounds_;
  return {};
}

Result<void> DeadlineClock::Resume(Timestamp at, const WorkingCalendar& calendar,
                                   const WorkSchedule& schedule) {
  if (!paused_since_) return Fail(CalendarError("calendar.clock_not_paused", FormatIsoUtc(at)));
  if (at < last_event_) {
    return Fail(CalendarError("calendar.clock_time_reversed", FormatIsoUtc(at)));
  }
  paused_micros_ += calendar.WorkingMicrosBetween(*paused_since_, at, schedule);
  paused_since_.reset();
  last_event_ = at;
  due_ = calendar.AddWorkingMicros(appointment_.due, paused_micros_, schedule);
  return {};
}

ClockStatus DeadlineClock::StatusAt(Timestamp now, const WorkingCalendar& calendar,
                                    const WorkSchedule& schedule) const {
  ClockStatus s;
  s.due = due_;
  s.paused = paused_since_.has_value();
  int64_t used =
      calendar.WorkingMicrosBetween(appointment_.clock_start, now, schedule) - paused_micros_;
  if (paused_since_) used -= calendar.WorkingMicrosBetween(*paused_since_, now, schedule);
  used = std::max<int64_t>(0, used);
  const int64_t budget = appointment_.budget_minutes * kMicrosPerMinute;
  s.elapsed_minutes = used / kMicrosPerMinute;
  s.overdue = used > budget;
  s.remaining_minutes = s.overdue ? 0 : (budget - used) / kMicrosPerMinute;
  s.overdue_minutes = s.overdue ? (used - budget + kMicrosPerMinute - 1) / kMicrosPerMinute : 0;
  return s;
}

Result<std::vector<StepBudget>> DeadlineClock::PlanSteps(std::span<const int> shares_percent,
                                                         const WorkingCalendar& calendar,
                                                         const WorkSchedule& schedule) const {
  if (shares_percent.empty()) return Fail(CalendarError("calendar.bad_step_shares", "no steps"));
  int sum = 0;
  for (int share : shares_percent) {
    if (share < 1 || share > 100) {
      return Fail(CalendarError("calendar.bad_step_shares", "each share must be 1..100"));
    }
    sum += share;
  }
  if (sum != 100) {
    return Fail(CalendarError("calendar.bad_step_shares",
                              "shares sum to " + std::to_string(sum) + ", not 100"));
  }
  const int64_t budget = appointment_.budget_minutes;
  const auto n = static_cast<int64_t>(shares_percent.size());
  if (budget < n) {
    return Fail(
        CalendarError("calendar.budget_too_small",
                      std::to_string(budget) + " minutes for " + std::to_string(n) + " steps"));
  }
  std::vector<StepBudget> steps(shares_percent.size());
  std::vector<std::pair<int64_t, size_t>> remainders;  // (remainder, index)
  int64_t assigned = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    steps[i].share_percent = shares_percent[i];
    const int64_t exact = budget * shares_percent[i];
    steps[i].budget_minutes = exact / 100;
    assigned += steps[i].budget_minutes;
    remainders.push_back({exact % 100, i});
  }
  // Largest remainder first; ties go to the earlier step.
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; assigned < budget; ++k, ++assigned) {
    ++steps[remainders[k % remainders.size()].second].budget_minutes;
  }
  // Never a zero step: take a minute from the largest step (budget >= n makes this possible).
  for (auto& step : steps) {
    if (step.budget_minutes > 0) continue;
    auto largest = std::max_element(steps.begin(), steps.end(), [](const auto& a, const auto& b) {
      return a.budget_minutes < b.budget_minutes;
    });
    --largest->budget_minutes;
    step.budget_minutes = 1;
  }
  int64_t cumulative = 0;
  for (auto& step : steps) {
    cumulative += step.budget_minutes;
    step.planned_due = calendar.AddWorkingMinutes(appointment_.clock_start, cumulative, schedule);
  }
  return steps;
}

}  // namespace motcua::domain
