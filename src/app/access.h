// The permission check every use case runs: (actor, action, target) against the table in
// domain/access.h, with API-token scopes on top. Denials are errors with stable keys:
// auth.missing (kUnauthenticated, 401) when nobody is signed in, auth.forbidden
// (kPermissionDenied, 403, parameter "action") when the table says no, auth.scope_missing (403)
// when an API token lacks the scope. Thread-safety: immutable after construction.
#pragma once

#include <memory>
#include <string_view>

#include "app/actor.h"
#include "app/catalog.h"
#include "base/time.h"
#include "domain/access.h"
#include "domain/dossier.h"
#include "store/store.h"

namespace motcua::app {

class Access {
 public:
  Access(std::shared_ptr<const Catalog> catalog, const Clock& clock)
      : catalog_(std::move(catalog)), clock_(clock) {}

  // The system actor passes every check (it is not a principal: maintenance and generators).
  Result<domain::Decision> Check(const Actor& actor, std::string_view action,
                                 const domain::Target& target) const;

  // A dossier as a target: its receiving, competent and current units and the units consulted
  // on it; own when the actor is the citizen who applied.
  domain::Target TargetOf(const Actor& actor, const domain::Dossier& d) const;

  // Restricts a search to what the actor may see: a citizen's own dossiers, an officer's unit,
  // an administrator's subtree. Error as Check when the actor may not search at all.
  Result<void> ScopeSearch(const Actor& actor, store::DossierQuery& q) const;

  const Catalog& catalog() const { return *catalog_; }

 private:
  std::shared_ptr<const Catalog> catalog_;
  const Clock& clock_;
};

}  // namespace motcua::app
