#include "store/postgres/migrations.h"

#include <charconv>
#include <memory>
#include <string>

namespace motcua::store::postgres {
namespace {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// Mirrors SQLite's migration 1 column for column. Every text column is COLLATE "C" so that
// comparisons and ORDER BY are byte-wise, like SQLite's BINARY collation, whatever the
// database's locale (and the key indexes serve those ORDER BYs). payload is TEXT, not jsonb: the
// hash chain covers the exact text. Times are microseconds since the epoch.
constexpr Migration kMigrations[] = {
    {1, "event log, dossier and catalogue projections, counters",
     R"sql(
CREATE TABLE events(
  seq BIGINT PRIMARY KEY,
  stream TEXT COLLATE "C" NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  version INTEGER NOT NULL,
  unit TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  at_us BIGINT NOT NULL,
  payload TEXT COLLATE "C" NOT NULL,
  prev_hash TEXT COLLATE "C" NOT NULL,
  hash TEXT COLLATE "C" NOT NULL);
CREATE INDEX events_stream ON events(stream, seq);
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the event log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
CREATE TABLE dossiers(
  code TEXT COLLATE "C" PRIMARY KEY,
  procedure_code TEXT COLLATE "C" NOT NULL,
  receiving_unit TEXT COLLATE "C" NOT NULL,
  competent_unit TEXT COLLATE "C" NOT NULL,
  current_unit TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  status_code INTEGER NOT NULL,
  channel TEXT COLLATE "C" NOT NULL,
  applicant_key TEXT COLLATE "C" NOT NULL,
  submitted_at BIGINT NOT NULL,
  received_at BIGINT,
  due_at BIGINT,
  finished_at BIGINT,
  version BIGINT NOT NULL,
  doc TEXT COLLATE "C" NOT NULL);
CREATE INDEX dossiers_receiving ON dossiers(receiving_unit, state);
CREATE INDEX dossiers_competent ON dossiers(competent_unit, state);
CREATE INDEX dossiers_current ON dossiers(current_unit, state);
CREATE INDEX dossiers_applicant ON dossiers(applicant_key);
CREATE INDEX dossiers_open_due ON dossiers(due_at) WHERE finished_at IS NULL;
CREATE INDEX dossiers_submitted ON dossiers(submitted_at);
CREATE TABLE catalog(
  kind TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  doc TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(kind, key));
CREATE TABLE counters(
  name TEXT COLLATE "C" PRIMARY KEY,
  value BIGINT NOT NULL);
)sql"},
    // Mirrors SQLite's migration 2. PostgreSQL indexes carry no implicit seq, so the event
    // indexes name it: (actor, seq) and (type, seq) hand out keyset pages in seq order.
    {2, "secrets; indexes for event queries and dossier searches",
     R"sql(
CREATE TABLE secrets(
  kind TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  doc TEXT COLLATE "C" NOT NULL,
  expires_at BIGINT,
  PRIMARY KEY(kind, key));
CREATE INDEX secrets_expiry ON secrets(expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX events_actor ON events(actor, seq);
CREATE INDEX events_type ON events(type, seq);
CREATE INDEX events_unit_time ON events(unit, at_us);
CREATE INDEX dossiers_procedure ON dossiers(procedure_code, submitted_at);
CREATE INDEX dossiers_channel ON dossiers(channel, submitted_at);
)sql"},
    // Mirrors SQLite's migration 3: private texts, searched by strpos over `folded`.
    {3, "private texts",
     R"sql(
CREATE TABLE texts(
  kind TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  owner TEXT COLLATE "C" NOT NULL,
  text TEXT COLLATE "C" NOT NULL,
  folded TEXT COLLATE "C" NOT NULL,
  doc TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(kind, key));
CREATE INDEX texts_owner ON texts(kind, owner);
)sql"},
};

// Serialises migrators of one database (transaction-scoped; distinct from the writer's lock).
constexpr const char* kMigrationLockKey = "7885625970417659393";

// The version table: exactly one row (the check on `singleton` forbids a second).
constexpr const char* kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version("
    "singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton), version INTEGER NOT NULL)";
constexpr const char* kHasVersionTable = "SELECT to_regclass('schema_version') IS NOT NULL";
constexpr const char* kReadVersion = "SELECT version FROM schema_version";
constexpr const char* kWriteVersion =
    "INSERT INTO schema_version(singleton, version) VALUES (TRUE, $1::integer) "
    "ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version";
constexpr const char* kLock = "SELECT pg_advisory_xact_lock($1::bigint)";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

Error MigrationError(PGconn* conn, const PGresult* res, const std::string& what, const char* key) {
  std::string msg = res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (PQstatus(conn) != CONNECTION_OK) {
    return Error{ErrorCode::kUnavailable, "store.unavailable", what + ": " + msg, {}};
  }
  return Error{ErrorCode::kInternal, key, what + ": " + msg, {}};
}

// Runs SQL text (several statements allowed, no values) or one statement with text parameters.
Result<PgResult> Run(PGconn* conn, const char* sql, const std::string& what, const char* key,
                     const char* param = nullptr) {
  PgResult res(param == nullptr ? PQexec(conn, sql)
                                : PQexecParams(conn, sql, 1, nullptr, &param, nullptr, nullptr, 0));
  const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return std::unexpected(MigrationError(conn, res.get(), what, key));
  }
  return res;
}

Result<int> ReadVersion(PGconn* conn, const char* key) {
  auto has = Run(conn, kHasVersionTable, "schema_version_exists", key);
  if (!has) return std::unexpected(has.error());
  if (PQntuples(has->get()) != 1 || PQgetvalue(has->get(), 0, 0)[0] != 't') return 0;
  auto v = Run(conn, kReadVersion, "schema_version", key);
  if (!v) return std::unexpected(v.error());
  if (PQntuples(v->get()) == 0) return 0;
  const char* text = PQgetvalue(v->get(), 0, 0);
  int version = 0;
  const char* end = text + std::char_traits<char>::length(text);
  if (std::from_chars(text, end, version).ec != std::errc()) {
    return Fail(ErrorCode::kInternal, key, std::string("schema_version: bad value ") + text);
  }
  return version;
}

Error TooNew(int current) {
  const std::string detail =
      "database schema " + std::to_string(current) + " > program " + std::to_string(kSchemaVersion);
  return Error{ErrorCode::kFailedPrecondition, "store.schema_too_new", detail, {}};
}

// Applies migration m in its own transaction unless another process did it first.
Result<void> Apply(PGconn* conn, const Migration& m) {
  constexpr const char* kFailed = "store.migration_failed";
  const std::string what = "migration " + std::to_string(m.version);
  auto body = [&]() -> Result<void> {
    if (auto r = Run(conn, "BEGIN", what, kFailed); !r) return std::unexpected(r.error());
    if (auto r = Run(conn, kLock, what + " lock", kFailed, kMigrationLockKey); !r) {
      return std::unexpected(r.error());
    }
    if (auto r = Run(conn, kCreateVersionTable, what, kFailed); !r) {
      return std::unexpected(r.error());
    }
    auto current = ReadVersion(conn, kFailed);
    if (!current) return std::unexpected(current.error());
    if (*current > kSchemaVersion) return std::unexpected(TooNew(*current));
    if (*current < m.version) {
      if (auto r = Run(conn, m.sql, what + " (" + m.name + ")", kFailed); !r) {
        return std::unexpected(r.error());
      }
      const std::string v = std::to_string(m.version);
      if (auto r = Run(conn, kWriteVersion, what + " version", kFailed, v.c_str()); !r) {
        return std::unexpected(r.error());
      }
    }
    if (auto r = Run(conn, "COMMIT", what + " commit", kFailed); !r) {
      return std::unexpected(r.error());
    }
    return {};
  };
  auto r = body();
  if (!r && PQtransactionStatus(conn) != PQTRANS_IDLE) PQclear(PQexec(conn, "ROLLBACK"));
  return r;
}

}  // namespace

Result<int> SchemaVersion(PGconn* conn) { return ReadVersion(conn, "store.internal"); }

Result<void> Migrate(PGconn* conn, bool apply, int target) {
  auto current = SchemaVersion(conn);
  if (!current) return std::unexpected(current.error());
  if (*current > kSchemaVersion) return std::unexpected(TooNew(*current));
  for (const Migration& m : kMigrations) {
    if (m.version <= *current || m.version > target) continue;
    if (!apply) {
      return Fail(ErrorCode::kFailedPrecondition, "store.schema_outdated",
                  "migration " + std::to_string(m.version) + " pending");
    }
    if (auto r = Apply(conn, m); !r) return r;
  }
  return {};
}

}  // namespace motcua::store::postgres
