#include "base/time.h"

#include <gtest/gtest.h>

namespace motcua {
namespace {

TEST(TimeTest, CivilRoundTripOverFourCenturies) {
  for (int64_t z = DaysFromCivil({1800, 1, 1}); z < DaysFromCivil({2300, 1, 1}); ++z) {
    ASSERT_EQ(DaysFromCivil(CivilFromDays(z)), z);
  }
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2025, 7, 1}), 20270);
}

TEST(TimeTest, Weekday) {
  EXPECT_EQ(Weekday({2025, 7, 1}), 2);   // Tuesday
  EXPECT_EQ(Weekday({2026, 2, 17}), 2);  // Tuesday, Tết Bính Ngọ
  EXPECT_EQ(Weekday({1970, 1, 1}), 4);   // Thursday
  EXPECT_EQ(Weekday({1969, 12, 28}), 0);
}

TEST(TimeTest, VietnamLocalIsUtcPlusSeven) {
  const Timestamp t = *ParseIsoDateTime("2025-06-30T17:30:00Z");
  const LocalDateTime l = ToVietnamLocal(t);
  EXPECT_EQ(l.date, (CivilDate{2025, 7, 1}));
  EXPECT_EQ(l.minute_of_day, 30);
  EXPECT_EQ(FromVietnamLocal({2025, 7, 1}, 30), t);
  EXPECT_EQ(FormatViDateTime(t), "00:30 01/07/2025");
}

TEST(TimeTest, ParseAndFormat) {
  EXPECT_EQ(FormatIsoUtc(*ParseIsoDateTime("2025-01-02T03:04:05.000006Z")),
            "2025-01-02T03:04:05.000006Z");
  // No offset means Vietnam local time.
  EXPECT_EQ(*ParseIsoDateTime("2025-01-02T10:00"), *ParseIsoDateTime("2025-01-02T03:00:00Z"));
  EXPECT_EQ(*ParseIsoDateTime("2025-01-02T10:00:00+07:00"), *ParseIsoDateTime("2025-01-02T10:00"));
  for (const char* bad : {"", "2025-13-01T00:00", "2025-02-29T00:00", "2025-01-01T24:00",
                          "2025-01-01T10:00Zjunk", "2025-01-01T10:00:00.", "abcd-ef-ghT00:00"}) {
    auto r = ParseIsoDateTime(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().key, "time.bad_datetime");
  }
  EXPECT_FALSE(ParseIsoDate("2024-02-30").has_value());
  EXPECT_TRUE(ParseIsoDate("2024-02-29").has_value());
  EXPECT_EQ(FormatViDate({2025, 7, 1}), "01/07/2025");
}

}  // namespace
}  // namespace motcua
