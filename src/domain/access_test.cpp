// The permission table's own consistency (the authorisation matrix test in src/http checks the
// decisions route by route): known roles only, no repeated rows, public and "any" rows without a
// role, and the decision rules for scopes on the real demo unit tree (carried records of a
// dissolved commune reach its successor's officers).
#include "domain/access.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

namespace motcua::domain {
namespace {

TEST(PermissionTableTest, RowsNameKnownRolesOnceEach) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const Permission& p : PermissionTable()) {
    EXPECT_TRUE(seen.insert({p.action, p.role}).second) << p.action << " " << p.role;
    if (p.scope == Scope::kPublic || p.scope == Scope::kAny) {
      EXPECT_EQ(p.role, "*") << p.action;
    } else {
      EXPECT_TRUE(IsKnownRole(p.role)) << p.action << " " << p.role;
    }
    // "self" is the citizen's own record, and for a community digital team member the dossiers
    // they filed for someone (read only); no other role has it.
    if (p.role == role::kCitizen) {
      EXPECT_EQ(p.scope, Scope::kSelf) << p.action;
    }
    if (p.scope == Scope::kSelf && p.role != role::kCitizen) {
      EXPECT_EQ(p.role, role::kCommunityTeam) << p.action;
      // …and may help the applicant they filed for to pay online.
      EXPECT_TRUE(p.action == "dossier.read" || p.action.starts_with("file.") ||
                  p.action.starts_with("draft.") || p.action == "payment.pay")
          << p.action;
    }
  }
  EXPECT_FALSE(IsKnownAction("dossier.delete"));
  EXPECT_TRUE(IsKnownAction("dossier.receive"));
  // Citizens are never given unit scopes; officers never "self".
  EXPECT_FALSE(IsOfficerRole(role::kCitizen));
  EXPECT_TRUE(IsOfficerRole(role::kClerk));
}

TEST(PermissionTableTest, TokenScopesCoverEveryNonSessionAction) {
  for (std::string_view a : AllActions()) {
    const std::string_view scope = TokenScopeFor(a);
    const bool session_only = a.starts_with("session.") || a.starts_with("account.change") ||
                              a.starts_with("account.enrol") || a.starts_with("account.register") ||
                              a.starts_with("password_reset.") || a == "api_token.manage" ||
                              a == "procedure.read" || a == "unit.read" ||
                              a == "calendar.read" || a == "dossier.lookup" ||
                              a == "draft.manage" || a == "calendar.manage" ||
                              a == "payment.notify" || a == "holding.read_own" ||
                              // A person signs and manages certificates; no token may.
                              a.starts_with("certificate.") || a.starts_with("document.");
    EXPECT_EQ(scope.empty(), session_only) << a;
  }
}

UnitTree DemoTree() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::string(src ? src : ".") + "/data/demo/units.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto tree = UnitTree::FromJson(boost::json::parse(text));
  EXPECT_TRUE(tree.has_value()) << tree.error().ToString();
  return std::move(*tree);
}

TEST(DecideTest, ScopesFollowTheTreeAndCarriedRecords) {
  const UnitTree tree = DemoTree();
  const CivilDate today{2026, 3, 2};
  const auto communes = tree.UnitsOn(UnitLevel::kCommune, today);
  const std::string c1 = communes.at(0)->code, c2 = communes.at(1)->code;
  Principal officer{true, {{"one_stop_officer", c1}}};
  EXPECT_TRUE(Decide(officer, "dossier.receive", {{c1}, false}, tree, today).allowed);
  EXPECT_EQ(Decide(officer, "dossier.receive", {{c2}, false}, tree, today).reason, "out_of_scope");
  EXPECT_EQ(Decide(officer, "dossier.cancel", {{c1}, false}, tree, today).reason, "no_role");
  EXPECT_EQ(Decide(officer, "dossier.fly", {{c1}, false}, tree, today).reason, "unknown_action");
  Principal admin{true, {{"province_admin", tree.Root()->code}}};
  EXPECT_TRUE(Decide(admin, "dossier.read", {{c2}, false}, tree, today).allowed);
  EXPECT_FALSE(Decide(admin, "dossier.receive", {{c2}, false}, tree, today).allowed);
  Principal anonymous;
  EXPECT_TRUE(Decide(anonymous, "procedure.read", {}, tree, today).allowed);
  EXPECT_EQ(Decide(anonymous, "dossier.read", {{c1}, false}, tree, today).reason,
            "unauthenticated");
  Principal citizen{true, {{"citizen", ""}}};
  EXPECT_TRUE(Decide(citizen, "dossier.read", {{c1}, true}, tree, today).allowed);
  EXPECT_FALSE(Decide(citizen, "dossier.read", {{c1}, false}, tree, today).allowed);
  // A commune dissolved on 1 July 2025: its successor's officers reach its records, and the
  // province administrator reaches them through the successor.
  bool checked = false;
  for (const Unit& u : tree.units()) {
    if (u.level != UnitLevel::kCommune || !u.valid_to || u.successors.empty()) continue;
    checked = true;
    const std::string successor = u.successors.front().code;
    Principal heir{true, {{"one_stop_officer", successor}}};
    EXPECT_TRUE(Decide(heir, "dossier.read", {{u.code}, false}, tree, today).allowed) << u.code;
    EXPECT_TRUE(Decide(admin, "dossier.read", {{u.code}, false}, tree, today).allowed) << u.code;
    Principal stranger{true, {{"one_stop_officer", successor == c1 ? c2 : c1}}};
    EXPECT_FALSE(Decide(stranger, "dossier.read", {{u.code}, false}, tree, today).allowed);
    break;
  }
  EXPECT_TRUE(checked) << "the demo tree has no dissolved commune";
}

}  // namespace
}  // namespace motcua::domain
