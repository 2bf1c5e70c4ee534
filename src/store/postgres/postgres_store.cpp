#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/json.h"
#include "store/detail/query_builder.h"
#include "store/detail/writer.h"
#include "store/postgres/migrations.h"

namespace motcua::store::postgres {
namespace {

// One writing process per database: the writer connection holds this session-level advisory lock
// for its lifetime ("motcua" in ASCII). The server drops it when the connection ends, so a crashed
// process never leaves a stale lock.
constexpr const char* kWriterLockKey = "120265647404385";  // 0x6d6f74637561
constexpr size_t kMaxIdleReaders = 8;

// Named queries: prepared once per connection under their name, which appears in error details.
// Text columns are COLLATE "C" in the schema; the ORDER BYs say so again to make the byte order
// (SQLite's) explicit.
struct Query {
  const char* name;
  const char* sql;
};
constexpr Query kInsertEvent{
    "insert_event",
    "INSERT INTO events(seq, stream, type, version, unit, actor, at_us, payload, prev_hash, hash) "
    "VALUES ($1::bigint, $2, $3, $4::integer, $5, $6, $7::bigint, $8, $9, $10)"};
constexpr Query kHead{"head", "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"};
constexpr Query kNextNumber{
    "next_number",
    "INSERT INTO counters(name, value) VALUES ($1, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value"};
constexpr Query kGetDossier{
    "get_dossier",
    "SELECT code, procedure_code, receiving_unit, competent_unit, current_unit, state, "
    "status_code, channel, applicant_key, submitted_at, received_at, due_at, finished_at, version, "
    "doc FROM dossiers WHERE code = $1"};
constexpr Query kPutDossier{
    "put_dossier",
    "INSERT INTO dossiers(code, procedure_code, receiving_unit, competent_unit, current_unit, "
    "state, status_code, channel, applicant_key, submitted_at, received_at, due_at, finished_at, "
    "version, doc) VALUES ($1, $2, $3, $4, $5, $6, $7::integer, $8, $9, $10::bigint, $11::bigint, "
    "$12::bigint, $13::bigint, $14::bigint, $15) "
    "ON CONFLICT (code) DO UPDATE SET procedure_code = EXCLUDED.procedure_code, "
    "receiving_unit = EXCLUDED.receiving_unit, competent_unit = EXCLUDED.competent_unit, "
    "current_unit = EXCLUDED.current_unit, state = EXCLUDED.state, "
    "status_code = EXCLUDED.status_code, channel = EXCLUDED.channel, "
    "applicant_key = EXCLUDED.applicant_key, submitted_at = EXCLUDED.submitted_at, "
    "received_at = EXCLUDED.received_at, due_at = EXCLUDED.due_at, "
    "finished_at = EXCLUDED.finished_at, version = EXCLUDED.version, doc = EXCLUDED.doc"};
// ForEachDossier pages by key inside one snapshot.
constexpr Query kScanDossiersFirst{
    "scan_dossiers_first",
    "SELECT code, procedure_code, receiving_unit, competent_unit, current_unit, state, "
    "status_code, channel, applicant_key, submitted_at, received_at, due_at, finished_at, version, "
    "doc FROM dossiers ORDER BY code COLLATE \"C\" LIMIT 10000"};
constexpr Query kScanDossiersAfter{
    "scan_dossiers_after",
    "SELECT code, procedure_code, receiving_unit, competent_unit, current_unit, state, "
    "status_code, channel, applicant_key, submitted_at, received_at, due_at, finished_at, version, "
    "doc FROM dossiers WHERE code COLLATE \"C\" > $1 ORDER BY code COLLATE \"C\" LIMIT 10000"};
constexpr Query kGetCatalog{"get_catalog",
                            "SELECT kind, key, doc FROM catalog WHERE kind = $1 AND key = $2"};
constexpr Query kPutCatalog{"put_catalog",
                            "INSERT INTO catalog(kind, key, doc) VALUES ($1, $2, $3) "
                            "ON CONFLICT (kind, key) DO UPDATE SET doc = EXCLUDED.doc"};
constexpr Query kListCatalog{
    "list_catalog",
    "SELECT kind, key, doc FROM catalog WHERE kind = $1 ORDER BY key COLLATE \"C\""};
constexpr Query kReadStream{
    "read_stream",
    "SELECT seq, stream, type, version, unit, actor, at_us, payload, prev_hash, hash FROM events "
    "WHERE stream = $1 ORDER BY seq"};
constexpr Query kScanEvents{
    "scan_events",
    "SELECT seq, stream, type, version, unit, actor, at_us, payload, prev_hash, hash FROM events "
    "WHERE seq > $1::bigint ORDER BY seq LIMIT 10000"};
constexpr Query kStats{"stats",
                       "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM dossiers), "
                       "(SELECT count(*) FROM catalog), pg_total_relation_size('events') + "
                       "pg_total_relation_size('dossiers') + pg_total_relation_size('catalog') + "
                       "pg_total_relation_size('counters') + pg_total_relation_size('secrets') + "
                       "pg_total_relation_size('texts') + pg_total_relation_size('schema_version')"};
constexpr Query kGetSecret{
    "get_secret", "SELECT kind, key, doc, expires_at FROM secrets WHERE kind = $1 AND key = $2"};
constexpr Query kPutSecret{"put_secret",
                           "INSERT INTO secrets(kind, key, doc, expires_at) "
                           "VALUES ($1, $2, $3, $4::bigint) "
                           "ON CONFLICT (kind, key) DO UPDATE SET doc = EXCLUDED.doc, "
                           "expires_at = EXCLUDED.expires_at"};
constexpr Query kDeleteSecret{"delete_secret",
                              "DELETE FROM secrets WHERE kind = $1 AND key = $2 RETURNING 1"};
constexpr Query kPurgeSecrets{"purge_secrets",
                              "DELETE FROM secrets WHERE expires_at <= $1::bigint"};
constexpr Query kDeleteCatalog{"delete_catalog",
                               "DELETE FROM catalog WHERE kind = $1 AND key = $2 RETURNING 1"};
constexpr Query kGetText{
    "get_text",
    "SELECT kind, key, owner, text, folded, doc FROM texts WHERE kind = $1 AND key = $2"};
constexpr Query kPutText{"put_text",
                         "INSERT INTO texts(kind, key, owner, text, folded, doc) "
                         "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, key) DO UPDATE SET "
                         "owner = EXCLUDED.owner, text = EXCLUDED.text, "
                         "folded = EXCLUDED.folded, doc = EXCLUDED.doc"};
constexpr Query kClearDossiers{"clear_dossiers", "DELETE FROM dossiers"};
constexpr Query kClearCatalog{"clear_catalog", "DELETE FROM catalog"};
constexpr Query kClearCounters{"clear_counters", "DELETE FROM counters"};
constexpr Query kTryWriterLock{"try_writer_lock", "SELECT pg_try_advisory_lock($1::bigint)"};
constexpr Query kSynchronousCommit{"synchronous_commit",
                                   "SELECT current_setting('synchronous_commit')"};

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// A parameter in text format; nullopt is SQL NULL.
using Param = std::optional<std::string>;
Param Str(std::string_view s) { return std::string(s); }
Param Int(int64_t v) { return std::to_string(v); }
Param OptTime(const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return Int(t->us);
}

// Maps a libpq failure to the store's error keys (the same keys as the SQLite backend).
Error PgError(PGconn* conn, const PGresult* res, std::string_view what) {
  std::string msg = res != nullptr ? PQresultErrorMessage(res) : "";
  if (msg.empty()) msg = PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const char* sqlstate = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view state = sqlstate != nullptr ? sqlstate : "";
  std::string detail = std::string(what) + ": " + msg;
  if (!state.empty()) detail += " [" + std::string(state) + "]";
  auto make = [&](ErrorCode code, const char* key) { return Error{code, key, detail, {}}; };
  // Connection exceptions, insufficient resources (disk full), server shutting down.
  if (PQstatus(conn) != CONNECTION_OK || state.starts_with("08") || state.starts_with("53") ||
      state == "57P01" || state == "57P02" || state == "57P03") {
    return make(ErrorCode::kUnavailable, "store.unavailable");
  }
  // Serialization failure, deadlock, lock not available, statement timeout: retry.
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014") {
    return make(ErrorCode::kAborted, "store.busy");
  }
  // Integrity constraints (unique, not null, the append-only trigger): SQLite's SQLITE_CONSTRAINT.
  if (state.starts_with("23")) return make(ErrorCode::kAlreadyExists, "store.conflict");
  if (state == "XX001" || state == "XX002") return make(ErrorCode::kDataLoss, "store.corrupt");
  if (state == "25006") return make(ErrorCode::kFailedPrecondition, "store.read_only");
  return make(ErrorCode::kInternal, "store.internal");
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

// One libpq connection with the names of the statements prepared on it. Not thread-safe: used by
// one thread at a time (the writer thread, or a reader holding it from the pool).
class Connection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects; the location's own settings win except client_encoding, which must be UTF8 so that
  // text (and so the hashed payload) reaches the server byte for byte.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo) {
    const char* const keys[] = {"connect_timeout", "dbname", "client_encoding",
                                "fallback_application_name", nullptr};
    const char* const values[] = {"10", conninfo.c_str(), "UTF8", "motcua", nullptr};
    auto c = std::make_unique<Connection>(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
    if (c->conn_ == nullptr)
      return Fail(ErrorCode::kUnavailable, "store.unavailable", "out of memory");
    if (PQstatus(c->conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(c->conn_);
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      return Fail(ErrorCode::kUnavailable, "store.unavailable", "connect: " + msg);
    }
    // Notices ("relation already exists, skipping"…) are not errors; keep them off stderr.
    PQsetNoticeProcessor(c->conn_, IgnoreNotice, nullptr);
    const char* encoding = PQparameterStatus(c->conn_, "server_encoding");
    const std::string_view enc = encoding != nullptr ? encoding : "";
    if (enc != "UTF8" && enc != "SQL_ASCII") {
      return Fail(ErrorCode::kFailedPrecondition, "store.internal",
                  "the database encoding is " + std::string(enc) + "; motcua needs UTF8");
    }
    return c;
  }

  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }
  bool idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }
  PGconn* get() const { return conn_; }

