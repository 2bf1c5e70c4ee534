#include "domain/calendar/lunar.h"

#include <gtest/gtest.h>

#include <array>

namespace motcua::domain {
namespace {

// Lunar New Year and Hùng Kings' day (10/3 lunar) 1901..2100 as month*100+day, from the
// published tables of python-holidays (holidays/calendars/chinese.py): the Chinese dates with
// that file's VIETNAMESE_CALENDAR exceptions applied (1903, 1916, 1935, 1965, 1968, 1969, 1985,
// 2007, 2030, 2053 for Tết). Transcribed independently of the algorithm under test.
constexpr int kTableFirstYear = 1901;
constexpr std::array<int, 200> kVietnameseTet = {
    219, 208, 128, 216, 204, 125, 213, 202, 122, 210,  // 1901
    130, 218, 206, 126, 214, 203, 123, 211, 201, 220,  // 1911
    208, 128, 216, 205, 124, 213, 202, 123, 210, 130,  // 1921
    217, 206, 126, 214, 203, 124, 211, 131, 219, 208,  // 1931
    127, 215, 205, 125, 213, 202, 122, 210, 129, 217,  // 1941
    206, 127, 214, 203, 124, 212, 131, 218, 208, 128,  // 1951
    215, 205, 125, 213, 201, 121, 209, 129, 216, 206,  // 1961
    127, 215, 203, 123, 211, 131, 218, 207, 128, 216,  // 1971
    205, 125, 213, 202, 121, 209, 129, 217, 206, 127,  // 1981
    215, 204, 123, 210, 131, 219, 207, 128, 216, 205,  // 1991
    124, 212, 201, 122, 209, 129, 217, 207, 126, 214,  // 2001
    203, 123, 210, 131, 219, 208, 128, 216, 205, 125,  // 2011
    212, 201, 122, 210, 129, 217, 206, 126, 213, 202,  // 2021
    123, 211, 131, 219, 208, 128, 215, 204, 124, 212,  // 2031
    201, 122, 210, 130, 217, 206, 126, 214, 202, 123,  // 2041
    211, 201, 218, 208, 128, 215, 204, 124, 212, 202,  // 2051
    121, 209, 129, 217, 205, 126, 214, 203, 123, 211,  // 2061
    131, 219, 207, 127, 215, 205, 124, 212, 202, 122,  // 2071
    209, 129, 217, 206, 126, 214, 203, 124, 210, 130,  // 2081
    218, 207, 127, 215, 205, 125, 212, 201, 121, 209,  // 2091
};
constexpr std::array<int, 200> kVietnameseHungKings = {
    428, 417, 407, 425, 414, 403, 422, 410, 429, 419,  // 1901
    408, 426, 416, 405, 423, 411, 401, 420, 410, 428,  // 1911
    417, 406, 425, 413, 402, 421, 411, 429, 419, 408,  // 1921
    427, 415, 404, 423, 412, 401, 420, 410, 428, 417,  // 1931
    406, 424, 414, 402, 421, 411, 430, 418, 407, 426,  // 1941
    415, 404, 423, 412, 402, 420, 409, 428, 417, 405,  // 1951
    424, 414, 403, 421, 411, 331, 419, 407, 426, 415,  // 1961
    405, 423, 412, 402, 420, 409, 427, 416, 406, 424,  // 1971
    414, 403, 422, 410, 429, 418, 407, 425, 415, 405,  // 1981
    424, 412, 401, 420, 409, 427, 416, 406, 425, 414,  // 1991
    403, 422, 411, 428, 418, 407, 426, 415, 404, 423,  // 2001
    412, 331, 419, 409, 428, 416, 406, 425, 414, 402,  // 2011
    421, 410, 429, 418, 407, 426, 416, 404, 423, 412,  // 2021
    401, 419, 409, 428, 417, 406, 424, 413, 403, 420,  // 2031
    410, 429, 419, 407, 426, 415, 404, 422, 411, 401,  // 2041
    420, 409, 428, 417, 406, 424, 413, 402, 421, 410,  // 2051
    331, 419, 408, 426, 415, 404, 423, 411, 401, 420,  // 2061
    409, 427, 416, 405, 424, 413, 402, 421, 411, 330,  // 2071
    418, 407, 426, 414, 403, 422, 412, 401, 420, 409,  // 2081
    428, 416, 405, 424, 413, 402, 421, 411, 429, 418,  // 2091
};

CivilDate FromTable(int year, int mmdd) { return CivilDate{year, mmdd / 100, mmdd % 100}; }

TEST(LunarTest, LunarNewYearMatchesPublishedTable1901To2100) {
  for (int i = 0; i < 200; ++i) {
    const int year = kTableFirstYear + i;
    auto tet = LunarNewYear(year);
    ASSERT_TRUE(tet.has_value()) << year;
    EXPECT_EQ(FormatIsoDate(*tet), FormatIsoDate(FromTable(year, kVietnameseTet[i]))) << year;
  }
}

TEST(LunarTest, HungKingsDayMatchesPublishedTable1901To2100) {
  for (int i = 0; i < 200; ++i) {
    const int year = kTableFirstYear + i;
    auto day = LunarToSolar(LunarDate{year, 3, 10, false});
    ASSERT_TRUE(day.has_value()) << year;
    EXPECT_EQ(FormatIsoDate(*day), FormatIsoDate(FromTable(year, kVietnameseHungKings[i]))) << year;
  }
}

// Years where Vietnam (UTC+7) and China (UTC+8) celebrate the new year on different days.
TEST(LunarTest, VietnameseNewYearDiffersFromChineseInKnownYears) {
  struct Case {
    int year;
    CivilDate vietnam;
    CivilDate china;
  };
  const Case cases[] = {
      {1968, {1968, 1, 29}, {1968, 1, 30}},  // Tết Mậu Thân
      {1969, {1969, 2, 16}, {1969, 2, 17}},
      {1985, {1985, 1, 21}, {1985, 2, 20}},  // a whole month apart (leap-month placement)
      {2007, {2007, 2, 17}, {2007, 2, 18}},
      {2030, {2030, 2, 2}, {2030, 2, 3}},
      {2053, {2053, 2, 18}, {2053, 2, 19}},
  };
  for (const Case& c : cases) {
    auto tet = LunarNewYear(c.year);
    ASSERT_TRUE(tet.has_value());
    EXPECT_EQ(*tet, c.vietnam) << c.year;
    EXPECT_NE(*tet, c.china) << c.year;
  }
}

TEST(LunarTest, RecentTetDatesFromWorkingDaysReference) {
  EXPECT_EQ(*LunarNewYear(2024), (CivilDate{2024, 2, 10}));
  EXPECT_EQ(*LunarNewYear(2025), (CivilDate{2025, 1, 29}));
  EXPECT_EQ(*LunarNewYear(2026), (CivilDate{2026, 2, 17}));
  // 2024-02-08 is 29 Chạp Quý Mão (the last day: that month has 29 days).
  auto last = SolarToLunar(CivilDate{2024, 2, 9});
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last, (LunarDate{2023, 12, 30, false}));
}

TEST(LunarTest, LeapMonths) {
  // 2023 had a leap 2nd month (tháng 2 nhuận Quý Mão) starting 2023-03-22; 2025 a leap 6th month.
  auto d = SolarToLunar(CivilDate{2023, 3, 22});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, (LunarDate{2023, 2, 1, true}));
  auto leap6 = LunarToSolar(LunarDate{2025, 6, 1, true});
  ASSERT_TRUE(leap6.has_value());
  EXPECT_EQ(*leap6, (CivilDate{2025, 7, 25}));
  // 2024 has no leap month.
  auto none = LunarToSolar(LunarDate{2024, 6, 1, true});
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().key, "calendar.bad_lunar_date");
}

