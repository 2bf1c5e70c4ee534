#include "domain/calendar/calendar.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "domain/calendar/lunar.h"

namespace motcua {
// Readable failure messages for dates.
inline void PrintTo(const CivilDate& d, std::ostream* os) { *os << FormatIsoDate(d); }
}  // namespace motcua

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

CivilDate D(int y, int m, int d) { return CivilDate{y, m, d}; }

class CalendarTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto overrides = ParseCalendarOverrides(ReadData("overrides.json"));
    ASSERT_TRUE(overrides.has_value()) << overrides.error().ToString();
    overrides_ = new CalendarOverrides(std::move(*overrides));
    auto cal = WorkingCalendar::Create(*overrides_, 2000, 2100);
    ASSERT_TRUE(cal.has_value()) << cal.error().ToString();
    calendar_ = new WorkingCalendar(std::move(*cal));
    auto schedules = ParseWorkSchedules(ReadData("schedules.json"));
    ASSERT_TRUE(schedules.has_value()) << schedules.error().ToString();
    schedules_ = new std::vector<WorkSchedule>(std::move(*schedules));
  }
  static const WorkSchedule& Standard() { return *FindSchedule(*schedules_, "standard"); }
  static const WorkSchedule& SaturdayMorning() {
    return *FindSchedule(*schedules_, "saturday_morning");
  }
  // Dates in [from, to] that are not working days for the standard schedule.
  static std::vector<CivilDate> OffDays(CivilDate from, CivilDate to) {
    std::vector<CivilDate> out;
    for (int64_t d = DaysFromCivil(from); d <= DaysFromCivil(to); ++d) {
      if (!calendar_->IsWorkingDay(CivilFromDays(d), Standard())) out.push_back(CivilFromDays(d));
    }
    return out;
  }
  static std::vector<CivilDate> Range(CivilDate from, CivilDate to) {
    std::vector<CivilDate> out;
    for (int64_t d = DaysFromCivil(from); d <= DaysFromCivil(to); ++d) {
      out.push_back(CivilFromDays(d));
    }
    return out;
  }
  static inline CalendarOverrides* overrides_ = nullptr;
  static inline WorkingCalendar* calendar_ = nullptr;
  static inline std::vector<WorkSchedule>* schedules_ = nullptr;
};

TEST_F(CalendarTest, SchedulesFromData) {
  EXPECT_EQ(Standard().day_minutes(), 450);
  EXPECT_EQ(Standard().minutes(6), 0);
  EXPECT_EQ(Standard().cutoff_minute(), 15 * 60);
  EXPECT_EQ(SaturdayMorning().minutes(6), 240);
  EXPECT_EQ(SaturdayMorning().day_minutes(), 450);
  const WorkSchedule builtin = WorkSchedule::Standard();
  for (int wd = 0; wd < 7; ++wd) EXPECT_EQ(builtin.minutes(wd), Standard().minutes(wd));
}

// Tết Ất Tỵ 2025: off Sat 25 Jan – Sun 2 Feb, nothing else in the surrounding weeks but weekends.
TEST_F(CalendarTest, Tet2025BreakIsExactlyThePublishedDays) {
  auto expected = Range(D(2025, 1, 25), D(2025, 2, 2));
  expected.insert(expected.begin(), {D(2025, 1, 18), D(2025, 1, 19)});
  expected.push_back(D(2025, 2, 8));
  expected.push_back(D(2025, 2, 9));
  EXPECT_EQ(OffDays(D(2025, 1, 13), D(2025, 2, 9)), expected);
  for (const CivilDate& d : Range(D(2025, 1, 27), D(2025, 1, 31))) {
    const DayInfo info = calendar_->Describe(d, Standard());
    EXPECT_EQ(info.kind, DayKind::kHoliday);
    EXPECT_EQ(info.occasion, Occasion::kTet);
    EXPECT_TRUE(info.from_override);
    EXPECT_FALSE(info.source.empty());
  }
  EXPECT_EQ(calendar_->Describe(D(2025, 1, 25), Standard()).kind, DayKind::kWeekend);
}

