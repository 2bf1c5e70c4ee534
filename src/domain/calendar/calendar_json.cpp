#include "domain/calendar/calendar_json.h"

#include <cstdio>
#include <string>

namespace motcua::domain {
namespace {

constexpr const char* kWeekdaysVi[7] = {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
                                        "Thứ Năm",  "Thứ Sáu", "Thứ Bảy"};
constexpr const char* kWeekdaysEn[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};

// "2025-01-27T10:00:00+07:00"
std::string FormatLocalIso(Timestamp t) {
  const LocalDateTime l = ToVietnamLocal(t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", l.date.year, l.date.month,
                l.date.day, l.minute_of_day / 60, l.minute_of_day % 60,
                static_cast<int>(l.micros_in_minute / kMicrosPerSecond));
  return buf;
}

}  // namespace

boost::json::object DayInfoToJson(const DayInfo& day) {
  boost::json::object o;
  const int wd = Weekday(day.date);
  o["date"] = FormatIsoDate(day.date);
  o["date_vi"] = FormatViDate(day.date);
  o["weekday_vi"] = kWeekdaysVi[wd];
  o["weekday_en"] = kWeekdaysEn[wd];
  o["kind"] = std::string(DayKindName(day.kind));
  o["working"] = day.working;
  if (day.occasion != Occasion::kNone) o["occasion"] = std::string(OccasionName(day.occasion));
  o["name_vi"] = day.name_vi;
  o["name_en"] = day.name_en;
  if (!day.source.empty()) o["source"] = day.source;
  if (!day.note.empty()) o["note"] = day.note;
  o["official"] = day.from_override;
  return o;
}

boost::json::object NonWorkingDaysToJson(int year, const std::vector<DayInfo>& days,
                                         const WorkSchedule& schedule) {
  boost::json::object o;
  o["year"] = year;
  o["schedule"] = schedule.id();
  o["count"] = days.size();
  int64_t off_weekdays = 0;
  boost::json::array list;
  for (const DayInfo& d : days) {
    if (d.kind != DayKind::kWeekend) ++off_weekdays;
    list.push_back(DayInfoToJson(d));
  }
  o["holidays_and_days_off"] = off_weekdays;
  o["days"] = std::move(list);
  return o;
}

boost::json::object InstantToJson(Timestamp t) {
  boost::json::object o;
  const LocalDateTime l = ToVietnamLocal(t);
  o["utc"] = FormatIsoUtc(t);
  o["local"] = FormatLocalIso(t);
  o["date"] = FormatIsoDate(l.date);
  o["date_vi"] = FormatViDate(l.date);
  o["display_vi"] = FormatViDateTime(t);
  return o;
}

boost::json::object AppointmentToJson(const Appointment& a, const WorkSchedule& schedule) {
  boost::json::object o;
  o["received"] = InstantToJson(a.received);
  o["clock_start"] = InstantToJson(a.clock_start);
  o["due"] = InstantToJson(a.due);
  boost::json::object limit;
  limit["unit"] = std::string(LimitUnitName(a.limit.unit));
  limit["value"] = a.limit.value;
  if (a.limit.hours != 0) limit["hours"] = a.limit.hours;
  o["limit"] = std::move(limit);
  o["schedule"] = schedule.id();
  o["budget_minutes"] = a.budget_minutes;
  const WorkingSpan span = SplitWorkingMinutes(a.budget_minutes, schedule);
  o["budget"] = {{"days", span.days},
                 {"hours", span.hours},
                 {"minutes", span.minutes},
                 {"vi", FormatWorkingSpanVi(span)},
                 {"en", FormatWorkingSpanEn(span)}};
  o["rule"] = a.rule;
  o["start_rule"] = a.start_rule;
  boost::json::array skipped;
  for (const SkippedDay& s : a.skipped) {
    boost::json::object d;
    d["date"] = FormatIsoDate(s.date);
    d["date_vi"] = FormatViDate(s.date);
    d["weekday_vi"] = kWeekdaysVi[Weekday(s.date)];
    d["kind"] = s.kind;
    d["name_vi"] = s.name_vi;
    d["name_en"] = s.name_en;
    if (!s.source.empty()) d["source"] = s.source;
    skipped.push_back(std::move(d));
  }
  o["skipped"] = std::move(skipped);
  return o;
}

boost::json::object ErrorToJson(const Error& error) {
  boost::json::object o;
  o["code"] = error.key;
  o["message"] = error.detail.empty() ? error.key : error.detail;
  return o;
}

}  // namespace motcua::domain
