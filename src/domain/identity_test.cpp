#include "domain/identity.h"

#include <gtest/gtest.h>

namespace motcua::domain {
namespace {

TEST(IdentityTest, Formats) {
  EXPECT_EQ(*ValidateIdNumber(IdKind::kCitizenId, "051 095 000 123"), "051095000123");
  for (const char* bad :
       {"", "05109500012", "0510950001234", "05109500012a", "099095000123", "000095000123"}) {
    auto r = ValidateIdNumber(IdKind::kCitizenId, bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().key, "applicant.bad_id_number");
  }
  EXPECT_TRUE(ValidateIdNumber(IdKind::kOldId, "212345678").has_value());
  EXPECT_FALSE(ValidateIdNumber(IdKind::kOldId, "21234567").has_value());
  EXPECT_EQ(*ValidateIdNumber(IdKind::kPassport, "c1234567"), "C1234567");
  EXPECT_FALSE(ValidateIdNumber(IdKind::kPassport, "12345678").has_value());
  EXPECT_TRUE(ValidateIdNumber(IdKind::kTaxCode, "0101234567").has_value());
  EXPECT_TRUE(ValidateIdNumber(IdKind::kTaxCode, "0101234567-001").has_value());
  EXPECT_FALSE(ValidateIdNumber(IdKind::kTaxCode, "0101234567-01").has_value());
  EXPECT_FALSE(ParseIdKind("ssn").has_value());
}

TEST(IdentityTest, Masking) {
  EXPECT_EQ(MaskIdentifier("051095000123"), "05********23");
  EXPECT_EQ(MaskIdentifier("0912345678"), "09******78");
  EXPECT_EQ(MaskIdentifier("123"), "***");
}

}  // namespace
}  // namespace motcua::domain
