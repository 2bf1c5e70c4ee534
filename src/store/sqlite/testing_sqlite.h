// SQLite helpers for tests only.
#pragma once

#include <cstdint>
#include <string>

#include "base/error.h"

namespace motcua::store::sqlite {

// Overwrites the payload of event `seq` in DIR/motcua.db, bypassing the append-only trigger.
Result<void> TamperWithEvent(const std::string& dir, int64_t seq, const std::string& payload);
// Creates DIR/motcua.db with the schema as migrations 1..version left it (an older store, for
// migration tests).
Result<void> InitSchemaAt(const std::string& dir, int version);
// Runs SQL text (several statements, no values) on DIR/motcua.db behind the store's back.
Result<void> ExecSql(const std::string& dir, const std::string& sql);

}  // namespace motcua::store::sqlite