  // Runs a constant statement without parameters (transaction control, SET).
  Result<void> Exec(const char* sql) {
    PgResult r(PQexec(conn_, sql));
    const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      return std::unexpected(PgError(conn_, r.get(), sql));
    }
    return {};
  }

  // COMMIT, checking that the server really committed (COMMIT of a failed transaction answers
  // "ROLLBACK" without an error).
  Result<void> Commit() {
    PgResult r(PQexec(conn_, "COMMIT"));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      return std::unexpected(PgError(conn_, r.get(), "COMMIT"));
    }
    if (std::string_view(PQcmdStatus(r.get())) != "COMMIT") {
      return Fail(ErrorCode::kInternal, "store.internal", "COMMIT: the transaction had failed");
    }
    return {};
  }

  // Runs a named query with the extended protocol, preparing it on first use.
  Result<PgResult> Run(const Query& q, const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params) {
      // Text parameters end at NUL; PostgreSQL text cannot hold one. Refuse rather than truncate
      // (a truncated field would no longer match its hash).
      if (p && p->find('\0') != std::string::npos) {
        return Fail(ErrorCode::kInvalidArgument, "store.invalid_text",
                    std::string(q.name) + ": text contains a NUL character");
      }
      values.push_back(p ? p->c_str() : nullptr);
    }
    if (!prepared_.contains(q.name)) {
      PgResult prep(PQprepare(conn_, q.name, q.sql, 0, nullptr));
      if (!prep || PQresultStatus(prep.get()) != PGRES_COMMAND_OK) {
        return std::unexpected(PgError(conn_, prep.get(), q.name));
      }
      prepared_.insert(q.name);
    }
    PgResult r(PQexecPrepared(conn_, q.name, static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, /*resultFormat=*/0));
    const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      return std::unexpected(PgError(conn_, r.get(), q.name));
    }
    return r;
  }

 private:
  PGconn* const conn_;
  std::unordered_set<std::string> prepared_;
};

