#include "domain/calendar/calendar.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "base/json.h"
#include "domain/calendar/lunar.h"

namespace motcua::domain {
namespace {

constexpr char kLabourCode112[] = "Bộ luật Lao động 2019, Điều 112";
constexpr char kLabourCode111[] = "Bộ luật Lao động 2019, Điều 111 khoản 3";

Error CalendarError(std::string key, std::string detail) {
  return Error{ErrorCode::kInvalidArgument, std::move(key), std::move(detail), {}};
}

bool IsWeekend(int weekday) { return weekday == 0 || weekday == 6; }

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::optional<Occasion> OccasionFromName(std::string_view name) {
  static constexpr std::pair<std::string_view, Occasion> kNames[] = {
      {"new_year", Occasion::kNewYear},     {"tet", Occasion::kTet},
      {"hung_kings", Occasion::kHungKings}, {"reunification", Occasion::kReunification},
      {"labour_day", Occasion::kLabourDay}, {"national_day", Occasion::kNationalDay},
  };
  for (const auto& [n, o] : kNames) {
    if (n == name) return o;
  }
  return std::nullopt;
}

std::optional<OverrideKind> OverrideKindFromName(std::string_view name) {
  static constexpr std::pair<std::string_view, OverrideKind> kNames[] = {
      {"holiday", OverrideKind::kHoliday},  {"compensatory", OverrideKind::kCompensatory},
      {"swap_off", OverrideKind::kSwapOff}, {"make_up", OverrideKind::kMakeUp},
      {"working", OverrideKind::kWorking},
  };
  for (const auto& [n, k] : kNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

// "HH:MM" -> minutes after midnight (24:00 allowed as an end).
std::optional<int> ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

}  // namespace

std::string_view DayKindName(DayKind kind) {
  switch (kind) {
    case DayKind::kWorking:
      return "working";
    case DayKind::kWeekend:
      return "weekend";
    case DayKind::kHoliday:
      return "holiday";
    case DayKind::kCompensatory:
      return "compensatory";
    case DayKind::kSwapOff:
      return "swap_off";
    case DayKind::kMakeUp:
      return "make_up";
  }
  return "unknown";
}

std::string_view OccasionName(Occasion occasion) {
  switch (occasion) {
    case Occasion::kNone:
      return "";
    case Occasion::kNewYear:
      return "new_year";
    case Occasion::kTet:
      return "tet";
    case Occasion::kHungKings:
      return "hung_kings";
    case Occasion::kReunification:
      return "reunification";
    case Occasion::kLabourDay:
      return "labour_day";
    case Occasion::kNationalDay:
      return "national_day";
  }
  return "";
}

std::string_view OverrideKindName(OverrideKind kind) {
  switch (kind) {
    case OverrideKind::kHoliday:
      return "holiday";
    case OverrideKind::kCompensatory:
      return "compensatory";
    case OverrideKind::kSwapOff:
      return "swap_off";
    case OverrideKind::kMakeUp:
      return "make_up";
    case OverrideKind::kWorking:
      return "working";
  }
  return "unknown";
}

std::string_view LimitUnitName(LimitUnit unit) {
  switch (unit) {
    case LimitUnit::kWorkingDays:
      return "working_days";
    case LimitUnit::kWorkingHours:
      return "working_hours";
    case LimitUnit::kCalendarDays:
      return "calendar_days";
    case LimitUnit::kSameDay:
      return "same_day";
  }
  return "unknown";
}

// ----- Overrides -----

Result<CalendarOverrides> ParseCalendarOverrides(std::string_view json_text) {
  auto parsed = json::Parse(json_text);
  if (!parsed) return Fail(CalendarError("calendar.malformed_json", parsed.error().detail));
  if (!parsed->is_object()) {
    return Fail(CalendarError("calendar.bad_override", "top level is not an object"));
  }
  const auto& top = parsed->get_object();
  for (const auto& kv : top) {
    if (kv.key() != "entries" && kv.key() != "schema" && kv.key() != "updated" &&
        kv.key() != "description") {
      return Fail(CalendarError("calendar.bad_override",
                                "unknown top-level field " + std::string(kv.key())));
    }
  }
  auto entries = json::Array(top, "entries");
  if (!entries) return Fail(CalendarError("calendar.bad_override", "missing entries array"));

  CalendarOverrides out;
  std::set<CivilDate> seen;
  size_t index = 0;
  for (const auto& v : **entries) {
    const std::string where = "entries[" + std::to_string(index++) + "]";
    auto bad = [&](std::string key, std::string why) {
      Error e = CalendarError(std::move(key), where + ": " + why);
      e.With("entry", where);
      return Fail(std::move(e));
    };
    if (!v.is_object()) return bad("calendar.bad_override", "not an object");
    const auto& o = v.get_object();
    for (const auto& kv : o) {
      static constexpr std::string_view kFields[] = {"date",    "kind",   "occasion", "name_vi",
                                                     "name_en", "source", "note"};
      if (std::find(std::begin(kFields), std::end(kFields), kv.key()) == std::end(kFields)) {
        return bad("calendar.bad_override", "unknown field " + std::string(kv.key()));
      }
      if (!kv.value().is_string()) {
        return bad("calendar.bad_override", std::string(kv.key()) + " is not a string");
      }
    }
    CalendarOverride entry;
    auto date_text = json::String(o, "date");
    if (!date_text) return bad("calendar.bad_date", "missing date");
    // Check the year before the full date so "1899-12-31" reports the range, not the format.
    auto date = ParseIsoDate(*date_text);
    if (!date) return bad("calendar.bad_date", "bad date '" + *date_text + "'");
    entry.date = *date;
    if (entry.date.year < kCalendarFirstYear || entry.date.year > kCalendarLastYear) {
      return bad("calendar.year_out_of_range", *date_text + " outside 1900..2199");
    }
    auto kind_text = json::String(o, "kind");
    if (!kind_text) return bad("calendar.unknown_kind", "missing kind");
    auto kind = OverrideKindFromName(*kind_text);
    if (!kind) return bad("calendar.unknown_kind", "unknown kind '" + *kind_text + "'");
    entry.kind = *kind;
    if (auto occ = json::OptString(o, "occasion")) {
      auto parsed_occ = OccasionFromName(*occ);
      if (!parsed_occ) return bad("calendar.bad_override", "unknown occasion '" + *occ + "'");
      entry.occasion = *parsed_occ;
    }
    for (auto [field, target] :
         {std::pair{"name_vi", &entry.name_vi}, std::pair{"name_en", &entry.name_en},
          std::pair{"source", &entry.source}}) {
      auto s = json::String(o, field);
      if (!s || s->empty()) return bad("calendar.bad_override", std::string(field) + " missing");
      *target = std::move(*s);
    }
    entry.note = json::OptString(o, "note").value_or("");
    const int wd = Weekday(entry.date);
    if (entry.kind == OverrideKind::kMakeUp && !IsWeekend(wd)) {
      return bad("calendar.bad_override", "make_up must be a Saturday or Sunday");
    }
    if ((entry.kind == OverrideKind::kSwapOff || entry.kind == OverrideKind::kCompensatory) &&
        IsWeekend(wd)) {
      return bad("calendar.bad_override",
                 std::string(OverrideKindName(entry.kind)) + " must be Monday..Friday");
    }
    if (entry.kind == OverrideKind::kWorking && entry.occasion != Occasion::kNone) {
      return bad("calendar.bad_override", "a working entry cannot name an occasion");
    }
    if (!seen.insert(entry.date).second) {
      return bad("calendar.duplicate_date", *date_text + " appears twice");
    }
    out.entries.push_back(std::move(entry));
  }
  std::sort(out.entries.begin(), out.entries.end(),
            [](const auto& a, const auto& b) { return a.date < b.date; });
  return out;
}

// ----- Schedules -----

Result<WorkSchedule> WorkSchedule::Create(
    std::string id, const std::array<std::vector<WorkSession>, 7>& sessions_by_weekday,
    int cutoff_minute, std::string name_vi, std::string name_en) {
  auto bad = [&](std::string why) {
    return Fail(CalendarError("calendar.bad_schedule", id + ": " + why));
  };
  if (id.empty()) return bad("empty id");
  if (cutoff_minute < 0 || cutoff_minute > 24 * 60) return bad("cut-off outside the day");
  WorkSchedule s;
  int best = -1;
  for (int wd = 0; wd < 7; ++wd) {
    const auto& list = sessions_by_weekday[wd];
    if (list.size() > static_cast<size_t>(kMaxSessionsPerDay)) return bad("too many sessions");
    int prev_end = 0;
    Day& day = s.days_[wd];
    for (const WorkSession& ws : list) {
      if (ws.start_minute < prev_end || ws.end_minute <= ws.start_minute ||
          ws.end_minute > 24 * 60) {
        return bad("sessions must be sorted, non-empty, non-overlapping, within the day");
      }
      prev_end = ws.end_minute;
      day.sessions[static_cast<size_t>(day.count++)] = ws;
      day.minutes += ws.end_minute - ws.start_minute;
    }
  }
  // The longest day, Monday first (Monday..Saturday, then Sunday), is the "working day".
  for (int k = 0; k < 7; ++k) {
    const int wd = (k + 1) % 7;
    if (s.days_[wd].minutes > best) {
      best = s.days_[wd].minutes;
      s.full_day_weekday_ = wd;
    }
  }
  if (best <= 0) return bad("no working day");
  for (int wd = 0; wd < 7; ++wd) {
    s.weights_[static_cast<size_t>(wd)] = s.days_[wd].minutes;
    s.weekly_minutes_ += s.days_[wd].minutes;
  }
  s.weights_[7] = best;
  s.id_ = std::move(id);
  s.name_vi_ = std::move(name_vi);
  s.name_en_ = std::move(name_en);
  s.cutoff_minute_ = cutoff_minute;
  return s;
}

WorkSchedule WorkSchedule::Standard() {
  std::array<std::vector<WorkSession>, 7> week;
  for (int wd = 1; wd <= 5; ++wd) week[wd] = {{7 * 60 + 30, 11 * 60 + 30}, {13 * 60 + 30, 17 * 60}};
  return *Create("standard", week, kDefaultCutoffMinute, "Giờ hành chính (thứ Hai – thứ Sáu)",
                 "Office hours (Monday–Friday)");
}

Result<std::vector<WorkSchedule>> ParseWorkSchedules(std::string_view json_text) {
  auto parsed = json::Parse(json_text);
  if (!parsed) return Fail(CalendarError("calendar.malformed_json", parsed.error().detail));
  if (!parsed->is_object()) return Fail(CalendarError("calendar.bad_schedule", "not an object"));
  auto list = json::Array(parsed->get_object(), "schedules");
  if (!list) return Fail(CalendarError("calendar.bad_schedule", "missing schedules array"));
  static constexpr std::string_view kDays[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  std::vector<WorkSchedule> out;
  for (const auto& v : **list) {
    if (!v.is_object()) return Fail(CalendarError("calendar.bad_schedule", "entry not an object"));
    const auto& o = v.get_object();
    auto id = json::String(o, "id");
    if (!id) return Fail(CalendarError("calendar.bad_schedule", "missing id"));
    auto bad = [&](std::string why) {
      Error e = CalendarError("calendar.bad_schedule", *id + ": " + why);
      e.With("schedule", *id);
      return Fail(std::move(e));
    };
    int cutoff = WorkSchedule::kDefaultCutoffMinute;
    if (auto c = json::OptString(o, "cutoff")) {
      auto m = ParseClock(*c);
      if (!m) return bad("bad cutoff '" + *c + "'");
      cutoff = *m;
    }
    auto week_obj = json::Object(o, "week");
    if (!week_obj) return bad("missing week object");
    std::array<std::vector<WorkSession>, 7> week;
    for (const auto& kv : **week_obj) {
      auto it = std::find(std::begin(kDays), std::end(kDays), kv.key());
      if (it == std::end(kDays)) return bad("unknown weekday " + std::string(kv.key()));
      if (!kv.value().is_array()) return bad("sessions must be an array");
      for (const auto& sv : kv.value().get_array()) {
        if (!sv.is_string()) return bad("session must be \"HH:MM-HH:MM\"");
        std::string_view text = sv.get_string();
        auto start = ParseClock(text.substr(0, 5));
        auto end = text.size() == 11 && text[5] == '-' ? ParseClock(text.substr(6)) : std::nullopt;
        if (!start || !end) return bad("bad session '" + std::string(text) + "'");
        week[static_cast<size_t>(it - std::begin(kDays))].push_back({*start, *end});
      }
    }
    auto schedule =
        WorkSchedule::Create(*id, week, cutoff, json::OptString(o, "name_vi").value_or(""),
                             json::OptString(o, "name_en").value_or(""));
    if (!schedule) return Fail(schedule.error());
    if (FindSchedule(out, *id) != nullptr) {
      return Fail(CalendarError("calendar.duplicate_schedule", *id));
    }
    out.push_back(std::move(*schedule));
  }
  if (out.empty()) return Fail(CalendarError("calendar.bad_schedule", "no schedules"));
  return out;
}

const WorkSchedule* FindSchedule(const std::vector<WorkSchedule>& schedules, std::string_view id) {
  for (const auto& s : schedules) {
    if (s.id() == id) return &s;
  }
  return nullptr;
}

// ----- Rule generation -----

namespace {

struct Generated {
  CivilDate date;
  Occasion occasion;
  std::string name_vi, name_en;
};

// 2 Sep plus one adjacent day (Art. 112(1)(đ)); the Prime Minister picks 1 or 3 Sep yearly.
// Default: the adjacent day that is Monday..Friday; if both are, the one next to a weekend
// (Mon/Fri); a remaining tie (2 Sep on Wednesday) goes to 1 Sep. Reproduces 2021–2026.
CivilDate NationalDayAdjacent(int year) {
  const CivilDate before{year, 9, 1};
  const CivilDate after{year, 9, 3};
  const int wb = Weekday(before);
  const int wa = Weekday(after);
  if (IsWeekend(wb)) return after;
  if (IsWeekend(wa)) return before;
  auto next_to_weekend = [](int wd) { return wd == 1 || wd == 5; };
  if (next_to_weekend(wa) && !next_to_weekend(wb)) return after;
  return before;
}

std::vector<Generated> GenerateHolidays(int year) {
  std::vector<Generated> out;
  out.push_back({{year, 1, 1}, Occasion::kNewYear, "Tết Dương lịch", "New Year's Day"});
  if (auto tet = LunarNewYear(year)) {
    // Default Tết block: the last day of the old lunar year and mùng 1–4 of the new one.
    const int64_t first = DaysFromCivil(*tet);
    out.push_back({CivilFromDays(first - 1), Occasion::kTet,
                   "Tết Nguyên đán (ngày cuối năm Âm lịch)",
                   "Lunar New Year (last day of the lunar year)"});
    for (int i = 0; i < 4; ++i) {
      out.push_back({CivilFromDays(first + i), Occasion::kTet,
                     "Tết Nguyên đán (mùng " + std::to_string(i + 1) + ")",
                     "Lunar New Year (day " + std::to_string(i + 1) + ")"});
    }
  }
  if (auto hung = LunarToSolar(LunarDate{year, 3, 10, false})) {
    out.push_back({*hung, Occasion::kHungKings, "Giỗ Tổ Hùng Vương (10/3 Âm lịch)",
                   "Hùng Kings' Commemoration Day (10th day of the 3rd lunar month)"});
  }
  out.push_back({{year, 4, 30},
                 Occasion::kReunification,
                 "Ngày Chiến thắng (30/4)",
                 "Reunification Day (30 April)"});
  out.push_back({{year, 5, 1},
                 Occasion::kLabourDay,
                 "Ngày Quốc tế lao động (1/5)",
                 "International Labour Day (1 May)"});
  out.push_back(
      {{year, 9, 2}, Occasion::kNationalDay, "Quốc khánh (2/9)", "National Day (2 September)"});
  out.push_back({NationalDayAdjacent(year), Occasion::kNationalDay, "Quốc khánh (ngày liền kề)",
                 "National Day (adjacent day)"});
  return out;
}

}  // namespace

Result<WorkingCalendar> WorkingCalendar::Create(const CalendarOverrides& overrides, int first_year,
                                                int last_year,
                                                std::span<const WorkSchedule> dense_schedules) {
  if (first_year < kCalendarFirstYear || last_year > kCalendarLastYear || first_year > last_year) {
    Error e = CalendarError(
        "calendar.year_out_of_range",
        std::to_string(first_year) + ".." + std::to_string(last_year) + " not within 1900..2199");
    e.With("first_year", std::to_string(first_year)).With("last_year", std::to_string(last_year));
    return Fail(std::move(e));
  }
  WorkingCalendar cal;
  cal.first_year_ = first_year;
  cal.last_year_ = last_year;
  cal.first_day_ = DaysFromCivil(CivilDate{first_year, 1, 1});
  const int64_t end_day = DaysFromCivil(CivilDate{last_year, 12, 31}) + 1;
  const int64_t n = end_day - cal.first_day_;
  cal.first_weekday_ = Weekday(CivilDate{first_year, 1, 1});

  // (year, occasion) pairs the official data replaces.
  std::set<std::pair<int, Occasion>> replaced;
  for (const auto& e : overrides.entries) {
    if (e.occasion != Occasion::kNone) replaced.insert({e.date.year, e.occasion});
  }

  std::map<CivilDate, DayInfo> days;
  // Holidays that earn an Art. 111(3) compensatory day if they fall on a weekend.
  std::vector<CivilDate> compensable;
  for (int year = first_year; year <= last_year; ++year) {
    for (Generated& g : GenerateHolidays(year)) {
      if (replaced.contains({year, g.occasion}) || days.contains(g.date)) continue;
      DayInfo info;
      info.date = g.date;
      info.kind = DayKind::kHoliday;
      info.working = false;
      info.occasion = g.occasion;
      info.name_vi = std::move(g.name_vi);
      info.name_en = std::move(g.name_en);
      info.source = kLabourCode112;
      if (g.occasion == Occasion::kTet) {
        info.note =
            "Rule default (last day of the lunar year + mùng 1–4); the official Tết days "
            "are fixed yearly by the Prime Minister.";
      } else if (g.occasion == Occasion::kNationalDay && g.date.day != 2) {
        info.note = "Rule default for the adjacent day; fixed yearly by the Prime Minister.";
      }
      days[g.date] = std::move(info);
    }
  }
  std::set<CivilDate> cancel;  // dates of `working` entries still to match
  for (const auto& e : overrides.entries) {
    if (e.date.year < first_year || e.date.year > last_year) continue;
    if (e.kind == OverrideKind::kWorking) {
      auto it = days.find(e.date);
      if (it != days.end() && !it->second.from_override) {
        days.erase(it);
      } else {
        cancel.insert(e.date);
      }
      continue;
    }
    DayInfo info;
    info.date = e.date;
    info.working = e.kind == OverrideKind::kMakeUp;
    info.kind = e.kind == OverrideKind::kHoliday        ? DayKind::kHoliday
                : e.kind == OverrideKind::kCompensatory ? DayKind::kCompensatory
                : e.kind == OverrideKind::kSwapOff      ? DayKind::kSwapOff
                                                        : DayKind::kMakeUp;
    info.occasion = e.occasion;
    info.name_vi = e.name_vi;
    info.name_en = e.name_en;
    info.source = e.source;
    info.note = e.note;
    info.from_override = true;
    days[e.date] = std::move(info);
  }
  for (const auto& [date, info] : days) {
    if (info.kind != DayKind::kHoliday) continue;
    // Official blocks list their own compensation; rule holidays and stand-alone override
    // holidays get the Art. 111(3) day.
    if (info.from_override && info.occasion != Occasion::kNone) continue;
    if (IsWeekend(Weekday(date))) compensable.push_back(date);
  }
  for (const CivilDate& holiday : compensable) {
    int64_t d = DaysFromCivil(holiday) + 1;
    for (; d < end_day; ++d) {
      const CivilDate c = CivilFromDays(d);
      if (!IsWeekend(Weekday(c)) && !days.contains(c)) break;
    }
    if (d >= end_day) continue;
    const CivilDate c = CivilFromDays(d);
    const DayInfo& h = days.at(holiday);
    if (cancel.erase(c) > 0) {
      // A `working` entry cancels this compensatory day; mark the date so it is not reused.
      DayInfo placeholder;
      placeholder.date = c;
      placeholder.kind = DayKind::kWorking;
      days[c] = std::move(placeholder);
      continue;
    }
    DayInfo info;
    info.date = c;
    info.kind = DayKind::kCompensatory;
    info.working = false;
    info.occasion = h.occasion;
    info.name_vi = "Nghỉ bù " + h.name_vi;
    info.name_en = "Compensatory day off for " + h.name_en;
    info.source = kLabourCode111;
    days[c] = std::move(info);
  }
  if (!cancel.empty()) {
    Error e = CalendarError("calendar.bad_override",
                            "working entry on " + FormatIsoDate(*cancel.begin()) +
                                " cancels no rule-generated holiday or compensatory day");
    e.With("date", FormatIsoDate(*cancel.begin()));
    return Fail(std::move(e));
  }

  cal.status_.assign(static_cast<size_t>(n), Status::kOrdinary);
  for (auto& [date, info] : days) {
    if (info.kind == DayKind::kWorking) continue;  // cancelled placeholder
    const int64_t idx = DaysFromCivil(date) - cal.first_day_;
    if (idx < 0 || idx >= n) continue;
    cal.status_[static_cast<size_t>(idx)] = info.kind == DayKind::kHoliday ? Status::kHoliday
                                            : info.kind == DayKind::kCompensatory
                                                ? Status::kCompensatory
                                            : info.kind == DayKind::kSwapOff ? Status::kSwapOff
                                                                             : Status::kMakeUp;
    cal.special_.push_back(std::move(info));
  }
  cal.weekday_.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    cal.weekday_[static_cast<size_t>(i)] = static_cast<uint8_t>((cal.first_weekday_ + i) % 7);
  }
  cal.prefix_.assign(static_cast<size_t>(n) + 1, std::array<int32_t, 8>{});
  for (int64_t i = 0; i < n; ++i) {
    auto next = cal.prefix_[static_cast<size_t>(i)];
    const Status st = cal.status_[static_cast<size_t>(i)];
    if (st == Status::kOrdinary) {
      ++next[static_cast<size_t>((cal.first_weekday_ + i) % 7)];
    } else if (st == Status::kMakeUp) {
      ++next[7];
    }
    cal.prefix_[static_cast<size_t>(i) + 1] = next;
  }
  cal.AddDenseIndex(WorkSchedule::Standard());
  for (const WorkSchedule& s : dense_schedules) cal.AddDenseIndex(s);
  return cal;
}

void WorkingCalendar::AddDenseIndex(const WorkSchedule& schedule) {
  if (Dense(schedule) != nullptr) return;
  const auto& w = schedule.index_weights();
  for (size_t i = 0; i < 8; ++i) {
    if (w[i] != 0 && w[i] != schedule.day_minutes()) return;  // days of unequal length
  }
  DenseIndex d;
  d.weights = w;
  d.day_minutes = schedule.day_minutes();
  d.days_before.resize(static_cast<size_t>(NumDays()) + 1);
  for (int64_t i = 0; i < NumDays(); ++i) {
    const bool working = DayMinutes(i, schedule) > 0;
    d.days_before[static_cast<size_t>(i) + 1] =
        d.days_before[static_cast<size_t>(i)] + (working ? 1 : 0);
    if (working) d.nth_day.push_back(static_cast<int32_t>(i));
  }
  dense_.push_back(std::move(d));
}

// ----- Queries -----

bool WorkingCalendar::InRange(CivilDate date) const {
  const int64_t idx = Index(date);
  return idx >= 0 && idx < NumDays();
}

int WorkingCalendar::DayMinutes(int64_t idx, const WorkSchedule& schedule) const {
  const int wd = static_cast<int>(((first_weekday_ + idx) % 7 + 7) % 7);
  if (idx < 0 || idx >= NumDays()) return schedule.minutes(wd);
  switch (status_[static_cast<size_t>(idx)]) {
    case Status::kOrdinary:
      return schedule.minutes(wd);
    case Status::kMakeUp:
      return static_cast<int>(schedule.day_minutes());
    default:
      return 0;
  }
}

std::span<const WorkSession> WorkingCalendar::DaySessions(int64_t idx,
                                                          const WorkSchedule& schedule) const {
  if (idx < 0 || idx >= NumDays()) {
    return schedule.sessions(static_cast<int>(((first_weekday_ + idx) % 7 + 7) % 7));
  }
  const int wd = weekday_[static_cast<size_t>(idx)];
  switch (status_[static_cast<size_t>(idx)]) {
    case Status::kOrdinary:
      return schedule.sessions(wd);
    case Status::kMakeUp:
      return schedule.full_day_sessions();
    default:
      return {};
  }
}

int64_t WorkingCalendar::CumDays(int64_t idx, const WorkSchedule& schedule) const {
  const auto& p = prefix_[static_cast<size_t>(idx)];
  int64_t total = p[7];
  for (int w = 0; w < 7; ++w) {
    if (schedule.minutes(w) > 0) total += p[static_cast<size_t>(w)];
  }
  return total;
}

const DayInfo* WorkingCalendar::Special(CivilDate date) const {
  auto it = std::lower_bound(special_.begin(), special_.end(), date,
                             [](const DayInfo& d, CivilDate x) { return d.date < x; });
  if (it == special_.end() || it->date != date) return nullptr;
  return &*it;
}

bool WorkingCalendar::IsWorkingDay(CivilDate date, const WorkSchedule& schedule) const {
  return DayMinutes(Index(date), schedule) > 0;
}

DayInfo WorkingCalendar::Describe(CivilDate date, const WorkSchedule& schedule) const {
  const int64_t idx = Index(date);
  const bool in_range = idx >= 0 && idx < NumDays();
  if (in_range && status_[static_cast<size_t>(idx)] != Status::kOrdinary) {
    DayInfo info = *Special(date);
    if (info.kind == DayKind::kMakeUp) info.working = schedule.day_minutes() > 0;
    return info;
  }
  DayInfo info;
  info.date = date;
  info.working = schedule.minutes(Weekday(date)) > 0;
  if (info.working) {
    info.kind = DayKind::kWorking;
    info.name_vi = "Ngày làm việc";
    info.name_en = "Working day";
  } else {
    info.kind = DayKind::kWeekend;
    info.name_vi = "Nghỉ hằng tuần";
    info.name_en = "Weekly rest day";
  }
  if (!in_range) info.note = "Outside the calendar's range: weekly schedule only.";
  return info;
}

std::vector<DayInfo> WorkingCalendar::NonWorkingDays(int year, const WorkSchedule& schedule) const {
  std::vector<DayInfo> out;
  if (year < first_year_ || year > last_year_) return out;
  const int64_t from = DaysFromCivil(CivilDate{year, 1, 1});
  const int64_t to = DaysFromCivil(CivilDate{year, 12, 31});
  for (int64_t d = from; d <= to; ++d) {
    if (DayMinutes(d - first_day_, schedule) > 0) continue;
    out.push_back(Describe(CivilFromDays(d), schedule));
  }
  return out;
}

int64_t WorkingCalendar::CountWorkingDays(CivilDate from, CivilDate to,
                                          const WorkSchedule& schedule) const {
  if (to <= from) return 0;
  const int64_t a = std::clamp<int64_t>(Index(from) + 1, 0, NumDays());
  const int64_t b = std::clamp<int64_t>(Index(to) + 1, 0, NumDays());
  return CumDays(b, schedule) - CumDays(a, schedule);
}

Result<CivilDate> WorkingCalendar::AddWorkingDays(CivilDate from, int64_t n,
                                                  const WorkSchedule& schedule) const {
  if (n < 1) return Fail(CalendarError("calendar.bad_argument", "n must be >= 1"));
  const int64_t start = Index(from);
  if (start < 0 || start >= NumDays()) {
    return Fail(CalendarError("calendar.out_of_range", FormatIsoDate(from)));
  }
  const int64_t target = CumDays(start + 1, schedule) + n;
  // Smallest d with CumDays(d + 1) >= target.
  int64_t lo = start + 1, hi = NumDays() - 1;
  if (lo > hi || CumDays(hi + 1, schedule) < target) {
    return Fail(CalendarError("calendar.beyond_range", "past " + std::to_string(last_year_)));
  }
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (CumDays(mid + 1, schedule) >= target) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return CivilFromDays(first_day_ + lo);
}

int64_t WorkingCalendar::Position(Timestamp t, const WorkSchedule& schedule) const {
  const int64_t local = t.us + kVietnamOffsetMicros;
  const int64_t day = FloorDiv(local, kMicrosPerDay);
  const int64_t idx = day - first_day_;
  if (idx < 0) return 0;
  if (idx >= NumDays()) return CumMinutes(NumDays(), schedule) * kMicrosPerMinute;
  return CumMinutes(idx, schedule) * kMicrosPerMinute +
         IntraDayPosition(idx, local - day * kMicrosPerDay, schedule);
}

int64_t WorkingCalendar::IntraDayPosition(int64_t idx, int64_t in_day_us,
                                          const WorkSchedule& schedule) const {
  int64_t pos = 0;
  for (const WorkSession& s : DaySessions(idx, schedule)) {
    const int64_t start = s.start_minute * kMicrosPerMinute;
    const int64_t end = s.end_minute * kMicrosPerMinute;
    if (in_day_us >= end) {
      pos += end - start;
    } else {
      if (in_day_us > start) pos += in_day_us - start;
      break;
    }
  }
  return pos;
}

int64_t WorkingCalendar::WorkingMicrosBetween(Timestamp a, Timestamp b,
                                              const WorkSchedule& schedule) const {
  if (b <= a) return 0;
  return Position(b, schedule) - Position(a, schedule);
}

int64_t WorkingCalendar::WorkingMinutesBetween(Timestamp a, Timestamp b,
                                               const WorkSchedule& schedule) const {
  return WorkingMicrosBetween(a, b, schedule) / kMicrosPerMinute;
}

int64_t WorkingCalendar::FindDay(int64_t lo, int64_t cum_lo, int64_t target_us,
                                 const WorkSchedule& schedule) const {
  const int64_t last = NumDays() - 1;
  if (lo > last) return -1;
  auto reached = [&](int64_t d) {
    return CumMinutes(d + 1, schedule) * kMicrosPerMinute >= target_us;
  };
  // Guess with the weekly pattern alone (exact when no holiday or swap lies in between), then
  // gallop towards the answer and bisect: usually two probes.
  const int64_t weekly = schedule.weekly_minutes();
  int64_t need = (target_us + kMicrosPerMinute - 1) / kMicrosPerMinute - cum_lo;
  int64_t g = lo;
  if (need > 0 && weekly > 0) {
    // Whole weeks first (floating-point division is cheaper than idiv; corrected below).
    int64_t weeks =
        static_cast<int64_t>(static_cast<double>(need - 1) / static_cast<double>(weekly));
    if (weeks * weekly > need - 1) --weeks;
    if ((weeks + 1) * weekly <= need - 1) ++weeks;
    need -= weeks * weekly;
    g = lo + weeks * 7;
    int wd = static_cast<int>((first_weekday_ + g) % 7);
    for (int k = 0; k < 7; ++k, ++g, wd = wd == 6 ? 0 : wd + 1) {
      need -= schedule.minutes(wd);
      if (need <= 0) break;
    }
  }
  g = std::clamp(g, lo, last);
  int64_t a, b;  // invariant: a < lo or !reached(a); reached(b)
  if (reached(g)) {
    b = g;
    a = g - 1;
    for (int64_t step = 1; a >= lo && reached(a); step *= 2) {
      b = a;
      a -= step;
    }
    if (a < lo) a = lo - 1;
  } else {
    a = g;
    b = g + 1;
    for (int64_t step = 1; b <= last && !reached(b); step *= 2) {
      a = b;
      b += step;
    }
    if (b > last) {
      if (!reached(last)) return -1;
      b = last;
    }
  }
  while (b - a > 1) {
    const int64_t mid = a + (b - a) / 2;
    if (reached(mid)) {
      b = mid;
    } else {
      a = mid;
    }
  }
  return b;
}

Timestamp WorkingCalendar::InstantAt(int64_t idx, int64_t micros_into_day,
                                     const WorkSchedule& schedule) const {
  const int64_t day_start = (first_day_ + idx) * kMicrosPerDay - kVietnamOffsetMicros;
  int64_t r = micros_into_day;
  auto sessions = DaySessions(idx, schedule);
  for (const WorkSession& s : sessions) {
    const int64_t len = (s.end_minute - s.start_minute) * kMicrosPerMinute;
    if (r <= len) return Timestamp{day_start + s.start_minute * kMicrosPerMinute + r};
    r -= len;
  }
  // Unreachable for r within the day's working time; the day end is the safe answer.
  return Timestamp{day_start +
                   (sessions.empty() ? 0 : sessions.back().end_minute) * kMicrosPerMinute};
}

Timestamp WorkingCalendar::AddWorkingMicros(Timestamp from, int64_t micros,
                                            const WorkSchedule& schedule) const {
  if (micros <= 0) return from;
  const int64_t target = Position(from, schedule) + micros;
  const int64_t local_day = FloorDiv(from.us + kVietnamOffsetMicros, kMicrosPerDay);
  const int64_t lo = std::max<int64_t>(0, local_day - first_day_);
  const int64_t d = FindDay(lo, CumMinutes(lo, schedule), target, schedule);
  if (d < 0) return kBeyondCalendar;
  return InstantAt(d, target - CumMinutes(d, schedule) * kMicrosPerMinute, schedule);
}

Timestamp WorkingCalendar::AddWorkingMinutes(Timestamp from, int64_t minutes,
                                             const WorkSchedule& schedule) const {
  if (minutes <= 0) return from;
  return AddWorkingMicros(from, minutes * kMicrosPerMinute, schedule);
}

Timestamp WorkingCalendar::AddWorkingMinutesNaive(Timestamp from, int64_t minutes,
                                                  const WorkSchedule& schedule) const {
  if (minutes <= 0) return from;
  const LocalDateTime l = ToVietnamLocal(from);
  int64_t idx = Index(l.date);
  if (idx < 0) {
    idx = 0;
  }
  int64_t in_day = l.minute_of_day * kMicrosPerMinute + l.micros_in_minute;
  if (Index(l.date) < 0) in_day = 0;
  int64_t left = minutes * kMicrosPerMinute;
  for (; idx < NumDays(); ++idx, in_day = 0) {
    const int64_t day_start = (first_day_ + idx) * kMicrosPerDay - kVietnamOffsetMicros;
    for (const WorkSession& s : DaySessions(idx, schedule)) {
      const int64_t start = std::max(s.start_minute * kMicrosPerMinute, in_day);
      const int64_t end = s.end_minute * kMicrosPerMinute;
      if (start >= end) continue;
      if (left <= end - start) return Timestamp{day_start + start + left};
      left -= end - start;
    }
  }
  return kBeyondCalendar;
}

WorkingCalendar::Start WorkingCalendar::ClockStart(int64_t idx, int64_t in_day_us,
                                                   const WorkSchedule& schedule) const {
  Start st;
  const auto sessions = DaySessions(idx, schedule);
  for (size_t i = 0; i < sessions.size(); ++i) {
    const int64_t start = sessions[i].start_minute * kMicrosPerMinute;
    if (in_day_us < start) {
      st.idx = idx;
      st.in_day_us = start;
      st.kind = i == 0 ? StartKind::kBeforeOpening : StartKind::kInBreak;
      return st;
    }
    if (in_day_us < sessions[i].end_minute * kMicrosPerMinute) {
      st.idx = idx;
      st.in_day_us = in_day_us;
      return st;
    }
  }
  st.kind = sessions.empty() ? StartKind::kDayOff : StartKind::kAfterHours;
  int64_t d = -1;
  if (const DenseIndex* dense = Dense(schedule)) {
    const size_t j = static_cast<size_t>(dense->days_before[static_cast<size_t>(idx) + 1]);
    if (j < dense->nth_day.size()) d = dense->nth_day[j];
  } else {
    // The first later day with working time: the day by whose end one more micro is reached.
    const int64_t cum = CumMinutes(idx + 1, schedule);
    d = FindDay(idx + 1, cum, cum * kMicrosPerMinute + 1, schedule);
  }
  if (d < 0) return st;
  st.idx = d;
  st.in_day_us = DaySessions(d, schedule).front().start_minute * kMicrosPerMinute;
  return st;
}

Timestamp WorkingCalendar::NextWorkingMoment(Timestamp t, const WorkSchedule& schedule) const {
  const int64_t local = t.us + kVietnamOffsetMicros;
  const int64_t day = FloorDiv(local, kMicrosPerDay);
  const int64_t idx = day - first_day_;
  if (idx >= NumDays()) return kBeyondCalendar;
  const Start st =
      idx < 0 ? ClockStart(0, 0, schedule) : ClockStart(idx, local - day * kMicrosPerDay, schedule);
  if (st.idx < 0) return kBeyondCalendar;
  return DayInstant(st.idx, st.in_day_us);
}

Timestamp WorkingCalendar::EndOfWorkingDay(CivilDate date, const WorkSchedule& schedule) const {
  auto sessions = DaySessions(Index(date), schedule);
  const int end = sessions.empty() ? 24 * 60 : sessions.back().end_minute;
  return FromVietnamLocal(date, end);
}

Result<CivilDate> WorkingCalendar::NextWorkingDay(CivilDate date,
                                                  const WorkSchedule& schedule) const {
  return AddWorkingDays(date, 1, schedule);
}

}  // namespace motcua::domain