TEST(LunarTest, RoundTripOverWholeRangeAndMonotone) {
  const int64_t first = DaysFromCivil(CivilDate{kLunarFirstSolarYear, 1, 1});
  const int64_t last = DaysFromCivil(CivilDate{kLunarLastSolarYear, 12, 31});
  LunarDate prev{};
  int leap_months = 0;
  for (int64_t day = first; day <= last; ++day) {
    const CivilDate solar = CivilFromDays(day);
    auto lunar = SolarToLunar(solar);
    ASSERT_TRUE(lunar.has_value()) << FormatIsoDate(solar);
    auto back = LunarToSolar(*lunar);
    ASSERT_TRUE(back.has_value()) << FormatIsoDate(solar);
    ASSERT_EQ(*back, solar);
    ASSERT_GE(lunar->day, 1);
    ASSERT_LE(lunar->day, 30);
    if (day > first) {
      if (lunar->day == 1) {
        // A new month starts after a 29- or 30-day month.
        ASSERT_TRUE(prev.day == 29 || prev.day == 30) << FormatIsoDate(solar);
        if (lunar->leap) {
          ++leap_months;
          ASSERT_EQ(lunar->month, prev.month);
          ASSERT_EQ(lunar->year, prev.year);
        }
      } else {
        ASSERT_EQ(lunar->day, prev.day + 1);
        ASSERT_EQ(lunar->month, prev.month);
        ASSERT_EQ(lunar->leap, prev.leap);
      }
    }
    prev = *lunar;
  }
  // About 7 leap months per 19 years: 300 years give 110 or so.
  EXPECT_GT(leap_months, 100);
  EXPECT_LT(leap_months, 120);
}

TEST(LunarTest, RejectsOutOfRangeAndBadDates) {
  EXPECT_EQ(SolarToLunar(CivilDate{1899, 12, 31}).error().key, "calendar.lunar_out_of_range");
  EXPECT_EQ(SolarToLunar(CivilDate{2200, 1, 1}).error().key, "calendar.lunar_out_of_range");
  EXPECT_EQ(LunarNewYear(2200).error().key, "calendar.lunar_out_of_range");
  EXPECT_EQ(LunarToSolar(LunarDate{2025, 13, 1, false}).error().key, "calendar.bad_lunar_date");
  // The 12th month of Giáp Thìn (2024) has 29 days: 2025-01-28 is 29 Chạp, Tết follows.
  EXPECT_EQ(*SolarToLunar(CivilDate{2025, 1, 28}), (LunarDate{2024, 12, 29, false}));
  EXPECT_EQ(LunarToSolar(LunarDate{2024, 12, 30, false}).error().key, "calendar.bad_lunar_date");
  EXPECT_EQ(LunarMonthLength(CivilDate{2025, 1, 28}), 29);
}

}  // namespace
}  // namespace motcua::domain
