#include "domain/units.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/json.h"

namespace motcua::domain {
namespace {

Result<UnitTree> DemoTree() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::string(src ? src : ".") + "/data/demo/units.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto v = json::Parse(ss.str());
  if (!v) return std::unexpected(v.error());
  return UnitTree::FromJson(*v);
}

TEST(UnitsTest, DemoProvinceLoadsWithItsHistory) {
  auto tree = DemoTree();
  ASSERT_TRUE(tree.has_value()) << tree.error().ToString();
  EXPECT_EQ(tree->Root()->code, "99");
  const CivilDate before{2025, 6, 30}, after{2025, 7, 1};
  EXPECT_GT(tree->UnitsOn(UnitLevel::kDistrict, before).size(), 5u);
  EXPECT_TRUE(tree->UnitsOn(UnitLevel::kDistrict, after).empty());
  const size_t communes_before = tree->UnitsOn(UnitLevel::kCommune, before).size();
  const size_t communes_after = tree->UnitsOn(UnitLevel::kCommune, after).size();
  EXPECT_GT(communes_before, 2 * communes_after);
  EXPECT_GE(communes_after, 80u);
  EXPECT_GE(tree->UnitsOn(UnitLevel::kDepartment, after).size(), 15u);
  EXPECT_EQ(tree->UnitsOn(UnitLevel::kServiceCentre, after).size(), 1u);
}

TEST(UnitsTest, EveryDissolvedCommuneIsCarriedByAUnitAfterTheReorganisation) {
  auto tree = DemoTree();
  ASSERT_TRUE(tree.has_value());
  for (const Unit* u : tree->UnitsOn(UnitLevel::kCommune, {2025, 6, 30})) {
    auto carried = tree->CarriedBy(u->code, {2025, 7, 1});
    ASSERT_FALSE(carried.empty()) << u->code;
    for (const Unit* c : carried) {
      EXPECT_TRUE(c->ValidOn({2025, 7, 1}));
      EXPECT_EQ(c->level, UnitLevel::kCommune);
    }
    // Before the reorganisation the old commune carries its own records, under its district.
    auto self = tree->CarriedBy(u->code, {2025, 6, 30});
    ASSERT_EQ(self.size(), 1u);
    EXPECT_EQ(self[0]->code, u->code);
    EXPECT_NE(tree->AncestorAt(u->code, UnitLevel::kDistrict), nullptr) << u->code;
    EXPECT_TRUE(tree->IsWithin(u->code, "99"));
  }
}

TEST(UnitsTest, AgencyKeysFollowTheDepartmentMergers) {
  auto tree = DemoTree();
  ASSERT_TRUE(tree.has_value());
  const Unit* before = tree->AgencyOn("finance", {2025, 2, 28});
  const Unit* after = tree->AgencyOn("finance", {2025, 3, 1});
  ASSERT_NE(before, nullptr);
  ASSERT_NE(after, nullptr);
  EXPECT_NE(before->code, after->code);
}

TEST(UnitsTest, InvalidTreesAreRefused) {
  auto unit = [](std::string code, std::string parent, UnitLevel level) {
    Unit u;
    u.code = std::move(code);
    u.name = "x";
    u.parent = std::move(parent);
    u.level = level;
    u.valid_from = {2000, 1, 1};
    return u;
  };
  std::vector<Unit> dup{unit("1", "", UnitLevel::kProvince), unit("1", "", UnitLevel::kProvince)};
  EXPECT_EQ(UnitTree::Build(dup).error().key, "unit.invalid_tree");
  std::vector<Unit> orphan{unit("1", "", UnitLevel::kProvince),
                           unit("2", "9", UnitLevel::kCommune)};
  EXPECT_FALSE(UnitTree::Build(orphan).has_value());
  Unit dissolved = unit("2", "1", UnitLevel::kCommune);
  dissolved.successors.push_back({"3", {2025, 7, 1}, ""});  // no valid_to
  std::vector<Unit> bad_succ{unit("1", "", UnitLevel::kProvince), dissolved,
                             unit("3", "1", UnitLevel::kCommune)};
  EXPECT_FALSE(UnitTree::Build(bad_succ).has_value());
  Unit a = unit("2", "1", UnitLevel::kDepartment), b = unit("3", "1", UnitLevel::kDepartment);
  a.agency_key = b.agency_key = "justice";
  std::vector<Unit> overlap{unit("1", "", UnitLevel::kProvince), a, b};
  EXPECT_FALSE(UnitTree::Build(overlap).has_value());
  EXPECT_FALSE(UnitTree::FromJson(boost::json::value(42)).has_value());
}

}  // namespace
}  // namespace motcua::domain
