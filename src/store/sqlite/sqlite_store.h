// SQLite backend of the store: one file `motcua.db` in the data directory, WAL journal,
// synchronous=FULL (a commit is on disk before Write returns), prepared named statements, a single
// writer connection with group commit and a pool of reader connections. Only this folder includes
// sqlite3.h. Thread-safety: as Store.
#pragma once

#include <memory>

#include "store/store.h"

namespace motcua::store::sqlite {

[[nodiscard]] Result<std::unique_ptr<Store>> OpenSqlite(const StoreOptions& options);

}  // namespace motcua::store::sqlite
