// Time values: instants are UTC microseconds since the Unix epoch; civil dates and local times are
// Vietnam's (Asia/Ho_Chi_Minh, UTC+7, no daylight saving). Pure arithmetic, no clock reads; the
// current time reaches code through the Clock interface so tests run with a fixed clock.
// Thread-safety: values and const functions; SystemClock is thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace motcua {

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;
inline constexpr int64_t kVietnamOffsetMicros = 7 * kMicrosPerHour;

// An instant in UTC, microseconds since 1970-01-01T00:00:00Z.
struct Timestamp {
  int64_t us = 0;
  auto operator<=>(const Timestamp&) const = default;
};

// A proleptic Gregorian calendar date.
struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  auto operator<=>(const CivilDate&) const = default;
};

// Days since 1970-01-01 (negative before) for a civil date; and back (H. Hinnant's algorithms).
int64_t DaysFromCivil(CivilDate d);
CivilDate CivilFromDays(int64_t days);
// 0 = Sunday … 6 = Saturday.
int Weekday(CivilDate d);
bool IsValidCivil(CivilDate d);
int DaysInMonth(int year, int month);

// Vietnam local wall time of an instant.
struct LocalDateTime {
  CivilDate date;
  int minute_of_day = 0;  // 0..1439
  int64_t micros_in_minute = 0;
};
LocalDateTime ToVietnamLocal(Timestamp t);
Timestamp FromVietnamLocal(CivilDate date, int minute_of_day);

// Formats: ISO-8601 UTC with microseconds ("2025-07-01T02:03:04.000005Z"), Vietnamese display
// ("dd/mm/yyyy", "HH:MM dd/mm/yyyy" in Vietnam time), ISO date "yyyy-mm-dd".
std::string FormatIsoUtc(Timestamp t);
std::string FormatIsoDate(CivilDate d);
std::string FormatViDate(CivilDate d);
std::string FormatViDateTime(Timestamp t);

// Parses "yyyy-mm-dd". Error key "time.bad_date".
Result<CivilDate> ParseIsoDate(std::string_view s);
// Parses an ISO-8601 date-time: "yyyy-mm-ddTHH:MM[:SS[.ffffff]]" followed by "Z", "+07:00"-style
// offset, or nothing (then Vietnam local time is assumed). Error key "time.bad_datetime".
Result<Timestamp> ParseIsoDateTime(std::string_view s);

// The source of the current time. Production uses SystemClock; tests use FixedClock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp t) : now_(t) {}
  Timestamp Now() const override { return now_; }
  void Set(Timestamp t) { now_ = t; }
  void Advance(int64_t micros) { now_.us += micros; }

 private:
  Timestamp now_;
};

}  // namespace motcua
