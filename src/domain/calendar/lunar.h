// Vietnamese lunar calendar (âm lịch): solar <-> lunar conversion computed astronomically for
// UTC+7 with Hồ Ngọc Đức's algorithm (new moons and major solar terms; month 11 holds the winter
// solstice; a 13-month year's leap month is the first without a major term). Vietnam's calendar
// can differ from China's (UTC+8) in rare years, e.g. Tết 1985 and 2007.
// Thread-safety: pure functions over a table built once on first use (thread-safe static init).
#pragma once

#include "base/error.h"
#include "base/time.h"

namespace motcua::domain {

// Supported solar range: 1900-01-01 .. 2199-12-31. Lunar years 1899..2199 (lunar year 1899
// covers January 1900); lunar dates whose solar day falls outside the range are rejected.
inline constexpr int kLunarFirstSolarYear = 1900;
inline constexpr int kLunarLastSolarYear = 2199;

struct LunarDate {
  int year = 0;       // the lunar year, numbered like the solar year in which it mostly falls
  int month = 1;      // 1..12 (tháng Giêng = 1, tháng Chạp = 12)
  int day = 1;        // 1..30
  bool leap = false;  // tháng nhuận
  auto operator<=>(const LunarDate&) const = default;
};

// Lunar date of a solar date. Error "calendar.lunar_out_of_range" outside the supported range.
[[nodiscard]] Result<LunarDate> SolarToLunar(CivilDate date);

// Solar date of a lunar date. Errors: "calendar.lunar_out_of_range"; "calendar.bad_lunar_date"
// when the month has no such day (day 30 of a 29-day month) or the year has no such leap month.
[[nodiscard]] Result<CivilDate> LunarToSolar(LunarDate date);

// Mùng 1 Tết of lunar year `year` (in solar year `year`), 1900..2199.
[[nodiscard]] Result<CivilDate> LunarNewYear(int year);

// Number of days (29 or 30) of the lunar month that contains `date`; 0 outside the range.
int LunarMonthLength(CivilDate date);

}  // namespace motcua::domain
