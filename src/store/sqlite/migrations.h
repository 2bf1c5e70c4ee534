// Versioned schema migrations of the SQLite backend (docs/impl/migrations.md). The PostgreSQL
// backend carries the same versions with its own SQL. Thread-safety: call before sharing the db.
#pragma once

#include <sqlite3.h>

#include "base/error.h"

namespace motcua::store::sqlite {

inline constexpr int kSchemaVersion = 3;

// Applies pending migrations in one transaction each (when allowed), or checks the version.
// Errors: store.schema_too_new (the file is newer than this program), store.schema_outdated.
// `target` < kSchemaVersion stops early: only tests use it, to build an older store and check
// that it migrates forward.
Result<void> Migrate(sqlite3* db, bool apply, int target = kSchemaVersion);

}  // namespace motcua::store::sqlite
