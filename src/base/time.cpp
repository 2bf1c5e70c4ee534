#include "base/time.h"

#include <chrono>
#include <cstdio>

namespace motcua {

int64_t DaysFromCivil(CivilDate d) {
  int64_t y = d.year;
  const unsigned m = static_cast<unsigned>(d.month);
  const unsigned dd = static_cast<unsigned>(d.day);
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + dd - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int Weekday(CivilDate d) {
  const int64_t z = DaysFromCivil(d);
  return static_cast<int>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

bool IsValidCivil(CivilDate d) {
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= DaysInMonth(d.year, d.month);
}

static int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

LocalDateTime ToVietnamLocal(Timestamp t) {
  const int64_t local = t.us + kVietnamOffsetMicros;
  const int64_t days = FloorDiv(local, kMicrosPerDay);
  const int64_t in_day = local - days * kMicrosPerDay;
  return LocalDateTime{CivilFromDays(days), static_cast<int>(in_day / kMicrosPerMinute),
                       in_day % kMicrosPerMinute};
}

Timestamp FromVietnamLocal(CivilDate date, int minute_of_day) {
  return Timestamp{DaysFromCivil(date) * kMicrosPerDay + minute_of_day * kMicrosPerMinute -
                   kVietnamOffsetMicros};
}

std::string FormatIsoUtc(Timestamp t) {
  const int64_t days = FloorDiv(t.us, kMicrosPerDay);
  const int64_t in_day = t.us - days * kMicrosPerDay;
  const CivilDate d = CivilFromDays(days);
  const int64_t secs = in_day / kMicrosPerSecond;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", d.year, d.month, d.day,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60), static_cast<int>(in_day % kMicrosPerSecond));
  return buf;
}

std::string FormatIsoDate(CivilDate d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string FormatViDate(CivilDate d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day, d.month, d.year);
  return buf;
}

std::string FormatViDateTime(Timestamp t) {
  const LocalDateTime l = ToVietnamLocal(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d %02d/%02d/%04d", l.minute_of_day / 60,
                l.minute_of_day % 60, l.date.day, l.date.month, l.date.year);
  return buf;
}

namespace {

bool ParseDigits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

Result<CivilDate> ParseIsoDate(std::string_view s) {
  CivilDate d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !ParseDigits(s, 0, 4, d.year) ||
      !ParseDigits(s, 5, 2, d.month) || !ParseDigits(s, 8, 2, d.day) || !IsValidCivil(d)) {
    return Fail(ErrorCode::kInvalidArgument, "time.bad_date", std::string(s.substr(0, 40)));
  }
  return d;
}

Result<Timestamp> ParseIsoDateTime(std::string_view s) {
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument, "time.bad_datetime", std::string(s.substr(0, 64)));
  };
  if (s.size() < 16 || (s[10] != 'T' && s[10] != ' ')) return bad();
  auto date = ParseIsoDate(s.substr(0, 10));
  if (!date) return bad();
  int hh = 0, mm = 0, ss = 0;
  if (!ParseDigits(s, 11, 2, hh) || s[13] != ':' || !ParseDigits(s, 14, 2, mm)) return bad();
  size_t pos = 16;
  int64_t frac = 0;
  if (pos < s.size() && s[pos] == ':') {
    if (!ParseDigits(s, pos + 1, 2, ss)) return bad();
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 6) frac = frac * 10 + (s[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0 || digits > 9) return bad();
      for (int i = digits; i < 6; ++i) frac *= 10;
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) return bad();
  int64_t offset_us = kVietnamOffsetMicros;
  if (pos < s.size()) {
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      offset_us = 0;
    } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
      int oh = 0, om = 0;
      if (!ParseDigits(s, pos + 1, 2, oh) || !ParseDigits(s, pos + 4, 2, om) || oh > 14 || om > 59)
        return bad();
      offset_us = (oh * 60 + om) * kMicrosPerMinute * (s[pos] == '-' ? -1 : 1);
    } else {
      return bad();
    }
  }
  const int64_t local = DaysFromCivil(*date) * kMicrosPerDay + hh * kMicrosPerHour +
                        mm * kMicrosPerMinute + ss * kMicrosPerSecond + frac;
  return Timestamp{local - offset_us};
}

Timestamp SystemClock::Now() const {
  using namespace std::chrono;
  return Timestamp{duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()};
}

}  // namespace motcua
