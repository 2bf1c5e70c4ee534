#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

#include "base/json.h"
#include "store/detail/query_builder.h"
#include "store/detail/writer.h"
#include "store/sqlite/migrations.h"

namespace motcua::store::sqlite {
namespace {

namespace fs = std::filesystem;

// Named queries (the name appears in error details and logs).
struct Query {
  const char* name;
  const char* sql;
};
constexpr Query kInsertEvent{
    "insert_event",
    "INSERT INTO events(seq, stream, type, version, unit, actor, at_us, payload, prev_hash, hash) "
    "VALUES (?,?,?,?,?,?,?,?,?,?)"};
constexpr Query kHead{"head", "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"};
constexpr Query kNextNumber{"next_number",
                            "INSERT INTO counters(name, value) VALUES (?, 1) "
                            "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value"};
constexpr Query kGetDossier{
    "get_dossier",
    "SELECT code, procedure_code, receiving_unit, competent_unit, current_unit, state, "
    "status_code, channel, applicant_key, submitted_at, received_at, due_at, finished_at, version, "
    "doc FROM dossiers WHERE code = ?"};
constexpr Query kPutDossier{
    "put_dossier",
    "INSERT OR REPLACE INTO dossiers(code, procedure_code, receiving_unit, competent_unit, "
    "current_unit, state, status_code, channel, applicant_key, submitted_at, received_at, due_at, "
    "finished_at, version, doc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"};
constexpr Query kAllDossiers{
    "all_dossiers",
    "SELECT code, procedure_code, receiving_unit, competent_unit, current_unit, state, "
    "status_code, channel, applicant_key, submitted_at, received_at, due_at, finished_at, version, "
    "doc FROM dossiers ORDER BY code"};
constexpr Query kGetCatalog{"get_catalog",
                            "SELECT kind, key, doc FROM catalog WHERE kind = ? AND key = ?"};
constexpr Query kPutCatalog{"put_catalog",
                            "INSERT OR REPLACE INTO catalog(kind, key, doc) VALUES (?,?,?)"};
constexpr Query kListCatalog{"list_catalog",
                             "SELECT kind, key, doc FROM catalog WHERE kind = ? ORDER BY key"};
constexpr Query kReadStream{
    "read_stream",
    "SELECT seq, stream, type, version, unit, actor, at_us, payload, prev_hash, hash FROM events "
    "WHERE stream = ? ORDER BY seq"};
constexpr Query kScanEvents{
    "scan_events",
    "SELECT seq, stream, type, version, unit, actor, at_us, payload, prev_hash, hash FROM events "
    "WHERE seq > ? ORDER BY seq LIMIT 10000"};
constexpr Query kGetSecret{
    "get_secret", "SELECT kind, key, doc, expires_at FROM secrets WHERE kind = ? AND key = ?"};
constexpr Query kPutSecret{"put_secret",
                           "INSERT INTO secrets(kind, key, doc, expires_at) VALUES (?,?,?,?) "
                           "ON CONFLICT(kind, key) DO UPDATE SET doc = excluded.doc, "
                           "expires_at = excluded.expires_at"};
constexpr Query kDeleteSecret{"delete_secret", "DELETE FROM secrets WHERE kind = ? AND key = ?"};
constexpr Query kPurgeSecrets{"purge_secrets", "DELETE FROM secrets WHERE expires_at <= ?"};
constexpr Query kDeleteCatalog{"delete_catalog",
                               "DELETE FROM catalog WHERE kind = ? AND key = ?"};
constexpr Query kGetText{
    "get_text", "SELECT kind, key, owner, text, folded, doc FROM texts WHERE kind = ? AND key = ?"};
constexpr Query kPutText{"put_text",
                         "INSERT INTO texts(kind, key, owner, text, folded, doc) "
                         "VALUES (?,?,?,?,?,?) ON CONFLICT(kind, key) DO UPDATE SET "
                         "owner = excluded.owner, text = excluded.text, "
                         "folded = excluded.folded, doc = excluded.doc"};
constexpr Query kCounts{"counts",
                        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM dossiers), "
                        "(SELECT count(*) FROM catalog)"};

Error DbError(sqlite3* db, const char* what, int rc) {
  const int primary = rc & 0xff;
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string detail = std::string(what) + ": " + (msg ? msg : "?");
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Error{ErrorCode::kAborted, "store.busy", detail, {}};
  }
  if (primary == SQLITE_CONSTRAINT)
    return Error{ErrorCode::kAlreadyExists, "store.conflict", detail, {}};
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return Error{ErrorCode::kDataLoss, "store.corrupt", detail, {}};
  }
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) {
    return Error{ErrorCode::kUnavailable, "store.unavailable", detail, {}};
  }
  return Error{ErrorCode::kInternal, "store.internal", detail, {}};
}