std::string Col(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}
int64_t ColInt(const PGresult* r, int row, int col) {
  const char* p = PQgetvalue(r, row, col);
  int64_t v = 0;
  std::from_chars(p, p + PQgetlength(r, row, col), v);
  return v;
}
std::optional<Timestamp> ColOptTime(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return std::nullopt;
  return Timestamp{ColInt(r, row, col)};
}

DossierRow ReadDossier(const PGresult* r, int row) {
  DossierRow d;
  d.code = Col(r, row, 0);
  d.procedure_code = Col(r, row, 1);
  d.receiving_unit = Col(r, row, 2);
  d.competent_unit = Col(r, row, 3);
  d.current_unit = Col(r, row, 4);
  d.state = Col(r, row, 5);
  d.status_code = static_cast<int>(ColInt(r, row, 6));
  d.channel = Col(r, row, 7);
  d.applicant_key = Col(r, row, 8);
  d.submitted_at = Timestamp{ColInt(r, row, 9)};
  d.received_at = ColOptTime(r, row, 10);
  d.due_at = ColOptTime(r, row, 11);
  d.finished_at = ColOptTime(r, row, 12);
  d.version = ColInt(r, row, 13);
  d.doc = Col(r, row, 14);
  return d;
}

CatalogRow ReadCatalog(const PGresult* r, int row) {
  return CatalogRow{Col(r, row, 0), Col(r, row, 1), Col(r, row, 2)};
}

Result<Event> ReadEvent(const PGresult* r, int row) {
  Event e;
  e.seq = ColInt(r, row, 0);
  e.stream = Col(r, row, 1);
  e.type = Col(r, row, 2);
  e.version = static_cast<int>(ColInt(r, row, 3));
  e.unit = Col(r, row, 4);
  e.actor = Col(r, row, 5);
  e.at = Timestamp{ColInt(r, row, 6)};
  e.payload_json = Col(r, row, 7);
  e.prev_hash = Col(r, row, 8);
  e.hash = Col(r, row, 9);
  auto v = json::Parse(e.payload_json);
  if (!v || !v->is_object()) {
    Error err{ErrorCode::kDataLoss, "store.corrupt", "event payload is not a JSON object", {}};
    err.With("seq", std::to_string(e.seq));
    return std::unexpected(err);
  }
  e.payload = std::move(v->get_object());
  return e;
}

Result<std::vector<Event>> ReadEvents(Connection& c, const Query& q, std::vector<Param> params) {
  auto r = c.Run(q, params);
  if (!r) return std::unexpected(r.error());
  std::vector<Event> out;
  const int n = PQntuples(r->get());
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    auto e = ReadEvent(r->get(), i);
    if (!e) return std::unexpected(e.error());
    out.push_back(std::move(*e));
  }
  return out;
}

