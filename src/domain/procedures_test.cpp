#include "domain/procedures.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "base/json.h"

namespace motcua::domain {
namespace {

boost::json::value Catalogue() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::string(src ? src : ".") + "/data/procedures/catalogue.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return *json::Parse(ss.str());
}

TEST(ProceduresTest, TheDemoCatalogueHoldsAtLeastFortyValidProceduresAcrossFields) {
  auto c = ProcedureCatalog::FromJson(Catalogue());
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_GE(c->procedures().size(), 40u);
  std::set<std::string> fields;
  for (const auto& p : c->procedures()) {
    fields.insert(p.field);
    int total = 0;
    for (const auto& s : p.steps) total += s.share;
    EXPECT_EQ(total, 100) << p.code;
  }
  for (const char* f : {"ho_tich", "dat_dai", "xay_dung", "ho_kinh_doanh", "ly_lich_tu_phap",
                        "lao_dong", "giao_duc", "giao_thong", "doanh_nghiep"}) {
    EXPECT_TRUE(fields.count(f)) << f;
  }
  const Procedure* birth = c->Find("1.001193");
  ASSERT_NE(birth, nullptr);
  EXPECT_EQ(birth->time_limit.unit, LimitUnit::kSameDay);
  EXPECT_EQ(birth->competent_level, "commune");
}

TEST(ProceduresTest, InvalidEntriesAreRefusedWithTheirCode) {
  auto base = Catalogue().as_object().at("procedures").as_array().at(0).as_object();
  auto check = [&](auto mutate) {
    boost::json::object o = base;
    mutate(o);
    auto p = Procedure::FromJson(o);
    EXPECT_FALSE(p.has_value());
    if (!p) {
      EXPECT_EQ(p.error().key, "procedure.invalid_catalogue");
    }
  };
  check([](auto& o) { o["steps"].as_array()[0].as_object()["share"] = 0; });
  check([](auto& o) { o["steps"].as_array()[0].as_object()["share"] = 1000; });
  check([](auto& o) { o["time_limit"].as_object()["unit"] = "fortnights"; });
  check([](auto& o) {
    o["fees"] =
        boost::json::array{boost::json::object{{"code", "x"}, {"kind", "fee"}, {"amount", -1}}};
  });
  check([](auto& o) { o["online_level"] = "level4"; });
  check([](auto& o) { o.erase("components"); });
  check([](auto& o) { o["competent"] = boost::json::object{{"level", "district"}}; });
  auto dup = Catalogue();
  auto& arr = dup.as_object()["procedures"].as_array();
  arr.push_back(arr[0]);
  EXPECT_FALSE(ProcedureCatalog::FromJson(dup).has_value());
}

}  // namespace
}  // namespace motcua::domain