// One SQLite connection with its cache of prepared statements.
class Connection {
 public:
  ~Connection() {
    for (auto& [_, st] : cache_) sqlite3_finalize(st);
    if (db_) sqlite3_close_v2(db_);
  }

  static Result<std::unique_ptr<Connection>> Open(const fs::path& path, bool create) {
    auto c = std::make_unique<Connection>();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path.c_str(), &c->db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      Error e = DbError(c->db_, "open", rc);
      e.key = "store.unavailable";
      e.code = ErrorCode::kUnavailable;
      return std::unexpected(e);
    }
    sqlite3_busy_timeout(c->db_, 5000);
    sqlite3_extended_result_codes(c->db_, 1);
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
          "PRAGMA cache_size=-32000", "PRAGMA journal_size_limit=67108864"}) {
      if (auto r = c->Exec(pragma); !r) return std::unexpected(r.error());
    }
    return c;
  }

  Result<void> Exec(const char* sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      Error e = DbError(db_, sql, rc);
      sqlite3_free(err);
      return std::unexpected(e);
    }
    return {};
  }

  Result<sqlite3_stmt*> Prepare(const Query& q) {
    auto it = cache_.find(q.name);
    if (it != cache_.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v3(db_, q.sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc != SQLITE_OK) return std::unexpected(DbError(db_, q.name, rc));
    cache_.emplace(q.name, st);
    return st;
  }

  sqlite3* db() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> cache_;
};

// Resets a statement when leaving scope so that readers do not hold snapshots.
struct StmtGuard {
  sqlite3_stmt* st;
  ~StmtGuard() { sqlite3_reset(st); }
};

void BindText(sqlite3_stmt* st, int i, std::string_view s) {
  sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}
void BindOptTime(sqlite3_stmt* st, int i, const std::optional<Timestamp>& t) {
  if (t)
    sqlite3_bind_int64(st, i, t->us);
  else
    sqlite3_bind_null(st, i);
}
std::string ColText(sqlite3_stmt* st, int i) {
  const unsigned char* p = sqlite3_column_text(st, i);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(st, i)) : "";
}
std::optional<Timestamp> ColOptTime(sqlite3_stmt* st, int i) {
  if (sqlite3_column_type(st, i) == SQLITE_NULL) return std::nullopt;
  return Timestamp{sqlite3_column_int64(st, i)};
}

DossierRow ReadDossier(sqlite3_stmt* st) {
  DossierRow r;
  r.code = ColText(st, 0);
  r.procedure_code = ColText(st, 1);
  r.receiving_unit = ColText(st, 2);
  r.competent_unit = ColText(st, 3);
  r.current_unit = ColText(st, 4);
  r.state = ColText(st, 5);
  r.status_code = sqlite3_column_int(st, 6);
  r.channel = ColText(st, 7);
  r.applicant_key = ColText(st, 8);
  r.submitted_at = Timestamp{sqlite3_column_int64(st, 9)};
  r.received_at = ColOptTime(st, 10);
  r.due_at = ColOptTime(st, 11);
  r.finished_at = ColOptTime(st, 12);
  r.version = sqlite3_column_int64(st, 13);
  r.doc = ColText(st, 14);
  return r;
}

Result<Event> ReadEvent(sqlite3_stmt* st) {
  Event e;
  e.seq = sqlite3_column_int64(st, 0);
  e.stream = ColText(st, 1);
  e.type = ColText(st, 2);
  e.version = sqlite3_column_int(st, 3);
  e.unit = ColText(st, 4);
  e.actor = ColText(st, 5);
  e.at = Timestamp{sqlite3_column_int64(st, 6)};
  e.payload_json = ColText(st, 7);
  e.prev_hash = ColText(st, 8);
  e.hash = ColText(st, 9);
  auto v = json::Parse(e.payload_json);
  if (!v || !v->is_object()) {
    Error err{ErrorCode::kDataLoss, "store.corrupt", "event payload is not a JSON object", {}};
    err.With("seq", std::to_string(e.seq));
    return std::unexpected(err);
  }
  e.payload = std::move(v->get_object());
  return e;
}

