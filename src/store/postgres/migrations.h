// Versioned schema migrations of the PostgreSQL backend (docs/impl/migrations.md,
// docs/impl/postgres.md): the same versions as the SQLite backend, in PostgreSQL's SQL. The version
// lives in a one-row table, schema_version, the counterpart of SQLite's user_version.
// Thread-safety: uses the given connection only; concurrent migrators on other connections are
// serialised by a transaction-scoped advisory lock.
#pragma once

#include <libpq-fe.h>

#include "base/error.h"

namespace motcua::store::postgres {

inline constexpr int kSchemaVersion = 3;

// The schema version of the connected database: 0 when it holds no motcua schema.
// Errors: store.unavailable (connection lost), store.internal.
Result<int> SchemaVersion(PGconn* conn);

// Applies pending migrations in one transaction each (when apply), or checks the version.
// Errors: store.schema_too_new (the database is newer than this program), store.schema_outdated
// (migrations pending and !apply), store.migration_failed, store.unavailable.
// `target` < kSchemaVersion stops early: only tests use it, to build an older store and check
// that it migrates forward.
Result<void> Migrate(PGconn* conn, bool apply, int target = kSchemaVersion);

}  // namespace motcua::store::postgres