Result<std::optional<DossierRow>> GetDossierOn(Connection& c, std::string_view code) {
  auto r = c.Run(kGetDossier, {Str(code)});
  if (!r) return std::unexpected(r.error());
  if (PQntuples(r->get()) == 0) return std::optional<DossierRow>();
  return std::optional<DossierRow>(ReadDossier(r->get(), 0));
}

Result<std::optional<CatalogRow>> GetCatalogOn(Connection& c, std::string_view kind,
                                               std::string_view key) {
  auto r = c.Run(kGetCatalog, {Str(kind), Str(key)});
  if (!r) return std::unexpected(r.error());
  if (PQntuples(r->get()) == 0) return std::optional<CatalogRow>();
  return std::optional<CatalogRow>(ReadCatalog(r->get(), 0));
}

SecretRow ReadSecret(const PGresult* r, int row) {
  return SecretRow{Col(r, row, 0), Col(r, row, 1), Col(r, row, 2), ColOptTime(r, row, 3)};
}

Result<std::optional<SecretRow>> GetSecretOn(Connection& c, std::string_view kind,
                                             std::string_view key) {
  auto r = c.Run(kGetSecret, {Str(kind), Str(key)});
  if (!r) return std::unexpected(r.error());
  if (PQntuples(r->get()) == 0) return std::optional<SecretRow>();
  return std::optional<SecretRow>(ReadSecret(r->get(), 0));
}

TextRow ReadText(const PGresult* r, int row) {
  return TextRow{Col(r, row, 0), Col(r, row, 1), Col(r, row, 2),
                 Col(r, row, 3), Col(r, row, 4), Col(r, row, 5)};
}

Result<std::optional<TextRow>> GetTextOn(Connection& c, std::string_view kind,
                                         std::string_view key) {
  auto r = c.Run(kGetText, {Str(kind), Str(key)});
  if (!r) return std::unexpected(r.error());
  if (PQntuples(r->get()) == 0) return std::optional<TextRow>();
  return std::optional<TextRow>(ReadText(r->get(), 0));
}

// Runs a built query (its shape's name is the prepared statement's name).
Result<PgResult> RunBuilt(Connection& c, const detail::BuiltQuery& b) {
  std::vector<Param> params;
  params.reserve(b.values.size());
  for (const detail::SqlValue& v : b.values) {
    if (const auto* text = std::get_if<std::string>(&v)) {
      params.push_back(*text);
    } else {
      params.push_back(Int(std::get<int64_t>(v)));
    }
  }
  return c.Run(Query{b.name.c_str(), b.sql.c_str()}, params);
}

// Rows affected by a DELETE/UPDATE (PQcmdTuples).
int64_t AffectedRows(const PGresult* r) {
  const char* p = PQcmdTuples(const_cast<PGresult*>(r));
  int64_t v = 0;
  std::from_chars(p, p + std::char_traits<char>::length(p), v);
  return v;
}

Result<detail::WriterSession::Head> LoadHead(Connection& c) {
  auto r = c.Run(kHead, {});
  if (!r) return std::unexpected(r.error());
  if (PQntuples(r->get()) == 0) return detail::WriterSession::Head{0, std::string(kGenesisHash)};
  return detail::WriterSession::Head{ColInt(r->get(), 0, 0), Col(r->get(), 0, 1)};
}

// Takes the writer lock on c (held until c closes). Error store.locked if another session has it.
Result<void> TakeWriterLock(Connection& c) {
  auto r = c.Run(kTryWriterLock, {kWriterLockKey});
  if (!r) return std::unexpected(r.error());
  if (PQntuples(r->get()) != 1 || Col(r->get(), 0, 0) != "t") {
    return Fail(ErrorCode::kFailedPrecondition, "store.locked",
                "another process is writing to this database (advisory lock " +
                    std::string(kWriterLockKey) + ")");
  }
  return {};
}

// Write returns only after the commit is durable: if the server or role turned
// synchronous_commit off, turn it back on for the writer (remote_* and local settings are kept).
Result<void> EnsureDurableCommits(Connection& c) {
  auto r = c.Run(kSynchronousCommit, {});
  if (!r) return std::unexpected(r.error());
  if (PQntuples(r->get()) == 1 && Col(r->get(), 0, 0) == "off") {
    return c.Exec("SET synchronous_commit TO on");
  }
  return {};
}

// Opens the writer connection: connected, locked, durable.
Result<std::unique_ptr<Connection>> OpenWriterConnection(const std::string& conninfo) {
  auto c = Connection::Open(conninfo);
  if (!c) return std::unexpected(c.error());
  if (auto r = TakeWriterLock(**c); !r) return std::unexpected(r.error());
  if (auto r = EnsureDurableCommits(**c); !r) return std::unexpected(r.error());
  return c;
}

