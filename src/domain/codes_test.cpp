#include "domain/codes.h"

#include <gtest/gtest.h>

namespace motcua::domain {
namespace {

TEST(CodesTest, FormatsFromThePattern) {
  auto r = CodeRule::Create("{unit}-{yymmdd}-{seq4}");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r->Format("99501", {2025, 7, 1}, 7), "99501-250701-0007");
  EXPECT_EQ(r->CounterKey("99501", {2025, 7, 1}), "dossier/99501/2025");
  EXPECT_EQ(r->Format("99501", {2025, 7, 1}, 10000).error().key, "codes.sequence_overflow");
  EXPECT_FALSE(r->Format("99501", {2025, 7, 1}, 0).has_value());
  auto daily = CodeRule::Create("{unit}-{yymmdd}-{seq4}", "unit_day");
  ASSERT_TRUE(daily.has_value());
  EXPECT_EQ(daily->CounterKey("99501", {2025, 7, 1}), "dossier/99501/2025/2025-07-01");
  EXPECT_NE(daily->CounterKey("99501", {2025, 7, 1}), daily->CounterKey("99501", {2025, 7, 2}));
  EXPECT_EQ(*CodeRule::Create("H.{unit}.{yyyy}{mm}{dd}.{seq6}")->Format("X", {2026, 1, 2}, 12),
            "H.X.20260102.000012");
}

TEST(CodesTest, BadPatternsAreRefused) {
  for (const char* p : {"{unit}-{seq4}", "{yy}-{seq4}", "{unit}-{yy}", "{unit}-{yy}-{seq4}-{oops}",
                        "{unit}-{yy}-{seq4"}) {
    auto r = CodeRule::Create(p);
    ASSERT_FALSE(r.has_value()) << p;
    EXPECT_EQ(r.error().key, "codes.bad_pattern");
  }
  EXPECT_FALSE(CodeRule::Create("{unit}-{yy}-{seq4}", "unit_day").has_value());
  EXPECT_FALSE(CodeRule::Create("{unit}-{yymmdd}-{seq4}", "per_week").has_value());
}

}  // namespace
}  // namespace motcua::domain