// 30/4 – 1/5/2025: off Wed 30 Apr – Sun 4 May, Fri 2 May swapped, made up on Sat 26 Apr.
TEST_F(CalendarTest, ReunificationAndLabourDay2025Arrangement) {
  const std::vector<CivilDate> expected = {D(2025, 4, 20), D(2025, 4, 27), D(2025, 4, 30),
                                           D(2025, 5, 1),  D(2025, 5, 2),  D(2025, 5, 3),
                                           D(2025, 5, 4),  D(2025, 5, 10), D(2025, 5, 11)};
  EXPECT_EQ(OffDays(D(2025, 4, 20), D(2025, 5, 11)), expected);
  EXPECT_EQ(calendar_->Describe(D(2025, 4, 26), Standard()).kind, DayKind::kMakeUp);
  EXPECT_TRUE(calendar_->IsWorkingDay(D(2025, 4, 26), Standard()));
  EXPECT_EQ(calendar_->Describe(D(2025, 5, 2), Standard()).kind, DayKind::kSwapOff);
}

TEST_F(CalendarTest, Year2025WeekdaysOffAreExactlyTheOfficialList) {
  std::vector<CivilDate> weekdays_off;
  for (const DayInfo& d : calendar_->NonWorkingDays(2025, Standard())) {
    if (d.kind != DayKind::kWeekend) weekdays_off.push_back(d.date);
  }
  const std::vector<CivilDate> expected = {
      D(2025, 1, 1), D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31),
      D(2025, 4, 7), D(2025, 4, 30), D(2025, 5, 1),  D(2025, 5, 2),  D(2025, 9, 1),  D(2025, 9, 2)};
  EXPECT_EQ(weekdays_off, expected);
  // 2025 has 52 Saturdays and 52 Sundays; the make-up Saturday is worked.
  EXPECT_EQ(calendar_->NonWorkingDays(2025, Standard()).size(), 12u + 104u - 1u);
}

TEST_F(CalendarTest, Year2024Arrangements) {
  // Tết Giáp Thìn: Thu 8 – Wed 14 Feb.
  EXPECT_EQ(OffDays(D(2024, 2, 7), D(2024, 2, 15)), Range(D(2024, 2, 8), D(2024, 2, 14)));
  EXPECT_EQ(calendar_->Describe(D(2024, 2, 13), Standard()).kind, DayKind::kCompensatory);
  // 30/4 – 1/5: Sat 27 Apr – Wed 1 May, Mon 29 Apr swapped, made up on Sat 4 May.
  EXPECT_EQ(OffDays(D(2024, 4, 26), D(2024, 5, 4)), Range(D(2024, 4, 27), D(2024, 5, 1)));
  EXPECT_EQ(calendar_->Describe(D(2024, 4, 29), Standard()).kind, DayKind::kSwapOff);
  EXPECT_EQ(calendar_->Describe(D(2024, 5, 4), Standard()).kind, DayKind::kMakeUp);
  // Quốc khánh: Sat 31 Aug – Tue 3 Sep.
  EXPECT_EQ(OffDays(D(2024, 8, 30), D(2024, 9, 4)), Range(D(2024, 8, 31), D(2024, 9, 3)));
  EXPECT_TRUE(calendar_->IsWorkingDay(D(2024, 4, 18), Standard()) == false);  // Hùng Kings
}

TEST_F(CalendarTest, Year2025NationalDayAnd2026Arrangements) {
  EXPECT_EQ(OffDays(D(2025, 8, 29), D(2025, 9, 3)), Range(D(2025, 8, 30), D(2025, 9, 2)));
  // Tết Bính Ngọ: Sat 14 – Sun 22 Feb 2026.
  EXPECT_EQ(OffDays(D(2026, 2, 13), D(2026, 2, 23)), Range(D(2026, 2, 14), D(2026, 2, 22)));
  // Quốc khánh 2026: Sat 29 Aug – Wed 2 Sep, Mon 31 Aug swapped, make-up Sat 22 Aug.
  EXPECT_EQ(OffDays(D(2026, 8, 28), D(2026, 9, 3)), Range(D(2026, 8, 29), D(2026, 9, 2)));
  EXPECT_TRUE(calendar_->IsWorkingDay(D(2026, 8, 22), Standard()));
  EXPECT_FALSE(calendar_->Describe(D(2026, 8, 31), Standard()).note.empty());  // UNCERTAIN
  // Hùng Kings 2026 on Sunday 26 Apr: compensatory Monday 27 Apr.
  EXPECT_EQ(calendar_->Describe(D(2026, 4, 27), Standard()).kind, DayKind::kCompensatory);
}