// The writer connection's transaction. PostgreSQL aborts the whole (sub)transaction on a failed
// statement, where SQLite undoes only the statement: after a server-side error, the job's later
// statements return that first error without reaching the server, and so does ReleaseSavepoint,
// so the job is rolled back even if it ignored the error.
class PgSession final : public detail::WriterSession, public Tx {
 public:
  PgSession(std::string conninfo, std::unique_ptr<Connection> c, Head head)
      : conninfo_(std::move(conninfo)), c_(std::move(c)), head_(std::move(head)) {}

  Result<void> Begin() override {
    if (!c_->ok()) {
      if (auto r = Reconnect(); !r) return r;
    }
    if (auto r = c_->Exec("BEGIN"); !r) {
      // A connection that died while idle (server restart) only shows it now: retry once.
      if (c_->ok()) return r;
      if (auto rc = Reconnect(); !rc) return rc;
      if (auto again = c_->Exec("BEGIN"); !again) return again;
    }
    if (reload_head_) {
      auto h = LoadHead(*c_);
      if (!h) {
        Rollback();
        return std::unexpected(h.error());
      }
      head_ = std::move(*h);
      reload_head_ = false;
    }
    return {};
  }
  Result<void> Savepoint() override {
    failed_.reset();
    return c_->Exec("SAVEPOINT job");
  }
  Result<void> ReleaseSavepoint() override {
    if (failed_) return std::unexpected(*failed_);
    return c_->Exec("RELEASE SAVEPOINT job");
  }
  Result<void> RollbackToSavepoint() override {
    failed_.reset();
    if (auto r = c_->Exec("ROLLBACK TO SAVEPOINT job"); !r) return r;
    return c_->Exec("RELEASE SAVEPOINT job");
  }
  Result<void> Commit() override {
    auto r = c_->Commit();
    if (!r) reload_head_ = true;
    return r;
  }
  void Rollback() override {
    if (c_->ok() && !c_->idle()) (void)c_->Exec("ROLLBACK");
    failed_.reset();
    reload_head_ = true;  // the writer restores the head too; re-reading it costs one query
  }
  Tx& tx() override { return *this; }
  Head head() const override { return head_; }
  void set_head(Head h) override { head_ = std::move(h); }

  Result<Event> Append(NewEvent n) override {
    Event e;
    e.seq = head_.seq + 1;
    e.stream = std::move(n.stream);
    e.type = std::move(n.type);
    e.version = n.version;
    e.unit = std::move(n.unit);
    e.actor = std::move(n.actor);
    e.at = n.at;
    e.payload_json = boost::json::serialize(n.payload);
    e.payload = std::move(n.payload);
    e.prev_hash = head_.hash;
    e.hash = ChainHash(e.prev_hash, CanonicalEventText(e.seq, e.stream, e.type, e.version, e.unit,
                                                       e.actor, e.at, e.payload_json));
    auto r = Run(kInsertEvent,
                 {Int(e.seq), Str(e.stream), Str(e.type), Int(e.version), Str(e.unit), Str(e.actor),
                  Int(e.at.us), Str(e.payload_json), Str(e.prev_hash), Str(e.hash)});
    if (!r) return std::unexpected(r.error());
    head_ = Head{e.seq, e.hash};
    return e;
  }

  Result<int64_t> NextNumber(std::string_view counter) override {
    auto r = Run(kNextNumber, {Str(counter)});
    if (!r) return std::unexpected(r.error());
    return ColInt(r->get(), 0, 0);
  }

  Result<std::optional<DossierRow>> GetDossier(std::string_view code) override {
    if (failed_) return std::unexpected(Failed());
    return Track(GetDossierOn(*c_, code));
  }

  Result<void> PutDossier(const DossierRow& d) override {
    auto r = Run(kPutDossier,
                 {Str(d.code), Str(d.procedure_code), Str(d.receiving_unit), Str(d.competent_unit),
                  Str(d.current_unit), Str(d.state), Int(d.status_code), Str(d.channel),
                  Str(d.applicant_key), Int(d.submitted_at.us), OptTime(d.received_at),
                  OptTime(d.due_at), OptTime(d.finished_at), Int(d.version), Str(d.doc)});
    if (!r) return std::unexpected(r.error());
    return {};
  }

  Result<std::optional<CatalogRow>> GetCatalog(std::string_view kind,
                                               std::string_view key) override {
    if (failed_) return std::unexpected(Failed());
    return Track(GetCatalogOn(*c_, kind, key));
  }

  Result<std::optional<SecretRow>> GetSecret(std::string_view kind, std::string_view key) override {
    if (failed_) return std::unexpected(Failed());
    return Track(GetSecretOn(*c_, kind, key));
  }

  Result<void> PutSecret(const SecretRow& row) override {
    auto r = Run(kPutSecret, {Str(row.kind), Str(row.key), Str(row.doc), OptTime(row.expires_at)});
    if (!r) return std::unexpected(r.error());
    return {};
  }

