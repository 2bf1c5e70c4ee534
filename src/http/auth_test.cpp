// Bearer-token authentication: header parsing, constant-time comparison, the token file's
// validation (never a "system" actor from a file) and the two error keys.
#include "http/auth.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace motcua::http {
namespace {

namespace bj = boost::json;

Result<std::unique_ptr<TokenFileAuthenticator>> From(std::string_view text) {
  return TokenFileAuthenticator::FromJson(bj::parse(text));
}

constexpr std::string_view kFile = R"({"tokens": [
  {"token": "0123456789abcdef0123", "kind": "officer", "id": "99501.leader", "unit": "99501",
   "roles": ["leader"]},
  {"token": "fedcba9876543210fedc", "kind": "citizen", "id": "051095000123", "unit": "99501"}
]})";

TEST(BearerTokenTest, ParsesTheBearerScheme) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer   abc  "), "abc");
  EXPECT_EQ(BearerToken("BEARER abc"), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken("Bearer a b"), "");
  EXPECT_EQ(BearerToken(""), "");
}

TEST(ConstantTimeEqualsTest, Equality) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abd", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("ab", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abcabc", "abc"));  // a repeat of the expected one
  EXPECT_FALSE(ConstantTimeEquals("", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("", ""));
}

TEST(TokenFileAuthenticatorTest, AuthenticatesOfficersAndCitizens) {
  auto a = From(kFile);
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  auto officer = (*a)->Authenticate("Bearer 0123456789abcdef0123");
  ASSERT_TRUE(officer.has_value());
  EXPECT_EQ(officer->kind, app::Actor::Kind::kOfficer);
  EXPECT_EQ(officer->unit, "99501");
  EXPECT_EQ(officer->roles, std::vector<std::string>{"leader"});
  auto citizen = (*a)->Authenticate("Bearer fedcba9876543210fedc");
  ASSERT_TRUE(citizen.has_value());
  EXPECT_EQ(citizen->kind, app::Actor::Kind::kCitizen);
  EXPECT_EQ(citizen->id, "051095000123");
  EXPECT_TRUE(citizen->unit.empty());  // citizens act for no unit, whatever the file says
}

TEST(TokenFileAuthenticatorTest, MissingAndInvalidCredentials) {
  auto a = From(kFile);
  ASSERT_TRUE(a.has_value());
  for (std::string_view h : {"", "Basic dXNlcjpwYXNz", "Bearer "}) {
    auto r = (*a)->Authenticate(h);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().key, "auth.missing") << h;
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  }
  for (std::string_view h : {"Bearer 0123456789abcdef012", "Bearer 0123456789abcdef01234",
                             "Bearer 0123456789ABCDEF0123"}) {
    auto r = (*a)->Authenticate(h);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().key, "auth.invalid") << h;
  }
}

TEST(TokenFileAuthenticatorTest, RejectsBadFiles) {
  for (std::string_view bad : {
           R"([])",
           R"({"tokens": {}})",
           R"({"tokens": [{"token": "short", "kind": "citizen", "id": "1"}]})",
           R"({"tokens": [{"token": "0123456789abcdef0123", "kind": "system", "id": "x"}]})",
           R"({"tokens": [{"token": "0123456789abcdef0123", "kind": "officer", "id": "x"}]})",
           R"({"tokens": [{"token": "0123456789abcdef0123", "kind": "citizen", "id": ""}]})",
           R"({"tokens": [{"token": "0123456789abcdef0123", "kind": "citizen", "id": "1",
                           "roles": "leader"}]})",
           R"({"tokens": [{"token": "0123456789abcdef0123", "kind": "citizen", "id": "1"},
                          {"token": "0123456789abcdef0123", "kind": "citizen", "id": "2"}]})",
       }) {
    auto r = From(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().key, "auth.bad_token_file") << bad;
  }
}

TEST(TokenFileAuthenticatorTest, LoadsAFile) {
  std::random_device rd;
  const auto path =
      std::filesystem::temp_directory_path() / ("motcua-tokens-" + std::to_string(rd()) + ".json");
  std::ofstream(path) << kFile;
  auto a = TokenFileAuthenticator::Load(path);
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  EXPECT_EQ((*a)->size(), 2u);
  std::filesystem::remove(path);
  auto missing = TokenFileAuthenticator::Load(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().key, "data.unreadable");
}

}  // namespace
}  // namespace motcua::http
