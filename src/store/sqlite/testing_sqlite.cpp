#include "store/sqlite/testing_sqlite.h"

#include <sqlite3.h>

#include <filesystem>

#include "store/sqlite/migrations.h"

namespace motcua::store::sqlite {

Result<void> TamperWithEvent(const std::string& dir, int64_t seq, const std::string& payload) {
  sqlite3* db = nullptr;
  const std::string path = (std::filesystem::path(dir) / "motcua.db").string();
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db);
    return Fail(ErrorCode::kUnavailable, "store.unavailable", path);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* st = nullptr;
  bool ok = sqlite3_exec(db, "BEGIN; DROP TRIGGER events_no_update;", nullptr, nullptr, nullptr) ==
                SQLITE_OK &&
            sqlite3_prepare_v2(db, "UPDATE events SET payload = ? WHERE seq = ?", -1, &st,
                               nullptr) == SQLITE_OK;
  if (ok) {
    sqlite3_bind_text(st, 1, payload.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, seq);
    ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(db) == 1;
  }
  sqlite3_finalize(st);
  // Put the guard back so that only the payload differs.
  ok = ok && sqlite3_exec(db,
                          "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT "
                          "RAISE(ABORT, 'the event log is append-only'); END; COMMIT;",
                          nullptr, nullptr, nullptr) == SQLITE_OK;
  if (!ok) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close_v2(db);
  if (!ok) return Fail(ErrorCode::kInternal, "test.tamper_failed", path);
  return {};
}

namespace {

Result<sqlite3*> OpenDb(const std::string& dir, bool create) {
  sqlite3* db = nullptr;
  const std::string path = (std::filesystem::path(dir) / "motcua.db").string();
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db);
    return Fail(ErrorCode::kUnavailable, "store.unavailable", path);
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

}  // namespace

Result<void> InitSchemaAt(const std::string& dir, int version) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto db = OpenDb(dir, /*create=*/true);
  if (!db) return std::unexpected(db.error());
  auto r = Migrate(*db, /*apply=*/true, version);
  sqlite3_close_v2(*db);
  return r;
}

Result<void> ExecSql(const std::string& dir, const std::string& sql) {
  auto db = OpenDb(dir, /*create=*/false);
  if (!db) return std::unexpected(db.error());
  char* err = nullptr;
  const bool ok = sqlite3_exec(*db, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK;
  std::string msg = err != nullptr ? err : "";
  sqlite3_free(err);
  sqlite3_close_v2(*db);
  if (!ok) return Fail(ErrorCode::kInternal, "test.sql_failed", msg);
  return {};
}

}  // namespace motcua::store::sqlite
