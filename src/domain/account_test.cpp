// Input rules of accounts (domain/account.h): phone numbers.
#include "domain/account.h"

#include <gtest/gtest.h>

namespace motcua::domain {
namespace {

TEST(NormalisePhoneTest, NationalAndInternationalFormsGiveTheSameNumber) {
  EXPECT_EQ(*NormalisePhone("0912 345 678"), "0912345678");
  EXPECT_EQ(*NormalisePhone("+84 912.345.678"), "0912345678");
  EXPECT_EQ(*NormalisePhone("+84-35-123-4567"), "0351234567");
  EXPECT_EQ(NormalisePhone("+85 912 345 678").error().key, "account.bad_phone");
  EXPECT_EQ(NormalisePhone("+84 912 345 67").error().key, "account.bad_phone");
  EXPECT_EQ(NormalisePhone("0212345678").error().key, "account.bad_phone");  // no such prefix
  EXPECT_EQ(NormalisePhone("09123a5678").error().key, "account.bad_phone");
}

}  // namespace
}  // namespace motcua::domain