Result<std::optional<DossierRow>> GetDossierOn(Connection& c, std::string_view code) {
  auto st = c.Prepare(kGetDossier);
  if (!st) return std::unexpected(st.error());
  StmtGuard g{*st};
  BindText(*st, 1, code);
  int rc = sqlite3_step(*st);
  if (rc == SQLITE_DONE) return std::optional<DossierRow>();
  if (rc != SQLITE_ROW) return std::unexpected(DbError(c.db(), kGetDossier.name, rc));
  return std::optional<DossierRow>(ReadDossier(*st));
}

Result<std::optional<CatalogRow>> GetCatalogOn(Connection& c, std::string_view kind,
                                               std::string_view key) {
  auto st = c.Prepare(kGetCatalog);
  if (!st) return std::unexpected(st.error());
  StmtGuard g{*st};
  BindText(*st, 1, kind);
  BindText(*st, 2, key);
  int rc = sqlite3_step(*st);
  if (rc == SQLITE_DONE) return std::optional<CatalogRow>();
  if (rc != SQLITE_ROW) return std::unexpected(DbError(c.db(), kGetCatalog.name, rc));
  return std::optional<CatalogRow>(CatalogRow{ColText(*st, 0), ColText(*st, 1), ColText(*st, 2)});
}

SecretRow ReadSecret(sqlite3_stmt* st) {
  return SecretRow{ColText(st, 0), ColText(st, 1), ColText(st, 2), ColOptTime(st, 3)};
}

Result<std::optional<SecretRow>> GetSecretOn(Connection& c, std::string_view kind,
                                             std::string_view key) {
  auto st = c.Prepare(kGetSecret);
  if (!st) return std::unexpected(st.error());
  StmtGuard g{*st};
  BindText(*st, 1, kind);
  BindText(*st, 2, key);
  int rc = sqlite3_step(*st);
  if (rc == SQLITE_DONE) return std::optional<SecretRow>();
  if (rc != SQLITE_ROW) return std::unexpected(DbError(c.db(), kGetSecret.name, rc));
  return std::optional<SecretRow>(ReadSecret(*st));
}

TextRow ReadText(sqlite3_stmt* st) {
  return TextRow{ColText(st, 0), ColText(st, 1), ColText(st, 2),
                 ColText(st, 3), ColText(st, 4), ColText(st, 5)};
}

Result<std::optional<TextRow>> GetTextOn(Connection& c, std::string_view kind,
                                         std::string_view key) {
  auto st = c.Prepare(kGetText);
  if (!st) return std::unexpected(st.error());
  StmtGuard g{*st};
  BindText(*st, 1, kind);
  BindText(*st, 2, key);
  int rc = sqlite3_step(*st);
  if (rc == SQLITE_DONE) return std::optional<TextRow>();
  if (rc != SQLITE_ROW) return std::unexpected(DbError(c.db(), kGetText.name, rc));
  return std::optional<TextRow>(ReadText(*st));
}

// Runs a built query, calling row(st) for each result row.
template <typename F>
Result<void> RunBuilt(Connection& c, const detail::BuiltQuery& b, F&& row) {
  auto st = c.Prepare(Query{b.name.c_str(), b.sql.c_str()});
  if (!st) return std::unexpected(st.error());
  StmtGuard g{*st};
  for (size_t i = 0; i < b.values.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const auto* text = std::get_if<std::string>(&b.values[i])) {
      BindText(*st, index, *text);
    } else {
      sqlite3_bind_int64(*st, index, std::get<int64_t>(b.values[i]));
    }
  }
  int rc;
  while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
    if (auto r = row(*st); !r) return r;
  }
  if (rc != SQLITE_DONE) return std::unexpected(DbError(c.db(), b.name.c_str(), rc));
  return {};
}

// The writer connection's transaction.
class SqliteSession final : public detail::WriterSession, public Tx {
 public:
  explicit SqliteSession(std::unique_ptr<Connection> c, Head head)
      : c_(std::move(c)), head_(std::move(head)) {}