  Result<bool> DeleteSecret(std::string_view kind, std::string_view key) override {
    auto r = Run(kDeleteSecret, {Str(kind), Str(key)});
    if (!r) return std::unexpected(r.error());
    return PQntuples(r->get()) > 0;
  }

  // Not part of Tx: PostgresStore::PurgeExpiredSecrets reaches it through the writer.
  Result<int64_t> PurgeSecrets(Timestamp now) {
    auto r = Run(kPurgeSecrets, {Int(now.us)});
    if (!r) return std::unexpected(r.error());
    return AffectedRows(r->get());
  }

  Result<void> PutCatalog(const CatalogRow& row) override {
    auto r = Run(kPutCatalog, {Str(row.kind), Str(row.key), Str(row.doc)});
    if (!r) return std::unexpected(r.error());
    return {};
  }

  Result<bool> DeleteCatalog(std::string_view kind, std::string_view key) override {
    auto r = Run(kDeleteCatalog, {Str(kind), Str(key)});
    if (!r) return std::unexpected(r.error());
    return PQntuples(r->get()) > 0;
  }

  Result<std::optional<TextRow>> GetText(std::string_view kind, std::string_view key) override {
    if (failed_) return std::unexpected(Failed());
    return Track(GetTextOn(*c_, kind, key));
  }

  Result<void> PutText(const TextRow& t) override {
    auto r = Run(kPutText,
                 {Str(t.kind), Str(t.key), Str(t.owner), Str(t.text), Str(t.folded), Str(t.doc)});
    if (!r) return std::unexpected(r.error());
    return {};
  }

  // Secrets and texts are not projections (nothing in the log could restore them): left alone.
  Result<void> ClearProjections() override {
    for (const Query* q : {&kClearDossiers, &kClearCatalog, &kClearCounters}) {
      if (auto r = Run(*q, {}); !r) return std::unexpected(r.error());
    }
    return {};
  }

 private:
  // The connection (and with it the advisory lock) was lost: reconnect, re-lock, and re-read the
  // head at the next BEGIN, since the outcome of the last commit is unknown.
  Result<void> Reconnect() {
    auto c = OpenWriterConnection(conninfo_);
    if (!c) return std::unexpected(c.error());
    c_ = std::move(*c);
    reload_head_ = true;
    return {};
  }
  Error Failed() const {
    Error e = *failed_;
    e.detail = "an earlier statement of this transaction failed: " + e.detail;
    return e;
  }
  // Remembers a failure that left the transaction aborted (or the connection gone).
  template <typename T>
  Result<T> Track(Result<T> r) {
    if (!r && !(c_->ok() && PQtransactionStatus(c_->get()) == PQTRANS_INTRANS)) {
      failed_ = r.error();
    }
    return r;
  }
  Result<PgResult> Run(const Query& q, const std::vector<Param>& params) {
    if (failed_) return std::unexpected(Failed());
    return Track(c_->Run(q, params));
  }

  // All members are touched only by the writer thread.
  const std::string conninfo_;
  std::unique_ptr<Connection> c_;
  Head head_;
  std::optional<Error> failed_;  // the failure that aborted the current job, if any
  bool reload_head_ = false;     // the in-memory head may be stale: re-read it at Begin
};

class PostgresStore final : public Store {
 public:
  PostgresStore(std::string conninfo, std::unique_ptr<detail::GroupCommitWriter> writer,
                std::unique_ptr<Connection> first_reader)
      : conninfo_(std::move(conninfo)), writer_(std::move(writer)) {
    if (first_reader) idle_.push_back(std::move(first_reader));
  }
  ~PostgresStore() override { writer_.reset(); }

  Result<void> Write(const std::function<Result<void>(Tx&)>& fn) override {
    if (!writer_) {
      return Fail(ErrorCode::kFailedPrecondition, "store.read_only",
                  "the store was opened read-only");
    }
    return writer_->Submit(fn);
  }

  Result<std::optional<DossierRow>> GetDossier(std::string_view code) override {
    return Read([&](Connection& c) { return GetDossierOn(c, code); });
  }

  Result<std::vector<DossierRow>> ListDossiers(const DossierQuery& q) override {
    const detail::BuiltQuery b = detail::BuildListDossiers(q, detail::Dialect::kPostgres);
    return Read([&](Connection& c) -> Result<std::vector<DossierRow>> {
      auto r = RunBuilt(c, b);
      if (!r) return std::unexpected(r.error());
      std::vector<DossierRow> out;
      const int n = PQntuples(r->get());
      out.reserve(n);
      for (int i = 0; i < n; ++i) out.push_back(ReadDossier(r->get(), i));
      return out;
    });
  }

  Result<int64_t> CountDossiers(const DossierQuery& q) override {
    const detail::BuiltQuery b = detail::BuildCountDossiers(q, detail::Dialect::kPostgres);
    return Read([&](Connection& c) -> Result<int64_t> {
      auto r = RunBuilt(c, b);
      if (!r) return std::unexpected(r.error());
      return ColInt(r->get(), 0, 0);
    });
  }

