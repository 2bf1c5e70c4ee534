// Test support: opens a fresh, empty store of a given backend in a temporary location and removes
// it afterwards. "sqlite" uses a temporary directory; "postgres" creates a new database on the
// server named by the environment variable MOTCUA_TEST_PG (a libpq connection string to a
// database whose role may CREATE DATABASE) and drops it on destruction.
// Thread-safety: not thread-safe; one per test.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace motcua::store::testing {

class TempStore {
 public:
  // Creates the location; error if the backend is unknown or PostgreSQL is unreachable.
  static Result<std::unique_ptr<TempStore>> Create(const std::string& backend);
  ~TempStore();

  // Opens (or re-opens) the store at this location.
  Result<std::unique_ptr<Store>> Open(StoreOptions options = {});
  // Rewrites one stored event's payload behind the store's back (bypassing the append-only
  // guard), as an attacker with file or database access could; for tamper-detection tests.
  Result<void> TamperWithEvent(int64_t seq, const std::string& payload_json);
  // Creates the schema as migrations 1..version left it, instead of Open({.create = true}): an
  // older store that the next writable Open must migrate forward.
  Result<void> InitSchemaAt(int version);
  // Runs SQL text (several statements, no values) behind the store's back; the same text must
  // suit both backends.
  Result<void> ExecSql(const std::string& sql);
  const std::string& location() const { return location_; }
  const std::string& backend() const { return backend_; }

 private:
  TempStore() = default;
  std::string backend_;
  std::string location_;
  std::string admin_conninfo_;  // postgres only
  std::string db_name_;         // postgres only
};

}  // namespace motcua::store::testing
