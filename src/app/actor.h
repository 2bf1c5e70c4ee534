// Who acts: every use case takes an Actor explicitly — never an ambient "current user" — so that
// authentication and unit-scoped roles (issue #4) plug in at the HTTP edge without touching the
// use cases. Thread-safety: plain value.
#pragma once

#include <string>
#include <vector>

namespace motcua::app {

struct Actor {
  enum class Kind { kCitizen, kOfficer, kSystem };
  Kind kind = Kind::kSystem;
  std::string id;    // officer id, or the citizen's ID number
  std::string unit;  // unit the officer acts for; empty for citizens
  std::vector<std::string> roles;

  // The reference written into events: "officer:<id>", "citizen:<id number>", "system".
  std::string Ref() const {
    switch (kind) {
      case Kind::kCitizen:
        return "citizen:" + id;
      case Kind::kOfficer:
        return "officer:" + id;
      case Kind::kSystem:
        return "system";
    }
    return "system";
  }
  static Actor System() { return Actor{}; }
};

}  // namespace motcua::app
