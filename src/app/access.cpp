#include "app/access.h"

#include <algorithm>
#include <set>

namespace motcua::app {

domain::Principal PrincipalOf(const Actor& a) {
  domain::Principal p;
  switch (a.kind) {
    case Actor::Kind::kCitizen:
      p.authenticated = true;
      p.grants.push_back({std::string(domain::role::kCitizen), ""});
      break;
    case Actor::Kind::kOfficer:
    case Actor::Kind::kService:
      p.authenticated = true;
      for (const auto& r : a.roles) p.grants.push_back({r, a.unit});
      break;
    case Actor::Kind::kSystem:
    case Actor::Kind::kAnonymous:
      break;
  }
  return p;
}

Result<domain::Decision> Access::Check(const Actor& actor, std::string_view action,
                                       const domain::Target& target) const {
  if (actor.kind == Actor::Kind::kSystem) return domain::Decision{true, "system", ""};
  const CivilDate today = ToVietnamLocal(clock_.Now()).date;
  domain::Decision d =
      domain::Decide(PrincipalOf(actor), action, target, catalog_->units(), today);
  if (!d.allowed) {
    if (d.reason == "unauthenticated") return Fail(ErrorCode::kUnauthenticated, "auth.missing");
    Error e{ErrorCode::kPermissionDenied, "auth.forbidden", d.reason, {}};
    e.With("action", std::string(action));
    return Fail(e);
  }
  if (actor.token && d.reason != "public") {
    const std::string_view need = domain::TokenScopeFor(action);
    if (need.empty() ||
        std::find(actor.scopes.begin(), actor.scopes.end(), need) == actor.scopes.end()) {
      Error e{ErrorCode::kPermissionDenied, "auth.scope_missing", std::string(action), {}};
      e.With("scope", need.empty() ? std::string("-") : std::string(need));
      return Fail(e);
    }
  }
  return d;
}

domain::Target Access::TargetOf(const Actor& actor, const domain::Dossier& d) const {
  domain::Target t;
  for (const std::string* u : {&d.receiving_unit, &d.competent_unit, &d.current_unit}) {
    if (!u->empty() && std::find(t.units.begin(), t.units.end(), *u) == t.units.end()) {
      t.units.push_back(*u);
    }
  }
  for (const auto& c : d.consultations) {
    if (std::find(t.units.begin(), t.units.end(), c.unit) == t.units.end()) {
      t.units.push_back(c.unit);
    }
  }
  // Own: the applicant, or the community digital team member who filed it for them (assisted).
  t.own = (actor.kind == Actor::Kind::kCitizen && !actor.id.empty() &&
           actor.id == d.applicant.id_number) ||
          (actor.kind == Actor::Kind::kOfficer && !actor.id.empty() &&
           d.channel == domain::Channel::kAssisted && actor.id == d.assisted_by);
  return t;
}

Result<void> Access::ScopeSearch(const Actor& actor, store::DossierQuery& q) const {
  if (actor.kind == Actor::Kind::kSystem) return {};
  const std::vector<domain::ScopedGrant> grants =
      domain::GrantsFor(PrincipalOf(actor), "dossier.search");
  // Run the check once with an empty target so that anonymous callers, missing roles and token
  // scopes give the same errors as everywhere else.
  if (grants.empty()) {
    auto c = Check(actor, "dossier.search", domain::Target{});
    if (!c) return std::unexpected(c.error());
    return Fail(ErrorCode::kPermissionDenied, "auth.forbidden", "no_role");
  }
  if (actor.token) {
    auto c = Check(actor, "dossier.search", domain::Target{{actor.unit}, false});
    if (!c) return std::unexpected(c.error());
  }
  const CivilDate today = ToVietnamLocal(clock_.Now()).date;
  std::set<std::string> reach;
  bool self = false;
  for (const auto& g : grants) {
    if (g.scope == domain::Scope::kSelf) {
      self = true;
      continue;
    }
    for (auto& u : domain::UnitsReached(g.grant, g.scope, catalog_->units(), today)) {
      reach.insert(std::move(u));
    }
  }
  if (self) {
    q.applicant_key = actor.id;
    return {};
  }
  if (reach.empty()) {
    Error e{ErrorCode::kPermissionDenied, "auth.forbidden", "out_of_scope", {}};
    e.With("action", "dossier.search");
    return Fail(e);
  }
  // An explicit unit filter must lie within reach.
  if (q.unit && !reach.contains(*q.unit)) {
    Error e{ErrorCode::kPermissionDenied, "auth.forbidden", "out_of_scope", {}};
    e.With("action", "dossier.search");
    return Fail(e);
  }
  // The whole tree needs no filter: the root's subtree is every unit.
  if (reach.size() < catalog_->units().units().size()) {
    q.any_unit.assign(reach.begin(), reach.end());
  }
  return {};
}

}  // namespace motcua::app
