// Working-day calendar (lịch ngày làm việc): Labour Code 2019 Art. 112 holidays generated from
// rules (Tết and Hùng Kings' day via the Vietnamese lunar calendar), Art. 111(3) compensatory days
// (nghỉ bù), the yearly official arrangements as data (data/calendar/overrides.json: swaps, make-up
// Saturdays), and per-unit work schedules. WorkingCalendar precomputes a per-day index so working
// time arithmetic is O(1)/O(log n). Thread-safety: every type here is an immutable value after
// construction; concurrent const calls on one WorkingCalendar are safe without locking.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace motcua::domain {

inline constexpr int kCalendarFirstYear = 1900;
inline constexpr int kCalendarLastYear = 2199;
// Returned by AddWorkingMinutes when the result lies after the calendar's last day.
inline constexpr Timestamp kBeyondCalendar{INT64_MAX};

// What a day is. kWorking/kWeekend depend on the schedule; the others are national.
enum class DayKind : uint8_t {
  kWorking,       // an ordinary day the schedule works
  kWeekend,       // an ordinary day the schedule does not work (weekly rest day)
  kHoliday,       // Art. 112 holiday (ngày nghỉ lễ, Tết)
  kCompensatory,  // Art. 111(3) compensatory day off (nghỉ bù)
  kSwapOff,       // weekday off by an official swap (hoán đổi ngày làm việc)
  kMakeUp,        // Saturday/Sunday worked to make up a swap (làm bù); a working day
};
std::string_view DayKindName(DayKind kind);  // "working", "weekend", "holiday", ...

// The Art. 112 occasions a rule generates. Overrides that name an occasion for a year replace
// the whole rule-generated block of that occasion in that year (official calendars win).
enum class Occasion : uint8_t {
  kNone,
  kNewYear,        // Tết Dương lịch, 1 Jan
  kTet,            // Tết Âm lịch, 5 days
  kHungKings,      // Giỗ Tổ Hùng Vương, 10/3 lunar
  kReunification,  // Ngày Chiến thắng, 30 Apr
  kLabourDay,      // Ngày Quốc tế lao động, 1 May
  kNationalDay,    // Quốc khánh, 2 Sep + one adjacent day
};
std::string_view OccasionName(Occasion occasion);  // "", "new_year", "tet", ...

enum class OverrideKind : uint8_t { kHoliday, kCompensatory, kSwapOff, kMakeUp, kWorking };
std::string_view OverrideKindName(OverrideKind kind);  // "holiday", ..., "working"

// One dated entry of the official calendar. kWorking cancels a rule-generated holiday or
// compensatory day; kMakeUp must fall on a Saturday or Sunday; kSwapOff and kCompensatory on
// Monday..Friday.
struct CalendarOverride {
  CivilDate date;
  OverrideKind kind = OverrideKind::kHoliday;
  Occasion occasion = Occasion::kNone;
  std::string name_vi;
  std::string name_en;
  std::string source;  // legal/official document the entry comes from
  std::string note;    // e.g. "UNCERTAIN: ..." when the source is secondary
};

struct CalendarOverrides {
  std::vector<CalendarOverride> entries;  // sorted by date, each date at most once
};

// Parses data/calendar/overrides.json ({"entries":[{"date","kind","occasion"?,"name_vi",
// "name_en","source","note"?}]}). Error keys: calendar.malformed_json, calendar.bad_override
// (wrong shape, unknown field or occasion, kind on the wrong weekday), calendar.bad_date,
// calendar.unknown_kind, calendar.duplicate_date, calendar.year_out_of_range (outside 1900..2199).
[[nodiscard]] Result<CalendarOverrides> ParseCalendarOverrides(std::string_view json_text);

// A working session in Vietnam local time, [start_minute, end_minute) minutes after midnight.
struct WorkSession {
  int start_minute = 0;
  int end_minute = 0;
  bool operator==(const WorkSession&) const = default;
};

// When a unit works: sessions per weekday (0 = Sunday), the same-day cut-off, and the length of
// one "working day" used to turn N working days into working minutes (the longest day).
class WorkSchedule {
 public:
  static constexpr int kMaxSessionsPerDay = 4;
  static constexpr int kDefaultCutoffMinute = 15 * 60;
  // A same-day dossier always gets at least this much working time; later arrivals roll over.
  static constexpr int kMinSameDayMinutes = 60;

