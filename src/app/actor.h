// Who acts, and from where: every use case takes an Actor explicitly — never an ambient "current
// user". The HTTP edge builds it from a session or an API token (src/http/auth.h); the command
// line and the demo build it directly. The origin fields feed the audit trail.
// Thread-safety: plain value.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "domain/access.h"

namespace motcua::app {

struct Actor {
  enum class Kind { kCitizen, kOfficer, kService, kSystem, kAnonymous };
  Kind kind = Kind::kSystem;
  std::string id;    // officer/service account id, or the citizen's ID number
  std::string unit;  // unit the officer acts for; empty for citizens
  std::vector<std::string> roles;
  std::string account;  // account id ("" for the system, anonymous and legacy actors)

  // API tokens carry scopes ("dossiers:read"…); empty = every action the roles allow.
  std::vector<std::string> scopes;
  bool token = false;

  // Origin, for the audit trail.
  std::string address;     // client address
  std::string request_id;  // the HTTP request id
  std::string via;         // "session", "token", "cli", "demo"

  // The reference written into events: "officer:<id>", "citizen:<id number>", "service:<id>",
  // "system", "anonymous".
  std::string Ref() const {
    switch (kind) {
      case Kind::kCitizen:
        return "citizen:" + id;
      case Kind::kOfficer:
        return "officer:" + id;
      case Kind::kService:
        return "service:" + id;
      case Kind::kSystem:
        return "system";
      case Kind::kAnonymous:
        return "anonymous";
    }
    return "system";
  }
  bool HasRole(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
  static Actor System() { return Actor{}; }
  static Actor Anonymous() {
    Actor a;
    a.kind = Kind::kAnonymous;
    return a;
  }
};

// The principal the permission table is consulted with. The system actor is not a principal:
// use cases run by the system (demo, import, CLI maintenance) are not subject to the table.
domain::Principal PrincipalOf(const Actor& a);

}  // namespace motcua::app