  Result<std::optional<CatalogRow>> GetCatalog(std::string_view kind,
                                               std::string_view key) override {
    return Read([&](Connection& c) { return GetCatalogOn(c, kind, key); });
  }

  Result<std::vector<CatalogRow>> ListCatalog(std::string_view kind) override {
    return Read([&](Connection& c) -> Result<std::vector<CatalogRow>> {
      auto r = c.Run(kListCatalog, {Str(kind)});
      if (!r) return std::unexpected(r.error());
      std::vector<CatalogRow> out;
      const int n = PQntuples(r->get());
      out.reserve(n);
      for (int i = 0; i < n; ++i) out.push_back(ReadCatalog(r->get(), i));
      return out;
    });
  }

  Result<void> ForEachDossier(const std::function<Result<void>(const DossierRow&)>& fn) override {
    // Pages of 10,000 rows by key, all from one snapshot (like SQLite's single read statement),
    // so that verify sees a consistent projection.
    bool delivered = false;
    return Read(
        [&](Connection& c) -> Result<void> {
          if (auto r = c.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !r) return r;
          auto scan = [&]() -> Result<void> {
            std::optional<std::string> after;
            for (;;) {
              auto r = after ? c.Run(kScanDossiersAfter, {after}) : c.Run(kScanDossiersFirst, {});
              if (!r) return std::unexpected(r.error());
              const int n = PQntuples(r->get());
              for (int i = 0; i < n; ++i) {
                delivered = true;
                if (auto f = fn(ReadDossier(r->get(), i)); !f) return f;
              }
              if (n < 10'000) return {};
              after = Col(r->get(), n - 1, 0);
            }
          };
          auto r = scan();
          if (!r) {
            if (c.ok()) (void)c.Exec("ROLLBACK");
            return r;
          }
          return c.Exec("COMMIT");
        },
        &delivered);
  }

  Result<std::vector<Event>> ReadStream(std::string_view stream) override {
    return Read([&](Connection& c) { return ReadEvents(c, kReadStream, {Str(stream)}); });
  }

  Result<void> ForEachEvent(int64_t after_seq,
                            const std::function<Result<void>(const Event&)>& fn) override {
    // Pages of 10,000 events, each read and its connection returned before fn sees it, so a long
    // scan holds neither a connection nor a snapshot while the caller works.
    for (;;) {
      auto page = Read([&](Connection& c) { return ReadEvents(c, kScanEvents, {Int(after_seq)}); });
      if (!page) return std::unexpected(page.error());
      if (page->empty()) return {};
      for (const Event& e : *page) {
        if (auto r = fn(e); !r) return r;
      }
      after_seq = page->back().seq;
    }
  }

  Result<int64_t> HeadSeq() override {
    return Read([&](Connection& c) -> Result<int64_t> {
      auto h = LoadHead(c);
      if (!h) return std::unexpected(h.error());
      return h->seq;
    });
  }

  Result<StoreStats> Stats() override {
    return Read([&](Connection& c) -> Result<StoreStats> {
      auto r = c.Run(kStats, {});
      if (!r) return std::unexpected(r.error());
      StoreStats s;
      s.events = ColInt(r->get(), 0, 0);
      s.dossiers = ColInt(r->get(), 0, 1);
      s.catalog_rows = ColInt(r->get(), 0, 2);
      s.bytes = ColInt(r->get(), 0, 3);
      return s;
    });
  }

  Result<std::vector<CatalogRow>> ListCatalogPage(std::string_view kind,
                                                  std::string_view key_prefix,
                                                  std::string_view after_key, int limit) override {
    auto b =
        detail::BuildCatalogPage(kind, key_prefix, after_key, limit, detail::Dialect::kPostgres);
    if (!b) return std::unexpected(b.error());
    return Read([&](Connection& c) -> Result<std::vector<CatalogRow>> {
      auto r = RunBuilt(c, *b);
      if (!r) return std::unexpected(r.error());
      std::vector<CatalogRow> out;
      const int n = PQntuples(r->get());
      out.reserve(n);
      for (int i = 0; i < n; ++i) out.push_back(ReadCatalog(r->get(), i));
      return out;
    });
  }

  Result<std::optional<SecretRow>> GetSecret(std::string_view kind, std::string_view key) override {
    return Read([&](Connection& c) { return GetSecretOn(c, kind, key); });
  }

  Result<std::vector<SecretRow>> ListSecrets(std::string_view kind, std::string_view key_prefix,
                                             int limit) override {
    auto b = detail::BuildListSecrets(kind, key_prefix, limit, detail::Dialect::kPostgres);
    if (!b) return std::unexpected(b.error());
    return Read([&](Connection& c) -> Result<std::vector<SecretRow>> {
      auto r = RunBuilt(c, *b);
      if (!r) return std::unexpected(r.error());
      std::vector<SecretRow> out;
      const int n = PQntuples(r->get());
      out.reserve(n);
      for (int i = 0; i < n; ++i) out.push_back(ReadSecret(r->get(), i));
      return out;
    });
  }

  Result<std::optional<TextRow>> GetText(std::string_view kind, std::string_view key) override {
    return Read([&](Connection& c) { return GetTextOn(c, kind, key); });
  }

  Result<std::vector<TextRow>> SearchText(std::string_view kind,
                                          const std::vector<std::string>& terms,
                                          std::string_view after_key, int limit) override {
    auto b = detail::BuildSearchText(kind, terms, after_key, limit, detail::Dialect::kPostgres);
    if (!b) return std::unexpected(b.error());
    return Read([&](Connection& c) -> Result<std::vector<TextRow>> {
      auto r = RunBuilt(c, *b);
      if (!r) return std::unexpected(r.error());
      std::vector<TextRow> out;
      const int n = PQntuples(r->get());
      out.reserve(n);
      for (int i = 0; i < n; ++i) out.push_back(ReadText(r->get(), i));
      return out;
    });
  }

  Result<int64_t> PurgeExpiredSecrets(Timestamp now) override {
    // A write like any other: through the single writer, in a group commit.
    int64_t purged = 0;
    auto r = Write([&](Tx& tx) -> Result<void> {
      auto n = static_cast<PgSession&>(tx).PurgeSecrets(now);
      if (!n) return std::unexpected(n.error());
      purged = *n;
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return purged;
  }

  Result<std::vector<Event>> QueryEvents(const EventQuery& q) override {
    auto b = detail::BuildQueryEvents(q, detail::Dialect::kPostgres);
    if (!b) return std::unexpected(b.error());
    return Read([&](Connection& c) -> Result<std::vector<Event>> {
      auto r = RunBuilt(c, *b);
      if (!r) return std::unexpected(r.error());
      std::vector<Event> out;
      const int n = PQntuples(r->get());
      out.reserve(n);
      for (int i = 0; i < n; ++i) {
        auto e = ReadEvent(r->get(), i);
        if (!e) return std::unexpected(e.error());
        out.push_back(std::move(*e));
      }
      return out;
    });
  }

  int64_t PendingWrites() const override { return writer_ ? writer_->Pending() : 0; }

  std::string_view Backend() const override { return "postgres"; }

 private:
  // Runs fn on a reader connection from the pool (or a new one). A pooled connection that the
  // server closed meanwhile (restart, idle timeout) fails on first use; the read is then retried
  // once on a fresh connection, unless fn already handed rows to the caller (*delivered).
  template <typename F>
  auto Read(F&& fn, const bool* delivered = nullptr) -> decltype(fn(std::declval<Connection&>())) {
    for (int attempt = 0;; ++attempt) {
      bool pooled = false;
      auto c = Acquire(&pooled);
      if (!c) return std::unexpected(c.error());
      auto r = fn(**c);
      const bool broken = !(*c)->ok();
      Release(std::move(*c));
      const bool may_retry = delivered == nullptr || !*delivered;
      if (!r && broken && pooled && attempt == 0 && may_retry) continue;
      return r;
    }
  }

  Result<std::unique_ptr<Connection>> Acquire(bool* pooled) {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        *pooled = true;
        return c;
      }
    }
    *pooled = false;
    return Connection::Open(conninfo_);
  }

  void Release(std::unique_ptr<Connection> c) {
    if (!c->ok() || !c->idle()) return;  // closed by the destructor
    std::lock_guard lock(mu_);
    if (idle_.size() < kMaxIdleReaders) idle_.push_back(std::move(c));
  }

  // Constant after construction.
  const std::string conninfo_;  // may hold a password: never copied into error details
  std::unique_ptr<detail::GroupCommitWriter> writer_;

  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgres(const StoreOptions& options) {
  auto conn = options.read_only ? Connection::Open(options.location)
                                : OpenWriterConnection(options.location);
  if (!conn) return std::unexpected(conn.error());
  auto version = SchemaVersion((*conn)->get());
  if (!version) return std::unexpected(version.error());
  if (*version == 0 && !options.create) {
    return Fail(ErrorCode::kFailedPrecondition, "store.not_initialised",
                "the database holds no motcua schema");
  }
  if (auto r = Migrate((*conn)->get(), options.create || !options.read_only); !r) {
    return std::unexpected(r.error());
  }
  if (options.read_only) {
    // No writer and no lock: may run beside a serving process. The connection joins the pool.
    return std::unique_ptr<Store>(
        std::make_unique<PostgresStore>(options.location, nullptr, std::move(*conn)));
  }
  auto head = LoadHead(**conn);
  if (!head) return std::unexpected(head.error());
  auto session = std::make_unique<PgSession>(options.location, std::move(*conn), std::move(*head));
  auto writer =
      std::make_unique<detail::GroupCommitWriter>(std::move(session), options.fail_commit_n);
  return std::unique_ptr<Store>(
      std::make_unique<PostgresStore>(options.location, std::move(writer), nullptr));
}

}  // namespace motcua::store::postgres