  Result<void> Begin() override { return c_->Exec("BEGIN IMMEDIATE"); }
  Result<void> Savepoint() override { return c_->Exec("SAVEPOINT job"); }
  Result<void> ReleaseSavepoint() override { return c_->Exec("RELEASE job"); }
  Result<void> RollbackToSavepoint() override {
    auto r = c_->Exec("ROLLBACK TO job");
    if (!r) return r;
    return c_->Exec("RELEASE job");
  }
  Result<void> Commit() override { return c_->Exec("COMMIT"); }
  void Rollback() override {
    if (!sqlite3_get_autocommit(c_->db())) (void)c_->Exec("ROLLBACK");
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
    auto st = c_->Prepare(kInsertEvent);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    sqlite3_bind_int64(*st, 1, e.seq);
    BindText(*st, 2, e.stream);
    BindText(*st, 3, e.type);
    sqlite3_bind_int(*st, 4, e.version);
    BindText(*st, 5, e.unit);
    BindText(*st, 6, e.actor);
    sqlite3_bind_int64(*st, 7, e.at.us);
    BindText(*st, 8, e.payload_json);
    BindText(*st, 9, e.prev_hash);
    BindText(*st, 10, e.hash);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return std::unexpected(DbError(c_->db(), kInsertEvent.name, rc));
    head_ = Head{e.seq, e.hash};
    return e;
  }