// Without any official data the Art. 112/111(3) rules reproduce known arrangements.
TEST_F(CalendarTest, RuleGeneratedHolidaysAndCompensation) {
  auto cal = WorkingCalendar::Create(CalendarOverrides{}, 2021, 2030);
  ASSERT_TRUE(cal.has_value());
  const WorkSchedule s = WorkSchedule::Standard();
  auto kind = [&](CivilDate d) { return cal->Describe(d, s).kind; };
  // 1 Jan 2022 Saturday -> Monday 3 Jan compensatory (official 2022).
  EXPECT_EQ(kind(D(2022, 1, 1)), DayKind::kHoliday);
  EXPECT_EQ(kind(D(2022, 1, 3)), DayKind::kCompensatory);
  // 30/4/2022 Sat and 1/5 Sun -> Mon 2 and Tue 3 May (official 2022).
  EXPECT_EQ(kind(D(2022, 5, 2)), DayKind::kCompensatory);
  EXPECT_EQ(kind(D(2022, 5, 3)), DayKind::kCompensatory);
  EXPECT_EQ(kind(D(2022, 5, 4)), DayKind::kWorking);
  // National Day adjacent day: 2021 3 Sep, 2022 1 Sep, 2023 1 Sep (+ Mon 4 Sep for Sat 2 Sep),
  // 2024 3 Sep, 2025 1 Sep, 2026 1 Sep.
  EXPECT_EQ(kind(D(2021, 9, 3)), DayKind::kHoliday);
  EXPECT_EQ(kind(D(2022, 9, 1)), DayKind::kHoliday);
  EXPECT_EQ(kind(D(2023, 9, 1)), DayKind::kHoliday);
  EXPECT_EQ(kind(D(2023, 9, 4)), DayKind::kCompensatory);
  EXPECT_EQ(kind(D(2024, 9, 3)), DayKind::kHoliday);
  EXPECT_EQ(kind(D(2024, 9, 1)), DayKind::kWeekend);
  EXPECT_EQ(kind(D(2025, 9, 1)), DayKind::kHoliday);
  EXPECT_EQ(kind(D(2025, 9, 3)), DayKind::kWorking);
  EXPECT_EQ(kind(D(2026, 9, 1)), DayKind::kHoliday);
  // Tết 2027 (mùng 1 = Sat 6 Feb): Fri 5 (last day) – Tue 9 Feb, compensation Wed 10, Thu 11.
  ASSERT_EQ(*LunarNewYear(2027), D(2027, 2, 6));
  for (const CivilDate& d : Range(D(2027, 2, 5), D(2027, 2, 9))) {
    EXPECT_EQ(kind(d), DayKind::kHoliday) << FormatIsoDate(d);
  }
  EXPECT_EQ(kind(D(2027, 2, 10)), DayKind::kCompensatory);
  EXPECT_EQ(kind(D(2027, 2, 11)), DayKind::kCompensatory);
  EXPECT_EQ(kind(D(2027, 2, 12)), DayKind::kWorking);
  // Hùng Kings from the lunar calendar: 10/3 Ất Tỵ = Mon 7 Apr 2025.
  EXPECT_EQ(kind(D(2025, 4, 7)), DayKind::kHoliday);
  EXPECT_EQ(cal->Describe(D(2025, 4, 7), s).occasion, Occasion::kHungKings);
  // Rule default Tết 2025 would be Tue 28 Jan – Sat 1 Feb + Mon 3 Feb; the data replaces it.
  EXPECT_EQ(kind(D(2025, 2, 3)), DayKind::kCompensatory);
  EXPECT_EQ(calendar_->Describe(D(2025, 2, 3), Standard()).kind, DayKind::kWorking);
  // 11 statutory days a year: count the holidays (not compensation) of a generated year.
  int holidays = 0;
  for (const DayInfo& d : cal->NonWorkingDays(2029, s)) holidays += d.kind == DayKind::kHoliday;
  EXPECT_EQ(holidays, 11);
}

