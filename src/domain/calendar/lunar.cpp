#include "domain/calendar/lunar.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

namespace motcua::domain {
namespace {

// Hồ Ngọc Đức, "Thuật toán tính âm lịch" (the reference used by Vietnamese almanacs), with the
// time zone fixed at UTC+7. Julian day numbers are integers at local noon.
constexpr double kTimeZone = 7.0;
constexpr double kPi = std::numbers::pi;
constexpr int64_t kJdOfUnixEpoch = 2440588;  // JDN of 1970-01-01

int64_t Floor(double x) { return static_cast<int64_t>(std::floor(x)); }

// Julian day (fractional, UT) of the k-th new moon after 1900-01-01 13:52 UT.
double NewMoon(int64_t k) {
  const double t = static_cast<double>(k) / 1236.85;
  const double t2 = t * t;
  const double t3 = t2 * t;
  const double dr = kPi / 180;
  double jd1 =
      2415020.75933 + 29.53058868 * static_cast<double>(k) + 0.0001178 * t2 - 0.000000155 * t3;
  jd1 += 0.00033 * std::sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
  const double m =
      359.2242 + 29.10535608 * static_cast<double>(k) - 0.0000333 * t2 - 0.00000347 * t3;
  const double mpr =
      306.0253 + 385.81691806 * static_cast<double>(k) + 0.0107306 * t2 + 0.00001236 * t3;
  const double f =
      21.2964 + 390.67050646 * static_cast<double>(k) - 0.0016528 * t2 - 0.00000239 * t3;
  double c1 = (0.1734 - 0.000393 * t) * std::sin(m * dr) + 0.0021 * std::sin(2 * dr * m);
  c1 = c1 - 0.4068 * std::sin(mpr * dr) + 0.0161 * std::sin(dr * 2 * mpr);
  c1 = c1 - 0.0004 * std::sin(dr * 3 * mpr);
  c1 = c1 + 0.0104 * std::sin(dr * 2 * f) - 0.0051 * std::sin(dr * (m + mpr));
  c1 = c1 - 0.0074 * std::sin(dr * (m - mpr)) + 0.0004 * std::sin(dr * (2 * f + m));
  c1 = c1 - 0.0004 * std::sin(dr * (2 * f - m)) - 0.0006 * std::sin(dr * (2 * f + mpr));
  c1 = c1 + 0.0010 * std::sin(dr * (2 * f - mpr)) + 0.0005 * std::sin(dr * (2 * mpr + m));
  double deltat;
  if (t < -11) {
    deltat = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3;
  } else {
    deltat = -0.000278 + 0.000265 * t + 0.000262 * t2;
  }
  return jd1 + c1 - deltat;
}

// Sun's apparent longitude in radians, [0, 2π), at fractional Julian day `jdn`.
double SunLongitude(double jdn) {
  const double t = (jdn - 2451545.0) / 36525;
  const double t2 = t * t;
  const double dr = kPi / 180;
  const double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * std::sin(dr * m);
  dl += (0.019993 - 0.000101 * t) * std::sin(dr * 2 * m) + 0.000290 * std::sin(dr * 3 * m);
  double l = (l0 + dl) * dr;
  l -= kPi * 2 * static_cast<double>(Floor(l / (kPi * 2)));
  return l;
}

// Local day (JDN) of the k-th new moon.
int64_t NewMoonDay(int64_t k) { return Floor(NewMoon(k) + 0.5 + kTimeZone / 24); }

// Index 0..11 of the 30-degree sector the sun is in at the start of local day `jdn`.
int SunSector(int64_t jdn) {
  return static_cast<int>(
      Floor(SunLongitude(static_cast<double>(jdn) - 0.5 - kTimeZone / 24) / kPi * 6));
}

int64_t JdFromCivil(CivilDate d) { return DaysFromCivil(d) + kJdOfUnixEpoch; }

// Start (JDN) of lunar month 11 of solar year `year`: the month containing the winter solstice.
int64_t LunarMonth11(int year) {
  const int64_t off = JdFromCivil(CivilDate{year, 12, 31}) - 2415021;
  const int64_t k = Floor(static_cast<double>(off) / 29.530588853);
  int64_t nm = NewMoonDay(k);
  if (SunSector(nm) >= 9) nm = NewMoonDay(k - 1);
  return nm;
}

// In a 13-month span starting at month 11 (a11), offset of the leap month: the first month
// during which the sun does not enter a new sector (no major solar term).
int LeapMonthOffset(int64_t a11) {
  const int64_t k = Floor((static_cast<double>(a11) - 2415021.076998695) / 29.530588853 + 0.5);
  int i = 1;
  int arc = SunSector(NewMoonDay(k + i));
  int last = 0;
  do {
    last = arc;
    ++i;
    arc = SunSector(NewMoonDay(k + i));
  } while (arc != last && i < 14);
  return i - 1;
}

struct MonthEntry {
  int64_t start_day;  // days since 1970-01-01
  int year;
  int month;
  bool leap;
};

// Every lunar month from month 11 of 1897 to month 11 of 2201, in order. The slack covers the
// public range with a month to spare on both sides.
std::vector<MonthEntry> BuildTable() {
  std::vector<MonthEntry> table;
  table.reserve(3800);
  for (int y = 1897; y <= 2200; ++y) {
    const int64_t a11 = LunarMonth11(y);
    const int64_t b11 = LunarMonth11(y + 1);
    const int64_t k = Floor(0.5 + (static_cast<double>(a11) - 2415021.076998695) / 29.530588853);
    const bool leap_year = b11 - a11 > 365;
    const int leap_off = leap_year ? LeapMonthOffset(a11) : 100;
    for (int i = 0;; ++i) {
      const int64_t start = NewMoonDay(k + i);
      if (start >= b11) break;
      int number = i < leap_off ? i : i - 1;  // months counted from month 11
      int month = (10 + number) % 12 + 1;     // 11, 12, 1, 2, ...
      const bool leap = i == leap_off;
      const int year = (month >= 11 && number < 3) ? y : y + 1;
      table.push_back(MonthEntry{start - kJdOfUnixEpoch, year, month, leap});
    }
  }
  return table;
}

const std::vector<MonthEntry>& Table() {
  static const std::vector<MonthEntry> table = BuildTable();
  return table;
}

int64_t FirstSupportedDay() { return DaysFromCivil(CivilDate{kLunarFirstSolarYear, 1, 1}); }
int64_t LastSupportedDay() { return DaysFromCivil(CivilDate{kLunarLastSolarYear, 12, 31}); }

// Index of the month containing `day`, or -1.
int64_t MonthIndex(int64_t day) {
  const auto& t = Table();
  auto it = std::upper_bound(t.begin(), t.end(), day,
                             [](int64_t d, const MonthEntry& e) { return d < e.start_day; });
  if (it == t.begin() || it == t.end()) return -1;
  return (it - t.begin()) - 1;
}

Error OutOfRange(std::string detail) {
  Error e{ErrorCode::kInvalidArgument, "calendar.lunar_out_of_range", std::move(detail), {}};
  return e;
}

}  // namespace

Result<LunarDate> SolarToLunar(CivilDate date) {
  if (!IsValidCivil(date)) return Fail(OutOfRange("invalid solar date"));
  const int64_t day = DaysFromCivil(date);
  if (day < FirstSupportedDay() || day > LastSupportedDay()) {
    return Fail(OutOfRange(FormatIsoDate(date)));
  }
  const int64_t i = MonthIndex(day);
  if (i < 0) return Fail(OutOfRange(FormatIsoDate(date)));
  const MonthEntry& e = Table()[static_cast<size_t>(i)];
  return LunarDate{e.year, e.month, static_cast<int>(day - e.start_day) + 1, e.leap};
}

Result<CivilDate> LunarToSolar(LunarDate date) {
  if (date.year < kLunarFirstSolarYear - 1 || date.year > kLunarLastSolarYear) {
    return Fail(OutOfRange("lunar year " + std::to_string(date.year)));
  }
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > 30) {
    return Fail(ErrorCode::kInvalidArgument, "calendar.bad_lunar_date", "month/day out of range");
  }
  const auto& t = Table();
  // Months are in order, so a binary search on (year, month, leap) works.
  auto key = [](int y, int m, bool l) { return (int64_t{y} * 13 + m) * 2 + (l ? 1 : 0); };
  const int64_t wanted = key(date.year, date.month, date.leap);
  auto it = std::lower_bound(t.begin(), t.end(), wanted, [&](const MonthEntry& e, int64_t w) {
    return key(e.year, e.month, e.leap) < w;
  });
  if (it == t.end() || key(it->year, it->month, it->leap) != wanted) {
    return Fail(ErrorCode::kInvalidArgument, "calendar.bad_lunar_date",
                date.leap ? "no such leap month" : "no such month");
  }
  if (it + 1 == t.end()) return Fail(OutOfRange("end of table"));
  const int64_t length = (it + 1)->start_day - it->start_day;
  if (date.day > length) {
    return Fail(ErrorCode::kInvalidArgument, "calendar.bad_lunar_date", "day beyond month end");
  }
  const int64_t day = it->start_day + date.day - 1;
  if (day < FirstSupportedDay() || day > LastSupportedDay()) {
    return Fail(OutOfRange("solar day outside 1900..2199"));
  }
  return CivilFromDays(day);
}

Result<CivilDate> LunarNewYear(int year) {
  if (year < kLunarFirstSolarYear || year > kLunarLastSolarYear) {
    return Fail(OutOfRange("year " + std::to_string(year)));
  }
  return LunarToSolar(LunarDate{year, 1, 1, false});
}

int LunarMonthLength(CivilDate date) {
  if (!IsValidCivil(date)) return 0;
  const int64_t day = DaysFromCivil(date);
  if (day < FirstSupportedDay() || day > LastSupportedDay()) return 0;
  const int64_t i = MonthIndex(day);
  if (i < 0 || static_cast<size_t>(i) + 1 >= Table().size()) return 0;
  const auto& t = Table();
  return static_cast<int>(t[static_cast<size_t>(i) + 1].start_day -
                          t[static_cast<size_t>(i)].start_day);
}

}  // namespace motcua::domain
