#include "store/sqlite/migrations.h"

#include <string>

namespace motcua::store::sqlite {
namespace {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, "event log, dossier and catalogue projections, counters",
     R"sql(
CREATE TABLE events(
  seq INTEGER PRIMARY KEY,
  stream TEXT NOT NULL,
  type TEXT NOT NULL,
  version INTEGER NOT NULL,
  unit TEXT NOT NULL,
  actor TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE INDEX events_stream ON events(stream, seq);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TABLE dossiers(
  code TEXT PRIMARY KEY,
  procedure_code TEXT NOT NULL,
  receiving_unit TEXT NOT NULL,
  competent_unit TEXT NOT NULL,
  current_unit TEXT NOT NULL,
  state TEXT NOT NULL,
  status_code INTEGER NOT NULL,
  channel TEXT NOT NULL,
  applicant_key TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  received_at INTEGER,
  due_at INTEGER,
  finished_at INTEGER,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL);
CREATE INDEX dossiers_receiving ON dossiers(receiving_unit, state);
CREATE INDEX dossiers_competent ON dossiers(competent_unit, state);
CREATE INDEX dossiers_current ON dossiers(current_unit, state);
CREATE INDEX dossiers_applicant ON dossiers(applicant_key);
CREATE INDEX dossiers_open_due ON dossiers(due_at) WHERE finished_at IS NULL;
CREATE INDEX dossiers_submitted ON dossiers(submitted_at);
CREATE TABLE catalog(
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY(kind, key));
CREATE TABLE counters(
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL);
)sql"},
    // Secrets live beside the projections but are not derived from events (rebuild keeps them).
    // The event indexes serve the auditors' QueryEvents: in a rowid table every index ends with
    // the rowid (seq), so (actor) and (type) already hand out rows in seq order for keyset pages;
    // (unit, at_us) serves a unit's time window. Stream prefixes use events_stream. Dossier
    // searches by procedure or channel walk (col, submitted_at) backwards in the list's order and
    // stop at the page's end, however common the value.
    {2, "secrets; indexes for event queries and dossier searches",
     R"sql(
CREATE TABLE secrets(
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  doc TEXT NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY(kind, key));
CREATE INDEX secrets_expiry ON secrets(expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX events_actor ON events(actor);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_unit_time ON events(unit, at_us);
CREATE INDEX dossiers_procedure ON dossiers(procedure_code, submitted_at);
CREATE INDEX dossiers_channel ON dossiers(channel, submitted_at);
)sql"},
    // Private texts (OCR of uploaded scans): personal data beside the projections, never derived
    // from events, never exported. Searched by substring over `folded` (a scan of the kind).
    {3, "private texts",
     R"sql(
CREATE TABLE texts(
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  owner TEXT NOT NULL,
  text TEXT NOT NULL,
  folded TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY(kind, key));
CREATE INDEX texts_owner ON texts(kind, owner);
)sql"},
};

int CurrentVersion(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  int v = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int(st, 0);
  }
  sqlite3_finalize(st);
  return v;
}

Result<void> Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    return Fail(ErrorCode::kInternal, "store.migration_failed", msg);
  }
  return {};
}

}  // namespace

Result<void> Migrate(sqlite3* db, bool apply, int target) {
  const int current = CurrentVersion(db);
  if (current > kSchemaVersion) {
    return Fail(ErrorCode::kFailedPrecondition, "store.schema_too_new",
                "database schema " + std::to_string(current) + " > program " +
                    std::to_string(kSchemaVersion));
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= current || m.version > target) continue;
    if (!apply) {
      return Fail(ErrorCode::kFailedPrecondition, "store.schema_outdated",
                  "migration " + std::to_string(m.version) + " pending");
    }
    auto r = Exec(db, std::string("BEGIN IMMEDIATE;") + m.sql +
                          "PRAGMA user_version = " + std::to_string(m.version) + "; COMMIT;");
    if (!r) {
      (void)Exec(db, "ROLLBACK");
      return r;
    }
  }
  return {};
}

}  // namespace motcua::store::sqlite