TEST_F(CalendarTest, WorkingEntryCancelsAGeneratedHoliday) {
  auto parsed = ParseCalendarOverrides(R"({"entries":[{"date":"2030-01-01","kind":"working",
      "name_vi":"Đi làm","name_en":"Worked","source":"test"}]})");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  auto cal = WorkingCalendar::Create(*parsed, 2030, 2030);
  ASSERT_TRUE(cal.has_value());
  EXPECT_TRUE(cal->IsWorkingDay(D(2030, 1, 1), WorkSchedule::Standard()));

  auto stale = ParseCalendarOverrides(R"({"entries":[{"date":"2030-01-02","kind":"working",
      "name_vi":"Đi làm","name_en":"Worked","source":"test"}]})");
  ASSERT_TRUE(stale.has_value());
  auto bad = WorkingCalendar::Create(*stale, 2030, 2030);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().key, "calendar.bad_override");
}

TEST_F(CalendarTest, StandaloneOverrideHolidayEarnsCompensation) {
  // A new holiday without an occasion (e.g. if Culture Day 24/11 is enacted) on a Sunday.
  auto parsed = ParseCalendarOverrides(R"({"entries":[{"date":"2030-11-24","kind":"holiday",
      "name_vi":"Ngày Văn hóa Việt Nam","name_en":"Vietnamese Culture Day","source":"test"}]})");
  ASSERT_TRUE(parsed.has_value());
  auto cal = WorkingCalendar::Create(*parsed, 2030, 2030);
  ASSERT_TRUE(cal.has_value());
  EXPECT_EQ(Weekday(D(2030, 11, 24)), 0);
  EXPECT_EQ(cal->Describe(D(2030, 11, 25), WorkSchedule::Standard()).kind, DayKind::kCompensatory);
}

TEST(CalendarParseTest, OverrideErrorsHaveClearKeys) {
  auto key = [](std::string_view text) {
    auto r = ParseCalendarOverrides(text);
    return r.has_value() ? std::string("ok") : r.error().key;
  };
  const std::string ok_entry =
      R"({"date":"2025-01-27","kind":"holiday","name_vi":"a","name_en":"b","source":"c"})";
  EXPECT_EQ(key(R"({"entries":[)" + ok_entry + "]}"), "ok");
  EXPECT_EQ(key(R"({"entries":[)"), "calendar.malformed_json");
  EXPECT_EQ(key(R"([1,2])"), "calendar.bad_override");
  EXPECT_EQ(key(R"({"entries":[{"date":"2025-02-30","kind":"holiday","name_vi":"a",
      "name_en":"b","source":"c"}]})"),
            "calendar.bad_date");
  EXPECT_EQ(key(R"({"entries":[{"date":"27/01/2025","kind":"holiday","name_vi":"a",
      "name_en":"b","source":"c"}]})"),
            "calendar.bad_date");
  EXPECT_EQ(key(R"({"entries":[{"date":"2025-01-27","kind":"vacation","name_vi":"a",
      "name_en":"b","source":"c"}]})"),
            "calendar.unknown_kind");
  EXPECT_EQ(key(R"({"entries":[)" + ok_entry + "," + ok_entry + "]}"), "calendar.duplicate_date");
  EXPECT_EQ(key(R"({"entries":[{"date":"1899-12-31","kind":"holiday","name_vi":"a",
      "name_en":"b","source":"c"}]})"),
            "calendar.year_out_of_range");
  EXPECT_EQ(key(R"({"entries":[{"date":"2200-01-01","kind":"holiday","name_vi":"a",
      "name_en":"b","source":"c"}]})"),
            "calendar.year_out_of_range");
  // make_up on a Monday, swap_off on a Sunday, unknown field, missing source, unknown occasion.
  EXPECT_EQ(key(R"({"entries":[{"date":"2025-01-27","kind":"make_up","name_vi":"a",
      "name_en":"b","source":"c"}]})"),
            "calendar.bad_override");
  EXPECT_EQ(key(R"({"entries":[{"date":"2025-01-26","kind":"swap_off","name_vi":"a",
      "name_en":"b","source":"c"}]})"),
            "calendar.bad_override");
  EXPECT_EQ(key(R"({"entries":[{"date":"2025-01-27","kind":"holiday","name_vi":"a",
      "name_en":"b","source":"c","ocasion":"tet"}]})"),
            "calendar.bad_override");
  EXPECT_EQ(key(R"({"entries":[{"date":"2025-01-27","kind":"holiday","name_vi":"a",
      "name_en":"b"}]})"),
            "calendar.bad_override");
  EXPECT_EQ(key(R"({"entries":[{"date":"2025-01-27","kind":"holiday","occasion":"xmas",
      "name_vi":"a","name_en":"b","source":"c"}]})"),
            "calendar.bad_override");
}

