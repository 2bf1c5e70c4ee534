// PostgreSQL helpers for tests only: create and drop a throw-away database.
#pragma once

#include <cstdint>
#include <string>

#include "base/error.h"

namespace motcua::store::postgres {

// Creates database `name` through the admin connection; returns a connection string for it.
Result<std::string> CreateTestDatabase(const std::string& admin_conninfo, const std::string& name);
void DropTestDatabase(const std::string& admin_conninfo, const std::string& name);
// Overwrites the payload of event `seq`, bypassing the append-only trigger.
Result<void> TamperWithEvent(const std::string& conninfo, int64_t seq, const std::string& payload);

}  // namespace motcua::store::postgres
