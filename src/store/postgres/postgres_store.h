// PostgreSQL backend of the store (libpq): the same schema versions and semantics as SQLite, a
// single writer connection with group commit guarded by an advisory lock (one writing process per
// database), and a pool of reader connections. Only this folder includes libpq-fe.h.
// Thread-safety: as Store.
#pragma once

#include <memory>

#include "store/store.h"

namespace motcua::store::postgres {

[[nodiscard]] Result<std::unique_ptr<Store>> OpenPostgres(const StoreOptions& options);

}  // namespace motcua::store::postgres