TEST(CalendarParseTest, CreateRejectsYearsOutOfRange) {
  EXPECT_EQ(WorkingCalendar::Create({}, 1899, 2000).error().key, "calendar.year_out_of_range");
  EXPECT_EQ(WorkingCalendar::Create({}, 2000, 2200).error().key, "calendar.year_out_of_range");
  EXPECT_EQ(WorkingCalendar::Create({}, 2010, 2000).error().key, "calendar.year_out_of_range");
  EXPECT_TRUE(WorkingCalendar::Create({}, 1900, 2199).has_value());
}

TEST(CalendarParseTest, ScheduleErrors) {
  auto key = [](std::string_view text) {
    auto r = ParseWorkSchedules(text);
    return r.has_value() ? std::string("ok") : r.error().key;
  };
  EXPECT_EQ(key(R"({"schedules":[{"id":"a","week":{"mon":["07:30-11:30"]}}]})"), "ok");
  EXPECT_EQ(key(R"({"schedules":[{"id":"a","week":{"mon":["07:30-11:30","11:00-12:00"]}}]})"),
            "calendar.bad_schedule");
  EXPECT_EQ(key(R"({"schedules":[{"id":"a","week":{"mon":["7:30-11:30"]}}]})"),
            "calendar.bad_schedule");
  EXPECT_EQ(key(R"({"schedules":[{"id":"a","week":{"monday":["07:30-11:30"]}}]})"),
            "calendar.bad_schedule");
  EXPECT_EQ(key(R"({"schedules":[{"id":"a","week":{}}]})"), "calendar.bad_schedule");
  EXPECT_EQ(key(R"({"schedules":[{"id":"a","week":{"mon":["07:30-11:30"]}},
                   {"id":"a","week":{"tue":["07:30-11:30"]}}]})"),
            "calendar.duplicate_schedule");
  EXPECT_EQ(key("{"), "calendar.malformed_json");
}

TEST_F(CalendarTest, SaturdayMorningScheduleStillRespectsHolidays) {
  EXPECT_TRUE(calendar_->IsWorkingDay(D(2025, 3, 8), SaturdayMorning()));
  EXPECT_FALSE(calendar_->IsWorkingDay(D(2025, 3, 8), Standard()));
  EXPECT_FALSE(calendar_->IsWorkingDay(D(2024, 2, 10), SaturdayMorning()));  // Tết, Saturday
  EXPECT_FALSE(calendar_->IsWorkingDay(D(2025, 3, 9), SaturdayMorning()));   // Sunday
}

// Property: AddWorkingDays then CountWorkingDays gives N, lands on a working day, and every
// working day in between is counted (checked day by day).
TEST_F(CalendarTest, PropertyAddThenCountWorkingDays) {
  std::mt19937_64 rng(20251123);
  const int64_t first = DaysFromCivil(D(2000, 1, 1));
  const int64_t span = DaysFromCivil(D(2099, 1, 1)) - first;
  for (int iter = 0; iter < 20000; ++iter) {
    const CivilDate from = CivilFromDays(first + static_cast<int64_t>(rng() % span));
    const int64_t n = 1 + static_cast<int64_t>(rng() % 120);
    const WorkSchedule& s = iter % 2 == 0 ? Standard() : SaturdayMorning();
    auto to = calendar_->AddWorkingDays(from, n, s);
    ASSERT_TRUE(to.has_value());
    ASSERT_EQ(calendar_->CountWorkingDays(from, *to, s), n);
    ASSERT_TRUE(calendar_->IsWorkingDay(*to, s));
    if (iter % 50 == 0) {
      int64_t naive = 0;
      for (int64_t d = DaysFromCivil(from) + 1; d <= DaysFromCivil(*to); ++d) {
        naive += calendar_->IsWorkingDay(CivilFromDays(d), s) ? 1 : 0;
      }
      ASSERT_EQ(naive, n);
    }
  }
}

