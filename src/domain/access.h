// Who may do what, where: the one table of permissions (action × role → scope) and the decision
// function every entry point calls with (principal, action, target). Pure: the unit tree and the
// date are passed in. Scopes follow the unit tree: "unit" means the grant's own unit (and the
// dissolved units whose records it carries since a reorganisation), "subtree" the unit and every
// unit below it. A citizen's "self" scope means the target belongs to them (their own dossier,
// their own account): the caller says so, because only it knows the target's owner.
// Thread-safety: immutable table, pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "domain/units.h"

namespace motcua::domain {

// Role identifiers (stable: stored in accounts and API tokens, shown translated in the UI).
namespace role {
inline constexpr std::string_view kCitizen = "citizen";
inline constexpr std::string_view kOneStopOfficer = "one_stop_officer";  // cán bộ một cửa
inline constexpr std::string_view kSpecialist = "specialist";            // chuyên viên
inline constexpr std::string_view kLeader = "leader";                    // lãnh đạo đơn vị
inline constexpr std::string_view kClerk = "clerk";                      // văn thư
inline constexpr std::string_view kCommunityTeam = "community_digital_team";  // tổ CNS cộng đồng
inline constexpr std::string_view kUnitAdmin = "unit_admin";        // quản trị đơn vị
inline constexpr std::string_view kProvinceAdmin = "province_admin";  // quản trị tỉnh
inline constexpr std::string_view kDashboardViewer = "dashboard_viewer";  // xem bảng điều hành
inline constexpr std::string_view kAuditor = "auditor";                  // thanh tra, kiểm toán
}  // namespace role

// Every role, in display order.
std::span<const std::string_view> AllRoles();
bool IsKnownRole(std::string_view role);
// Roles an officer account may hold (all but citizen).
bool IsOfficerRole(std::string_view role);

enum class Scope {
  kPublic,   // anyone, signed in or not
  kSelf,     // a citizen's own target
  kAny,      // any signed-in principal, whatever the unit (their own account settings)
  kUnit,     // the grant's unit (and units whose records it carries)
  kSubtree,  // the grant's unit and every unit below it
};
std::string_view ScopeName(Scope s);

struct Permission {
  std::string_view action;
  std::string_view role;  // "*" for kPublic and kAny rows
  Scope scope;
};

// The whole table (docs/access.md prints it; the authorisation test enumerates it).
std::span<const Permission> PermissionTable();
// Every action named in the table, in table order, without repetition.
std::vector<std::string_view> AllActions();
bool IsKnownAction(std::string_view action);

// One role held at one unit ("" for citizens).
struct Grant {
  std::string role;
  std::string unit;
};

// Who asks. Citizens hold the single grant {citizen, ""}.
struct Principal {
  bool authenticated = false;
  std::vector<Grant> grants;
};

// What is acted upon: the units the target belongs to (a dossier has its receiving, competent,
// current and consulted units; any one covered is enough) and whether it is the principal's own.
struct Target {
  std::vector<std::string> units;
  bool own = false;
};

struct Decision {
  bool allowed = false;
  // The permission row that allowed it, or why not ("no_role", "out_of_scope", "unknown_action",
  // "unauthenticated").
  std::string reason;
  std::string role;  // the role whose grant allowed it
};

// The decision for (principal, action, target) on `date` (unit validity for carried records).
Decision Decide(const Principal& p, std::string_view action, const Target& target,
                const UnitTree& units, CivilDate date);

// Whether a grant's scope reaches `unit`.
bool Covers(const Grant& g, Scope scope, std::string_view unit, const UnitTree& units,
            CivilDate date);

// The units a grant reaches (for search filters): for kUnit the grant's unit and the dissolved
// units it carries, for kSubtree every unit within it. Empty for other scopes.
std::vector<std::string> UnitsReached(const Grant& g, Scope scope, const UnitTree& units,
                                      CivilDate date);

// Each of the principal's grants that the table lets do `action`, with the scope it has (for
// shaping searches: a province admin's subtree, a commune officer's commune, a citizen's own).
struct ScopedGrant {
  Grant grant;
  Scope scope;
};
std::vector<ScopedGrant> GrantsFor(const Principal& p, std::string_view action);

// The API-token scope an action needs ("dossiers:read", "dossiers:write", "accounts:read",
// "accounts:write", "audit:read", "indicators:read", "events:read", "payments:reconcile"); empty when the action is
// never open to API tokens (sessions, passwords, issuing tokens) or is public.
std::string_view TokenScopeFor(std::string_view action);
// Every scope a token may be issued with.
std::span<const std::string_view> AllTokenScopes();

}  // namespace motcua::domain