  Result<int64_t> NextNumber(std::string_view counter) override {
    auto st = c_->Prepare(kNextNumber);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    BindText(*st, 1, counter);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_ROW) return std::unexpected(DbError(c_->db(), kNextNumber.name, rc));
    return sqlite3_column_int64(*st, 0);
  }

  Result<std::optional<DossierRow>> GetDossier(std::string_view code) override {
    return GetDossierOn(*c_, code);
  }

  Result<void> PutDossier(const DossierRow& r) override {
    auto st = c_->Prepare(kPutDossier);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    BindText(*st, 1, r.code);
    BindText(*st, 2, r.procedure_code);
    BindText(*st, 3, r.receiving_unit);
    BindText(*st, 4, r.competent_unit);
    BindText(*st, 5, r.current_unit);
    BindText(*st, 6, r.state);
    sqlite3_bind_int(*st, 7, r.status_code);
    BindText(*st, 8, r.channel);
    BindText(*st, 9, r.applicant_key);
    sqlite3_bind_int64(*st, 10, r.submitted_at.us);
    BindOptTime(*st, 11, r.received_at);
    BindOptTime(*st, 12, r.due_at);
    BindOptTime(*st, 13, r.finished_at);
    sqlite3_bind_int64(*st, 14, r.version);
    BindText(*st, 15, r.doc);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return std::unexpected(DbError(c_->db(), kPutDossier.name, rc));
    return {};
  }

  Result<std::optional<CatalogRow>> GetCatalog(std::string_view kind,
                                               std::string_view key) override {
    return GetCatalogOn(*c_, kind, key);
  }

  Result<std::optional<SecretRow>> GetSecret(std::string_view kind, std::string_view key) override {
    return GetSecretOn(*c_, kind, key);
  }

  Result<void> PutSecret(const SecretRow& r) override {
    auto st = c_->Prepare(kPutSecret);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    BindText(*st, 1, r.kind);
    BindText(*st, 2, r.key);
    BindText(*st, 3, r.doc);
    BindOptTime(*st, 4, r.expires_at);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return std::unexpected(DbError(c_->db(), kPutSecret.name, rc));
    return {};
  }

  Result<bool> DeleteSecret(std::string_view kind, std::string_view key) override {
    auto st = c_->Prepare(kDeleteSecret);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    BindText(*st, 1, kind);
    BindText(*st, 2, key);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return std::unexpected(DbError(c_->db(), kDeleteSecret.name, rc));
    return sqlite3_changes(c_->db()) > 0;
  }

  // Not part of Tx: SqliteStore::PurgeExpiredSecrets reaches it through the writer.
  Result<int64_t> PurgeSecrets(Timestamp now) {
    auto st = c_->Prepare(kPurgeSecrets);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    sqlite3_bind_int64(*st, 1, now.us);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return std::unexpected(DbError(c_->db(), kPurgeSecrets.name, rc));
    return static_cast<int64_t>(sqlite3_changes(c_->db()));
  }

  Result<void> PutCatalog(const CatalogRow& r) override {
    auto st = c_->Prepare(kPutCatalog);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    BindText(*st, 1, r.kind);
    BindText(*st, 2, r.key);
    BindText(*st, 3, r.doc);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return std::unexpected(DbError(c_->db(), kPutCatalog.name, rc));
    return {};
  }

  Result<bool> DeleteCatalog(std::string_view kind, std::string_view key) override {
    auto st = c_->Prepare(kDeleteCatalog);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    BindText(*st, 1, kind);
    BindText(*st, 2, key);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return std::unexpected(DbError(c_->db(), kDeleteCatalog.name, rc));
    return sqlite3_changes(c_->db()) > 0;
  }

  Result<std::optional<TextRow>> GetText(std::string_view kind, std::string_view key) override {
    return GetTextOn(*c_, kind, key);
  }

  Result<void> PutText(const TextRow& r) override {
    auto st = c_->Prepare(kPutText);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    BindText(*st, 1, r.kind);
    BindText(*st, 2, r.key);
    BindText(*st, 3, r.owner);
    BindText(*st, 4, r.text);
    BindText(*st, 5, r.folded);
    BindText(*st, 6, r.doc);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return std::unexpected(DbError(c_->db(), kPutText.name, rc));
    return {};
  }

  // Secrets and texts are not projections (nothing in the log could restore them): left alone.
  Result<void> ClearProjections() override {
    return c_->Exec("DELETE FROM dossiers; DELETE FROM catalog; DELETE FROM counters;");
  }

 private:
  std::unique_ptr<Connection> c_;
  Head head_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(fs::path path, std::unique_ptr<detail::GroupCommitWriter> writer, int lock_fd)
      : path_(std::move(path)), writer_(std::move(writer)), lock_fd_(lock_fd) {}
  ~SqliteStore() override {
    writer_.reset();
    if (lock_fd_ >= 0) ::close(lock_fd_);
  }

  Result<void> Write(const std::function<Result<void>(Tx&)>& fn) override {
    if (!writer_) return Fail(ErrorCode::kFailedPrecondition, "store.read_only", path_.string());
    return writer_->Submit(fn);
  }

  Result<std::optional<DossierRow>> GetDossier(std::string_view code) override {
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    return GetDossierOn(*lease.c, code);
  }

  Result<std::vector<DossierRow>> ListDossiers(const DossierQuery& q) override {
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    std::vector<DossierRow> out;
    auto r = RunBuilt(*lease.c, detail::BuildListDossiers(q, detail::Dialect::kSqlite),
                      [&](sqlite3_stmt* st) -> Result<void> {
                        out.push_back(ReadDossier(st));
                        return {};
                      });
    if (!r) return std::unexpected(r.error());
    return out;
  }

  Result<int64_t> CountDossiers(const DossierQuery& q) override {
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    int64_t n = 0;
    auto r = RunBuilt(*lease.c, detail::BuildCountDossiers(q, detail::Dialect::kSqlite),
                      [&](sqlite3_stmt* st) -> Result<void> {
                        n = sqlite3_column_int64(st, 0);
                        return {};
                      });
    if (!r) return std::unexpected(r.error());
    return n;
  }

  Result<std::optional<CatalogRow>> GetCatalog(std::string_view kind,
                                               std::string_view key) override {
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    return GetCatalogOn(*lease.c, kind, key);
  }

  Result<std::vector<CatalogRow>> ListCatalog(std::string_view kind) override {
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    auto st = lease.c->Prepare(kListCatalog);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    BindText(*st, 1, kind);
    std::vector<CatalogRow> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
      out.push_back(CatalogRow{ColText(*st, 0), ColText(*st, 1), ColText(*st, 2)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(DbError(lease.c->db(), kListCatalog.name, rc));
    return out;
  }

  Result<void> ForEachDossier(const std::function<Result<void>(const DossierRow&)>& fn) override {
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    auto st = lease.c->Prepare(kAllDossiers);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
      if (auto r = fn(ReadDossier(*st)); !r) return r;
    }
    if (rc != SQLITE_DONE) return std::unexpected(DbError(lease.c->db(), kAllDossiers.name, rc));
    return {};
  }

  Result<std::vector<Event>> ReadStream(std::string_view stream) override {
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    auto st = lease.c->Prepare(kReadStream);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    BindText(*st, 1, stream);
    std::vector<Event> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
      auto e = ReadEvent(*st);
      if (!e) return std::unexpected(e.error());
      out.push_back(std::move(*e));
    }
    if (rc != SQLITE_DONE) return std::unexpected(DbError(lease.c->db(), kReadStream.name, rc));
    return out;
  }

  Result<void> ForEachEvent(int64_t after_seq,
                            const std::function<Result<void>(const Event&)>& fn) override {
    // Pages of 10,000 events, each page read and released before fn sees it, so a long scan
    // never pins a WAL snapshot while the caller works.
    for (;;) {
      std::vector<Event> page;
      {
        auto c = Acquire();
        if (!c) return std::unexpected(c.error());
        Lease lease(this, std::move(*c));
        auto st = lease.c->Prepare(kScanEvents);
        if (!st) return std::unexpected(st.error());
        StmtGuard g{*st};
        sqlite3_bind_int64(*st, 1, after_seq);
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
          auto e = ReadEvent(*st);
          if (!e) return std::unexpected(e.error());
          page.push_back(std::move(*e));
        }
        if (rc != SQLITE_DONE) return std::unexpected(DbError(lease.c->db(), kScanEvents.name, rc));
      }
      if (page.empty()) return {};
      for (const Event& e : page) {
        if (auto r = fn(e); !r) return r;
      }
      after_seq = page.back().seq;
    }
  }

  Result<int64_t> HeadSeq() override {
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    auto st = lease.c->Prepare(kHead);
    if (!st) return std::unexpected(st.error());
    StmtGuard g{*st};
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_DONE) return 0;
    if (rc != SQLITE_ROW) return std::unexpected(DbError(lease.c->db(), kHead.name, rc));
    return sqlite3_column_int64(*st, 0);
  }

  Result<StoreStats> Stats() override {
    StoreStats s;
    {
      auto c = Acquire();
      if (!c) return std::unexpected(c.error());
      Lease lease(this, std::move(*c));
      auto st = lease.c->Prepare(kCounts);
      if (!st) return std::unexpected(st.error());
      StmtGuard g{*st};
      if (int rc = sqlite3_step(*st); rc != SQLITE_ROW) {
        return std::unexpected(DbError(lease.c->db(), kCounts.name, rc));
      }
      s.events = sqlite3_column_int64(*st, 0);
      s.dossiers = sqlite3_column_int64(*st, 1);
      s.catalog_rows = sqlite3_column_int64(*st, 2);
    }
    std::error_code ec;
    for (const char* suffix : {"", "-wal"}) {
      auto size = fs::file_size(path_.string() + suffix, ec);
      if (!ec) s.bytes += static_cast<int64_t>(size);
    }
    return s;
  }

  Result<std::vector<CatalogRow>> ListCatalogPage(std::string_view kind,
                                                  std::string_view key_prefix,
                                                  std::string_view after_key, int limit) override {
    auto b = detail::BuildCatalogPage(kind, key_prefix, after_key, limit, detail::Dialect::kSqlite);
    if (!b) return std::unexpected(b.error());
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    std::vector<CatalogRow> out;
    auto r = RunBuilt(*lease.c, *b, [&](sqlite3_stmt* st) -> Result<void> {
      out.push_back(CatalogRow{ColText(st, 0), ColText(st, 1), ColText(st, 2)});
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return out;
  }

  Result<std::optional<SecretRow>> GetSecret(std::string_view kind, std::string_view key) override {
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    return GetSecretOn(*lease.c, kind, key);
  }

  Result<std::vector<SecretRow>> ListSecrets(std::string_view kind, std::string_view key_prefix,
                                             int limit) override {
    auto b = detail::BuildListSecrets(kind, key_prefix, limit, detail::Dialect::kSqlite);
    if (!b) return std::unexpected(b.error());
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    std::vector<SecretRow> out;
    auto r = RunBuilt(*lease.c, *b, [&](sqlite3_stmt* st) -> Result<void> {
      out.push_back(ReadSecret(st));
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return out;
  }

  Result<std::optional<TextRow>> GetText(std::string_view kind, std::string_view key) override {
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    return GetTextOn(*lease.c, kind, key);
  }

  Result<std::vector<TextRow>> SearchText(std::string_view kind,
                                          const std::vector<std::string>& terms,
                                          std::string_view after_key, int limit) override {
    auto b = detail::BuildSearchText(kind, terms, after_key, limit, detail::Dialect::kSqlite);
    if (!b) return std::unexpected(b.error());
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    std::vector<TextRow> out;
    auto r = RunBuilt(*lease.c, *b, [&](sqlite3_stmt* st) -> Result<void> {
      out.push_back(ReadText(st));
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return out;
  }

  Result<int64_t> PurgeExpiredSecrets(Timestamp now) override {
    // A write like any other: through the single writer, in a group commit.
    int64_t purged = 0;
    auto r = Write([&](Tx& tx) -> Result<void> {
      auto n = static_cast<SqliteSession&>(tx).PurgeSecrets(now);
      if (!n) return std::unexpected(n.error());
      purged = *n;
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return purged;
  }

  Result<std::vector<Event>> QueryEvents(const EventQuery& q) override {
    auto b = detail::BuildQueryEvents(q, detail::Dialect::kSqlite);
    if (!b) return std::unexpected(b.error());
    auto c = Acquire();
    if (!c) return std::unexpected(c.error());
    Lease lease(this, std::move(*c));
    std::vector<Event> out;
    auto r = RunBuilt(*lease.c, *b, [&](sqlite3_stmt* st) -> Result<void> {
      auto e = ReadEvent(st);
      if (!e) return std::unexpected(e.error());
      out.push_back(std::move(*e));
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return out;
  }

  int64_t PendingWrites() const override { return writer_ ? writer_->Pending() : 0; }

  std::string_view Backend() const override { return "sqlite"; }

 private:
  struct Lease {
    Lease(SqliteStore* s, std::unique_ptr<Connection> conn) : store(s), c(std::move(conn)) {}
    ~Lease() { store->Release(std::move(c)); }
    SqliteStore* store;
    std::unique_ptr<Connection> c;
  };

  Result<std::unique_ptr<Connection>> Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
    }
    return Connection::Open(path_, false);
  }
  void Release(std::unique_ptr<Connection> c) {
    std::lock_guard lock(mu_);
    if (idle_.size() < 8) idle_.push_back(std::move(c));
  }

  // Constant after construction.
  const fs::path path_;
  std::unique_ptr<detail::GroupCommitWriter> writer_;
  const int lock_fd_;

  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlite(const StoreOptions& options) {
  const fs::path dir =
      options.location.empty() ? fs::path("motcua-data") : fs::path(options.location);
  const fs::path path = dir / "motcua.db";
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (!options.create) {
      Error e{ErrorCode::kFailedPrecondition, "store.not_initialised", path.string(), {}};
      return std::unexpected(e);
    }
    fs::create_directories(dir, ec);
    if (ec)
      return Fail(ErrorCode::kUnavailable, "store.unavailable", dir.string() + ": " + ec.message());
  }
  auto writer_conn = Connection::Open(path, options.create);
  if (!writer_conn) return std::unexpected(writer_conn.error());
  if (auto r = Migrate((*writer_conn)->db(), options.create || !options.read_only); !r) {
    return std::unexpected(r.error());
  }
  if (options.read_only) {
    return std::unique_ptr<Store>(std::make_unique<SqliteStore>(path, nullptr, -1));
  }
  // One writing process per database: the writer keeps the chain head in memory. flock is
  // released by the kernel if the process dies, so a crash never leaves a stale lock.
  const int lock_fd = ::open((dir / "motcua.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0 || ::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    if (lock_fd >= 0) ::close(lock_fd);
    return Fail(ErrorCode::kFailedPrecondition, "store.locked", (dir / "motcua.lock").string());
  }

  detail::WriterSession::Head head{0, std::string(kGenesisHash)};
  {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2((*writer_conn)->db(), kHead.sql, -1, &st, nullptr);
    if (sqlite3_step(st) == SQLITE_ROW) {
      head.seq = sqlite3_column_int64(st, 0);
      head.hash = ColText(st, 1);
    }
    sqlite3_finalize(st);
  }
  auto session = std::make_unique<SqliteSession>(std::move(*writer_conn), std::move(head));
  auto writer =
      std::make_unique<detail::GroupCommitWriter>(std::move(session), options.fail_commit_n);
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(path, std::move(writer), lock_fd));
}

}  // namespace motcua::store::sqlite
