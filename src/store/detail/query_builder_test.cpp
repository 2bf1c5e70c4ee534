// The builder's pure parts: prefix bounds over UTF-8, the storable-text check, limits, and that a
// statement name stands for one SQL text. The SQL itself is tested against both backends by
// store_contract_test.
#include "store/detail/query_builder.h"

#include <gtest/gtest.h>

#include <map>

namespace motcua::store::detail {
namespace {

TEST(PrefixEndUtf8, BumpsTheLastCodePoint) {
  EXPECT_EQ(PrefixEndUtf8("abc"), "abd");
  EXPECT_EQ(PrefixEndUtf8("a\x7f"), "a\xc2\x80");            // U+007F -> U+0080: longer encoding
  EXPECT_EQ(PrefixEndUtf8("\xc3\xa9"), "\xc3\xaa");          // é -> ê
  EXPECT_EQ(PrefixEndUtf8("\xdf\xbf"), "\xe0\xa0\x80");      // U+07FF -> U+0800
  EXPECT_EQ(PrefixEndUtf8("\xed\x9f\xbf"), "\xee\x80\x80");  // U+D7FF -> U+E000 (no surrogates)
  EXPECT_EQ(PrefixEndUtf8("\xef\xbf\xbf"), "\xf0\x90\x80\x80");  // U+FFFF -> U+10000
  EXPECT_EQ(PrefixEndUtf8("a\xf4\x8f\xbf\xbf"), "b");  // U+10FFFF has no successor: drop it
  EXPECT_EQ(PrefixEndUtf8("\xf4\x8f\xbf\xbf"), std::nullopt);
  EXPECT_EQ(PrefixEndUtf8(""), std::nullopt);
  // Every result is itself storable text.
  for (std::string_view p : {"a\x7f", "\xdf\xbf", "\xed\x9f\xbf", "\xef\xbf\xbf", "Đ"}) {
    auto end = PrefixEndUtf8(p);
    ASSERT_TRUE(end.has_value());
    EXPECT_TRUE(IsStorableUtf8(*end)) << p;
    EXPECT_GT(*end, std::string(p));
  }
}

TEST(IsStorableUtf8, AcceptsWhatPostgresAccepts) {
  EXPECT_TRUE(IsStorableUtf8(""));
  EXPECT_TRUE(IsStorableUtf8("Hồ sơ 99001-250701-0003"));
  EXPECT_TRUE(IsStorableUtf8("\xf4\x8f\xbf\xbf"));
  EXPECT_FALSE(IsStorableUtf8(std::string("a\0b", 3)));  // NUL
  EXPECT_FALSE(IsStorableUtf8("\xc3"));                  // truncated
  EXPECT_FALSE(IsStorableUtf8("\xc0\xaf"));              // overlong
  EXPECT_FALSE(IsStorableUtf8("\xe0\x9f\xbf"));          // overlong
  EXPECT_FALSE(IsStorableUtf8("\xed\xa0\x80"));          // surrogate
  EXPECT_FALSE(IsStorableUtf8("\xf4\x90\x80\x80"));      // > U+10FFFF
  EXPECT_FALSE(IsStorableUtf8("\x80"));                  // stray continuation
}

TEST(CheckLimit, OneToTenThousand) {
  EXPECT_TRUE(CheckLimit(1).has_value());
  EXPECT_TRUE(CheckLimit(10'000).has_value());
  for (int bad : {0, -1, 10'001}) {
    auto r = CheckLimit(bad);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().key, "store.bad_query");
  }
}

// Statements are cached per connection by name: two different texts under one name would run the
// wrong SQL. Build many query shapes and check that names and texts correspond one to one.
TEST(Builder, OneNameOneText) {
  for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
    std::map<std::string, std::string> seen;
    auto check = [&](const BuiltQuery& b) {
      auto [it, inserted] = seen.emplace(b.name, b.sql);
      if (!inserted) {
        EXPECT_EQ(it->second, b.sql) << b.name;
      }
      EXPECT_LE(b.name.size(), 63u) << b.name;  // PostgreSQL truncates longer statement names
    };
    std::vector<std::string> many(40, "u");
    for (int mask = 0; mask < (1 << 11); ++mask) {
      DossierQuery q;
      if (mask & 1) q.unit = "u";
      if (mask & 2) q.any_unit = {"u"};
      if (mask & 4) q.any_unit = many;
      if (mask & 8) q.state = "s";
      if (mask & 16) q.applicant_key = "k";
      if (mask & 32) q.procedure_code = "p";
      if (mask & 64) q.channel = "c";
      if (mask & 128) q.code_prefix = (mask & 1024) ? "\xc3" : "A_";
      if (mask & 256) q.submitted_from = Timestamp{1};
      if (mask & 512) q.due_before = Timestamp{2};
      if (mask & 1024) q.limit = -1;
      check(BuildListDossiers(q, d));
      check(BuildCountDossiers(q, d));
    }
    for (int mask = 0; mask < (1 << 7); ++mask) {
      EventQuery q;
      if (mask & 1) q.stream_prefix = (mask & 64) ? "\xf4\x8f\xbf\xbf" : "dossier/";
      if (mask & 2) q.type = "t";
      if (mask & 4) q.actor = "a";
      if (mask & 8) q.unit = "u";
      if (mask & 16) q.from = Timestamp{1};
      if (mask & 32) q.to = Timestamp{2};
      if (mask & 64 && !(mask & 1)) q.stream_prefix = "";
      check(*BuildQueryEvents(q, d));
    }
    for (std::string_view prefix : {"", "u0", "\xc3", "\xf4\x8f\xbf\xbf"}) {
      for (std::string_view after : {"", "u05"})
        check(*BuildCatalogPage("unit", prefix, after, 5, d));
      check(*BuildListSecrets("session", prefix, 5, d));
    }
  }
}

TEST(Builder, ValuesAreBoundNeverSpliced) {
  const std::string evil = "x'); DROP TABLE events; --";
  for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
    auto b = BuildListDossiers({.unit = evil, .any_unit = {evil}, .code_prefix = evil}, d);
    EXPECT_EQ(b.sql.find("DROP"), std::string::npos);
    auto e = BuildQueryEvents({.stream_prefix = evil, .actor = evil}, d);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->sql.find("DROP"), std::string::npos);
  }
  // PostgreSQL placeholders are numbered in order, one per value.
  auto b = BuildQueryEvents({.type = "t", .actor = "a", .limit = 5}, Dialect::kPostgres);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->values.size(), 4u);
  EXPECT_NE(b->sql.find("$4"), std::string::npos);
  EXPECT_EQ(b->sql.find("$5"), std::string::npos);
  EXPECT_EQ(b->sql.find('?'), std::string::npos);
}

}  // namespace
}  // namespace motcua::store::detail
