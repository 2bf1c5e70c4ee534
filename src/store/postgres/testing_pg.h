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
// Creates the schema as migrations 1..version left it (an older store, for migration tests).
Result<void> InitSchemaAt(const std::string& conninfo, int version);
// Runs SQL text (several statements, no values) behind the store's back.
Result<void> ExecSql(const std::string& conninfo, const std::string& sql);

}  // namespace motcua::store::postgres