  // Validates sessions (sorted, non-overlapping, within the day, at most kMaxSessionsPerDay, at
  // least one working weekday). Error key calendar.bad_schedule.
  [[nodiscard]] static Result<WorkSchedule> Create(
      std::string id, const std::array<std::vector<WorkSession>, 7>& sessions_by_weekday,
      int cutoff_minute = kDefaultCutoffMinute, std::string name_vi = {}, std::string name_en = {});
  // Public-sector standard: Monday–Friday 07:30–11:30 and 13:30–17:00 (7.5 h), cut-off 15:00.
  static WorkSchedule Standard();

  const std::string& id() const { return id_; }
  const std::string& name_vi() const { return name_vi_; }
  const std::string& name_en() const { return name_en_; }
  std::span<const WorkSession> sessions(int weekday) const {
    return {days_[weekday].sessions.data(), static_cast<size_t>(days_[weekday].count)};
  }
  int minutes(int weekday) const { return days_[weekday].minutes; }
  // Sessions worked on make-up days: those of the longest weekday (Monday for the standard).
  std::span<const WorkSession> full_day_sessions() const { return sessions(full_day_weekday_); }
  int64_t day_minutes() const { return days_[full_day_weekday_].minutes; }
  int cutoff_minute() const { return cutoff_minute_; }
  // Minutes per weekday (0..6) and per make-up day (7): the weights of WorkingCalendar's index.
  const std::array<int64_t, 8>& index_weights() const { return weights_; }
  int64_t weekly_minutes() const { return weekly_minutes_; }

 private:
  struct Day {
    std::array<WorkSession, kMaxSessionsPerDay> sessions{};
    int count = 0;
    int minutes = 0;
  };
  std::string id_;
  std::string name_vi_;
  std::string name_en_;
  std::array<Day, 7> days_{};
  int full_day_weekday_ = 1;
  int cutoff_minute_ = kDefaultCutoffMinute;
  std::array<int64_t, 8> weights_{};
  int64_t weekly_minutes_ = 0;
};

// Parses data/calendar/schedules.json ({"schedules":[{"id","name_vi","name_en","cutoff":"15:00",
// "week":{"mon":["07:30-11:30","13:30-17:00"],...}}]}). Error keys: calendar.malformed_json,
// calendar.bad_schedule, calendar.duplicate_schedule.
[[nodiscard]] Result<std::vector<WorkSchedule>> ParseWorkSchedules(std::string_view json_text);
// The schedule with `id`, or nullptr.
const WorkSchedule* FindSchedule(const std::vector<WorkSchedule>& schedules, std::string_view id);

// How a day is treated, with its reason.
struct DayInfo {
  CivilDate date;
  DayKind kind = DayKind::kWorking;
  bool working = true;
  Occasion occasion = Occasion::kNone;
  std::string name_vi;
  std::string name_en;
  std::string source;
  std::string note;
  bool from_override = false;  // from the official calendar data rather than a rule
};

// ----- Time limits and appointments (the vocabulary of deadline.h) -----

// DonViTinh of a procedure's time limit.
enum class LimitUnit { kWorkingDays, kWorkingHours, kCalendarDays, kSameDay };
std::string_view LimitUnitName(LimitUnit unit);  // "working_days", ...

struct TimeLimit {
  LimitUnit unit = LimitUnit::kWorkingDays;
  int value = 0;
  int hours = 0;  // extra working hours with kWorkingDays ("N ngày làm việc M giờ")
};

struct SkippedDay {
  CivilDate date;
  std::string kind;  // DayKindName: weekend, holiday, compensatory, swap_off
  std::string name_vi, name_en, source;
};

// The appointment (hẹn trả) of a dossier and how it was derived.
struct Appointment {
  Timestamp received;     // when the complete dossier was received
  Timestamp clock_start;  // when the clock actually starts (next working moment if out of hours)
  Timestamp due;          // appointment (hẹn trả) instant
  int64_t budget_minutes = 0;  // working minutes allowed
  TimeLimit limit;
  std::vector<SkippedDay> skipped;  // non-working days from the received date to the due date
  std::string rule;                 // stable id of the rule that fixed `due`
  std::string start_rule;           // stable id of the rule that fixed `clock_start`
};

