// json::Parse and its limits: nesting depth, duplicate keys, invalid UTF-8, numbers that would
// silently change value, trailing data; and json::Int's refusal of non-integers.
#include "base/json.h"

#include <gtest/gtest.h>

#include <string>

namespace motcua::json {
namespace {

namespace bj = boost::json;

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string KeyOf(const Result<bj::value>& r) { return r ? std::string("ok") : r.error().key; }

TEST(JsonParseTest, ParsesStandardDocuments) {
  auto r = Parse(R"({"a": [1, -2, 18446744073709551615, 1.5, "x\u00e9", true, null], "b": {}})");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  const bj::array& a = r->at("a").as_array();
  EXPECT_EQ(a[0].as_int64(), 1);
  EXPECT_EQ(a[1].as_int64(), -2);
  EXPECT_EQ(a[2].as_uint64(), 18446744073709551615u);
  EXPECT_EQ(a[3].as_double(), 1.5);
  EXPECT_EQ(a[4].as_string(), "x\xc3\xa9");
  EXPECT_TRUE(a[5].as_bool());
  EXPECT_TRUE(a[6].is_null());
  EXPECT_TRUE(r->at("b").as_object().empty());
  // Member order is kept (documents are hashed and compared as text elsewhere).
  auto o = Parse(R"({"z": 1, "a": 2, "m": {"y": 1, "b": 2}})");
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(bj::serialize(*o), R"({"z":1,"a":2,"m":{"y":1,"b":2}})");
  EXPECT_EQ(KeyOf(Parse("\"\"")), "ok");
  EXPECT_EQ(KeyOf(Parse("  7  ")), "ok");
}

TEST(JsonParseTest, RefusesNestingBeyondTheLimit) {
  EXPECT_EQ(KeyOf(Parse(Nested(32))), "ok");
  EXPECT_EQ(KeyOf(Parse(Nested(33))), "json.too_deep");
  EXPECT_EQ(KeyOf(Parse(Nested(100000))), "json.too_deep");
  EXPECT_EQ(KeyOf(Parse(R"({"a":{"a":{"a":1}}})", {.max_depth = 2})), "json.too_deep");
  EXPECT_EQ(KeyOf(Parse(R"({"a":{"a":1}})", {.max_depth = 2})), "ok");
  auto e = Parse(Nested(33));
  EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument);
}

TEST(JsonParseTest, RefusesDuplicateKeys) {
  auto r = Parse(R"({"amount": 1, "amount": 1000000})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "json.duplicate_key");
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  // Nested objects, and a duplicate whose values are containers.
  EXPECT_EQ(KeyOf(Parse(R"({"a": {"x": 1, "y": 2, "x": 3}})")), "json.duplicate_key");
  EXPECT_EQ(KeyOf(Parse(R"([{"k": {}}, {"k": [], "k": []}])")), "json.duplicate_key");
  EXPECT_EQ(KeyOf(Parse(R"({"a": {"x": {}}, "b": {}, "a": {"y": [{}, {"z": 1}]}})")),
            "json.duplicate_key");
  EXPECT_EQ(KeyOf(Parse(R"({"a": 1, "b": {"c": 2}, "a": 3, "d": {"e": 4, "f": 5}})")),
            "json.duplicate_key");
  EXPECT_EQ(KeyOf(Parse(R"([[[{"deep": 1, "deep": 1}]]])")), "json.duplicate_key");
  // Escapes are decoded before comparing: "\u0061" is "a".
  EXPECT_EQ(KeyOf(Parse(R"({"a": 1, "\u0061": 2})")), "json.duplicate_key");
  // The same key in sibling objects is fine.
  EXPECT_EQ(KeyOf(Parse(R"([{"k": 1}, {"k": 2}])")), "ok");
  EXPECT_EQ(KeyOf(Parse(R"({"k": {"k": {"k": 1}}})")), "ok");
  // Allowed on request: the last one wins, as Boost.JSON does.
  auto lenient = Parse(R"({"a": 1, "a": 2})", {.allow_duplicate_keys = true});
  ASSERT_TRUE(lenient.has_value());
  EXPECT_EQ(lenient->at("a").as_int64(), 2);
  EXPECT_EQ(lenient->as_object().size(), 1u);
}

TEST(JsonParseTest, RefusesInvalidUtf8) {
  EXPECT_EQ(KeyOf(Parse("\"\xff\"")), "json.malformed");
  EXPECT_EQ(KeyOf(Parse("{\"a\xc3\": 1}")), "json.malformed");   // truncated sequence in a key
  EXPECT_EQ(KeyOf(Parse("\"\xc0\xaf\"")), "json.malformed");     // overlong encoding of '/'
  EXPECT_EQ(KeyOf(Parse("\"\xed\xa0\x80\"")), "json.malformed");  // a UTF-16 surrogate
  EXPECT_EQ(KeyOf(Parse("\"Nguy\xe1\xbb\x85n\"")), "ok");         // "Nguyễn"
}

TEST(JsonParseTest, RefusesNumbersThatWouldChangeValue) {
  // Past uint64 (and below int64) Boost.JSON would answer an inexact double.
  EXPECT_EQ(KeyOf(Parse("18446744073709551616")), "json.number_out_of_range");
  EXPECT_EQ(KeyOf(Parse("-9223372036854775809")), "json.number_out_of_range");
  EXPECT_EQ(KeyOf(Parse(R"({"amount": 123456789012345678901234567890})")),
            "json.number_out_of_range");
  // Beyond double's range a number would become infinity.
  EXPECT_EQ(KeyOf(Parse("1e400")), "json.number_out_of_range");
  EXPECT_EQ(KeyOf(Parse("[-1.5E+999]")), "json.number_out_of_range");
  // The extremes that fit stay exact.
  auto max = Parse("[9223372036854775807, -9223372036854775808, 18446744073709551615, 1e308]");
  ASSERT_TRUE(max.has_value()) << max.error().ToString();
  EXPECT_EQ(max->as_array()[0].as_int64(), INT64_MAX);
  EXPECT_EQ(max->as_array()[1].as_int64(), INT64_MIN);
  EXPECT_EQ(max->as_array()[2].as_uint64(), UINT64_MAX);
  EXPECT_EQ(max->as_array()[3].as_double(), 1e308);
}

TEST(JsonParseTest, RefusesSyntaxErrorsAndTrailingData) {
  for (const char* bad : {"", "   ", "{", "[1,]", "{\"a\":1,}", "// c\n1", "{\"a\" 1}", "01",
                          "NaN", "Infinity", "1 2", "{} x", "'a'", "\"\\x41\""}) {
    EXPECT_EQ(KeyOf(Parse(bad)), "json.malformed") << bad;
  }
}

TEST(JsonIntTest, OnlyExactIntegersAreIntegers) {
  auto doc = Parse(
      R"({"i": 42, "big": 18446744073709551615, "f": 1.0, "e": 1e3, "s": "7", "neg": -1})");
  ASSERT_TRUE(doc.has_value());
  const bj::object& o = doc->as_object();
  EXPECT_EQ(Int(o, "i").value(), 42);
  EXPECT_EQ(Int(o, "neg").value(), -1);
  // A uint64 past int64, a fraction or an exponent is not an int64 field's value.
  for (const char* k : {"big", "f", "e", "s"}) {
    auto r = Int(o, k);
    ASSERT_FALSE(r.has_value()) << k;
    EXPECT_EQ(r.error().key, "json.bad_field") << k;
  }
  EXPECT_EQ(Int(o, "missing").error().key, "json.bad_field");
}

}  // namespace
}  // namespace motcua::json