// Property: the indexed AddWorkingMinutes equals the day-by-day walk, and counting back gives
// the minutes added.
TEST_F(CalendarTest, PropertyIndexedArithmeticMatchesNaiveWalk) {
  std::mt19937_64 rng(7);
  const Timestamp first = FromVietnamLocal(D(2000, 1, 1), 0);
  const int64_t span_us = FromVietnamLocal(D(2099, 1, 1), 0).us - first.us;
  for (int iter = 0; iter < 20000; ++iter) {
    const Timestamp from{first.us + static_cast<int64_t>(rng() % static_cast<uint64_t>(span_us))};
    const int64_t minutes = 1 + static_cast<int64_t>(rng() % (450 * 60));
    const WorkSchedule& s = iter % 3 == 0 ? SaturdayMorning() : Standard();
    const Timestamp fast = calendar_->AddWorkingMinutes(from, minutes, s);
    const Timestamp slow = calendar_->AddWorkingMinutesNaive(from, minutes, s);
    ASSERT_EQ(fast.us, slow.us) << FormatIsoUtc(from) << " + " << minutes;
    ASSERT_EQ(calendar_->WorkingMinutesBetween(from, fast, s), minutes);
    ASSERT_TRUE(calendar_->IsWorkingDay(ToVietnamLocal(fast).date, s));
  }
}

TEST_F(CalendarTest, DescribeGivesNamesAndSources) {
  const DayInfo tet = calendar_->Describe(D(2026, 2, 17), Standard());
  EXPECT_EQ(tet.kind, DayKind::kHoliday);
  EXPECT_NE(tet.name_vi.find("Tết"), std::string::npos);
  EXPECT_NE(tet.name_en.find("Lunar New Year"), std::string::npos);
  EXPECT_FALSE(tet.source.empty());
  const DayInfo generated = calendar_->Describe(D(2030, 4, 30), Standard());
  EXPECT_EQ(generated.kind, DayKind::kHoliday);
  EXPECT_FALSE(generated.from_override);
  EXPECT_NE(generated.source.find("112"), std::string::npos);
  EXPECT_FALSE(calendar_->InRange(D(2101, 1, 1)));
  EXPECT_FALSE(calendar_->Describe(D(2101, 1, 1), Standard()).note.empty());
}

}  // namespace
}  // namespace motcua::domain

namespace motcua::domain {
namespace {

// ComputeDue for working days uses the dense index for uniform schedules and the generic one
// otherwise; both must equal the day-by-day walk from the receipt instant.
TEST_F(CalendarTest, PropertyComputeDueMatchesNaiveWalkForBothIndexes) {
  std::mt19937_64 rng(11);
  const Timestamp first = FromVietnamLocal(D(2000, 1, 1), 0);
  const int64_t span_us = FromVietnamLocal(D(2099, 1, 1), 0).us - first.us;
  for (int iter = 0; iter < 20000; ++iter) {
    const Timestamp received{first.us + static_cast<int64_t>(rng() % uint64_t(span_us))};
    const int days = 1 + static_cast<int>(rng() % 60);
    const int hours = static_cast<int>(rng() % 8);
    const WorkSchedule& s = iter % 2 == 0 ? Standard() : SaturdayMorning();
    auto due = calendar_->ComputeDueInstant(received, {LimitUnit::kWorkingDays, days, hours}, s);
    ASSERT_TRUE(due.has_value());
    const Timestamp naive = calendar_->AddWorkingMinutesNaive(
        received, int64_t{days} * s.day_minutes() + hours * 60, s);
    ASSERT_EQ(due->us, naive.us) << FormatIsoUtc(received) << " " << days << " " << s.id();
  }
}

}  // namespace
}  // namespace motcua::domain