// The working-day calendar for a range of years, with a precomputed per-day index: for every day,
// how many ordinary days of each weekday and how many make-up days precede it. Working time
// before a day for any schedule is then 8 multiply-adds, so the arithmetic below costs O(1)
// (counting) or O(log n) (adding), independent of the schedule and of the distance.
// A schedule whose working days all have one length (the public-sector standard; any schedule
// passed to Create) also gets a dense inverse index, making working-day dues O(1).
// Outside the built range only the weekly schedule applies (no holiday knowledge); times are
// clamped to the range by the counting functions.
class WorkingCalendar {
 public:
  // Builds the calendar for years [first_year, last_year] from the Art. 112 rules and the
  // overrides (official entries win; see docs/impl/calendar.md). Errors:
  // calendar.year_out_of_range (outside 1900..2199 or first > last), calendar.bad_override (a
  // `working` entry that cancels nothing).
  // `dense_schedules`: extra uniform-day schedules to build the O(1) index for.
  [[nodiscard]] static Result<WorkingCalendar> Create(
      const CalendarOverrides& overrides, int first_year, int last_year,
      std::span<const WorkSchedule> dense_schedules = {});

  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }
  bool InRange(CivilDate date) const;

  bool IsWorkingDay(CivilDate date, const WorkSchedule& schedule) const;
  DayInfo Describe(CivilDate date, const WorkSchedule& schedule) const;
  // Every non-working day of `year` (weekly rest days included), in date order; empty if the
  // year is outside the range.
  std::vector<DayInfo> NonWorkingDays(int year, const WorkSchedule& schedule) const;

  // Working days in (from, to]: after `from`, up to and including `to`; 0 if to <= from.
  int64_t CountWorkingDays(CivilDate from, CivilDate to, const WorkSchedule& schedule) const;
  // The n-th working day after `from` (n >= 1), so CountWorkingDays(from, result) == n. Errors:
  // calendar.bad_argument (n < 1), calendar.out_of_range, calendar.beyond_range.
  [[nodiscard]] Result<CivilDate> AddWorkingDays(CivilDate from, int64_t n,
                                                 const WorkSchedule& schedule) const;

  // Working time in [a, b); 0 if b <= a.
  int64_t WorkingMinutesBetween(Timestamp a, Timestamp b, const WorkSchedule& schedule) const;
  int64_t WorkingMicrosBetween(Timestamp a, Timestamp b, const WorkSchedule& schedule) const;
  // The earliest instant by which `minutes` of working time have elapsed after `from` (so a
  // result at the end of a session is preferred to the start of the next); `from` itself if
  // minutes <= 0; kBeyondCalendar past the range.
  Timestamp AddWorkingMinutes(Timestamp from, int64_t minutes, const WorkSchedule& schedule) const;
  Timestamp AddWorkingMicros(Timestamp from, int64_t micros, const WorkSchedule& schedule) const;
  // The same as AddWorkingMinutes, walking day by day without the index: the reference
  // implementation for tests and the benchmark baseline.
  Timestamp AddWorkingMinutesNaive(Timestamp from, int64_t minutes,
                                   const WorkSchedule& schedule) const;

  // `t` if it lies inside a working session, else the start of the next session (kBeyondCalendar
  // past the range).
  Timestamp NextWorkingMoment(Timestamp t, const WorkSchedule& schedule) const;
  // End of the last session of `date` (which must be a working day for the result to be
  // meaningful); the first working day after `date`.
  Timestamp EndOfWorkingDay(CivilDate date, const WorkSchedule& schedule) const;
  [[nodiscard]] Result<CivilDate> NextWorkingDay(CivilDate date,
                                                 const WorkSchedule& schedule) const;

  // The appointment for a dossier received at `received` (rules in deadline.h and
  // docs/impl/calendar.md), with its derivation. Errors: calendar.bad_time_limit,
  // calendar.out_of_range (received outside the range), calendar.beyond_range (due after it).
  [[nodiscard]] Result<Appointment> ComputeDue(Timestamp received, TimeLimit limit,
                                               const WorkSchedule& schedule) const;
  // ComputeDue without the derivation (no allocation): the hot path of indicator computations.
  [[nodiscard]] Result<Timestamp> ComputeDueInstant(Timestamp received, TimeLimit limit,
                                                    const WorkSchedule& schedule) const;

 private:
  // National status of a day; kWorking here means "ordinary" (the schedule decides).
  enum class Status : uint8_t { kOrdinary, kHoliday, kCompensatory, kSwapOff, kMakeUp };
  // Where the clock starts for an instant on day `idx` (in range) at `in_day_us` local micros.
  enum class StartKind : uint8_t { kInHours, kBeforeOpening, kInBreak, kAfterHours, kDayOff };
  struct Start {
    int64_t idx = -1;  // -1: no working time left in the range
    int64_t in_day_us = 0;
    StartKind kind = StartKind::kInHours;
  };
  Start ClockStart(int64_t idx, int64_t in_day_us, const WorkSchedule& schedule) const;
  // Working micros on day idx before `in_day_us`.
  int64_t IntraDayPosition(int64_t idx, int64_t in_day_us, const WorkSchedule& schedule) const;
  Timestamp DayInstant(int64_t idx, int64_t in_day_us) const {
    return Timestamp{(first_day_ + idx) * kMicrosPerDay - kVietnamOffsetMicros + in_day_us};
  }
  // O(1) index for a schedule whose working days all have the same length (the standard one):
  // working days before each day, and the day index of the j-th working day.
  struct DenseIndex {
    std::array<int64_t, 8> weights{};
    int64_t day_minutes = 0;
    std::vector<int32_t> days_before;  // size NumDays() + 1
    std::vector<int32_t> nth_day;      // size = total working days
  };
  const DenseIndex* Dense(const WorkSchedule& schedule) const {
    for (const DenseIndex& d : dense_) {
      if (d.weights == schedule.index_weights()) return &d;
    }
    return nullptr;
  }
  void AddDenseIndex(const WorkSchedule& schedule);
  struct DueCore {
    Timestamp clock_start;
    Timestamp due;
    const char* rule = "";
    const char* start_rule = "";
  };

  WorkingCalendar() = default;
  int64_t Index(CivilDate date) const { return DaysFromCivil(date) - first_day_; }
  int64_t NumDays() const { return static_cast<int64_t>(status_.size()); }
  int DayMinutes(int64_t idx, const WorkSchedule& schedule) const;
  std::span<const WorkSession> DaySessions(int64_t idx, const WorkSchedule& schedule) const;
  // Working minutes in days [0, idx): the index lookup, an 8-term dot product.
  int64_t CumMinutes(int64_t idx, const WorkSchedule& schedule) const {
    const int32_t* p = prefix_[static_cast<size_t>(idx)].data();
    const int64_t* w = schedule.index_weights().data();
    return w[0] * p[0] + w[1] * p[1] + w[2] * p[2] + w[3] * p[3] + w[4] * p[4] + w[5] * p[5] +
           w[6] * p[6] + w[7] * p[7];
  }
  int64_t CumDays(int64_t idx, const WorkSchedule& schedule) const;
  // Working micros from the start of the range to `t` (clamped).
  int64_t Position(Timestamp t, const WorkSchedule& schedule) const;
  // Smallest day index d >= lo with CumMinutes(d + 1) * 60e6 >= target_us, or -1.
  // `cum_lo` is CumMinutes(lo).
  int64_t FindDay(int64_t lo, int64_t cum_lo, int64_t target_us,
                  const WorkSchedule& schedule) const;
  Timestamp InstantAt(int64_t idx, int64_t micros_into_day, const WorkSchedule& schedule) const;
  Result<DueCore> ComputeDueCore(Timestamp received, TimeLimit limit,
                                 const WorkSchedule& schedule) const;
  const DayInfo* Special(CivilDate date) const;

  // Constant after construction.
  int first_year_ = 0;
  int last_year_ = 0;
  int64_t first_day_ = 0;  // days since 1970-01-01 of first_year_-01-01
  int first_weekday_ = 0;
  std::vector<Status> status_;
  std::vector<uint8_t> weekday_;  // weekday of each day, 0 = Sunday
  // prefix_[i][w] (w = 0..6): ordinary days with weekday w in [0, i); prefix_[i][7]: make-up days.
  std::vector<std::array<int32_t, 8>> prefix_;
  std::vector<DayInfo> special_;   // every non-ordinary day, by date, with its names and source
  std::vector<DenseIndex> dense_;  // for uniform schedules: WorkSchedule::Standard() always
};

}  // namespace motcua::domain
