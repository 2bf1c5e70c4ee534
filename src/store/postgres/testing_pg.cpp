#include "store/postgres/testing_pg.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <string_view>

#include "store/postgres/migrations.h"

namespace motcua::store::postgres {
namespace {

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using Conn = std::unique_ptr<PGconn, ConnDeleter>;
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string Message(PGconn* c) {
  std::string m = PQerrorMessage(c);
  while (!m.empty() && m.back() == '\n') m.pop_back();
  return m;
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

Result<Conn> Connect(const std::string& conninfo) {
  Conn c(PQconnectdb(conninfo.c_str()));
  if (!c || PQstatus(c.get()) != CONNECTION_OK) {
    return Fail(ErrorCode::kUnavailable, "store.unavailable",
                "test database server: " + (c ? Message(c.get()) : std::string("out of memory")));
  }
  PQsetNoticeProcessor(c.get(), IgnoreNotice, nullptr);
  return c;
}

// Runs one statement, with text parameters if any; true when it succeeded.
bool Exec(PGconn* c, const std::string& sql, std::initializer_list<const char*> params = {},
          int* affected = nullptr) {
  PgResult r(params.size() == 0 ? PQexec(c, sql.c_str())
                                : PQexecParams(c, sql.c_str(), static_cast<int>(params.size()),
                                               nullptr, params.begin(), nullptr, nullptr, 0));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (affected != nullptr && r) *affected = std::atoi(PQcmdTuples(r.get()));
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

// The database name as a quoted SQL identifier (CREATE/DROP DATABASE take no parameters).
std::string QuotedIdentifier(PGconn* c, const std::string& name) {
  char* q = PQescapeIdentifier(c, name.data(), name.size());
  std::string out = q != nullptr ? q : "";
  PQfreemem(q);
  return out;
}

// A keyword=value connection string value, quoted as libpq expects.
std::string QuoteValue(std::string_view v) {
  std::string out = "'";
  for (char ch : v) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
}

}  // namespace

Result<std::string> CreateTestDatabase(const std::string& admin_conninfo, const std::string& name) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(admin_conninfo.c_str(), &err);
  if (opts == nullptr) {
    std::string msg = err != nullptr ? err : "out of memory";
    PQfreemem(err);
    return Fail(ErrorCode::kInvalidArgument, "test.bad_conninfo", "MOTCUA_TEST_PG: " + msg);
  }
  // The admin connection string with dbname replaced.
  std::string conninfo;
  for (const PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0' || std::string_view(o->keyword) == "dbname") continue;
    conninfo += std::string(o->keyword) + "=" + QuoteValue(o->val) + " ";
  }
  PQconninfoFree(opts);
  conninfo += "dbname=" + QuoteValue(name);

  auto admin = Connect(admin_conninfo);
  if (!admin) return std::unexpected(admin.error());
  const std::string ident = QuotedIdentifier(admin->get(), name);
  if (ident.empty()) return Fail(ErrorCode::kInvalidArgument, "test.bad_name", name);
  // template0: never "being accessed by other users", and a UTF8 copy whatever template1 is.
  if (!Exec(admin->get(), "CREATE DATABASE " + ident + " TEMPLATE template0 ENCODING 'UTF8'")) {
    return Fail(ErrorCode::kUnavailable, "store.unavailable",
                "CREATE DATABASE " + ident + ": " + Message(admin->get()));
  }
  return conninfo;
}

void DropTestDatabase(const std::string& admin_conninfo, const std::string& name) {
  auto admin = Connect(admin_conninfo);
  if (!admin) return;  // best effort
  (void)Exec(admin->get(),
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
             "WHERE datname = $1 AND pid <> pg_backend_pid()",
             {name.c_str()});
  const std::string ident = QuotedIdentifier(admin->get(), name);
  if (!ident.empty())
    (void)Exec(admin->get(), "DROP DATABASE IF EXISTS " + ident + " WITH (FORCE)");
}

Result<void> TamperWithEvent(const std::string& conninfo, int64_t seq, const std::string& payload) {
  auto c = Connect(conninfo);
  if (!c) return std::unexpected(c.error());
  const std::string seq_text = std::to_string(seq);
  int updated = 0;
  // ALTER TABLE is transactional: the guard is off only inside this transaction.
  const bool ok = Exec(c->get(), "BEGIN") &&
                  Exec(c->get(), "ALTER TABLE events DISABLE TRIGGER events_no_update") &&
                  Exec(c->get(), "UPDATE events SET payload = $1 WHERE seq = $2::bigint",
                       {payload.c_str(), seq_text.c_str()}, &updated) &&
                  updated == 1 &&
                  Exec(c->get(), "ALTER TABLE events ENABLE TRIGGER events_no_update") &&
                  Exec(c->get(), "COMMIT");
  if (!ok) {
    const std::string msg = Message(c->get());
    (void)Exec(c->get(), "ROLLBACK");
    return Fail(ErrorCode::kInternal, "test.tamper_failed", "event " + seq_text + ": " + msg);
  }
  return {};
}

Result<void> InitSchemaAt(const std::string& conninfo, int version) {
  auto c = Connect(conninfo);
  if (!c) return std::unexpected(c.error());
  return Migrate(c->get(), /*apply=*/true, version);
}

Result<void> ExecSql(const std::string& conninfo, const std::string& sql) {
  auto c = Connect(conninfo);
  if (!c) return std::unexpected(c.error());
  if (!Exec(c->get(), sql)) return Fail(ErrorCode::kInternal, "test.sql_failed", Message(c->get()));
  return {};
}

}  // namespace motcua::store::postgres
