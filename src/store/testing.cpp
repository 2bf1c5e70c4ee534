#include "store/testing.h"

#include <cstdlib>
#include <filesystem>
#include <random>

#include "store/postgres/testing_pg.h"
#include "store/sqlite/testing_sqlite.h"

namespace motcua::store::testing {

namespace fs = std::filesystem;

Result<std::unique_ptr<TempStore>> TempStore::Create(const std::string& backend) {
  std::unique_ptr<TempStore> t(new TempStore());
  t->backend_ = backend;
  std::random_device rd;
  const std::string suffix = std::to_string(rd()) + std::to_string(rd());
  if (backend == "sqlite") {
    fs::path dir = fs::temp_directory_path() / ("motcua-test-" + suffix);
    t->location_ = dir.string();
    return t;
  }
  if (backend == "postgres") {
    const char* admin = std::getenv("MOTCUA_TEST_PG");
    if (admin == nullptr || *admin == '\0') {
      return Fail(ErrorCode::kFailedPrecondition, "test.no_postgres",
                  "MOTCUA_TEST_PG is not set: the PostgreSQL tests need a server (scripts/test.sh "
                  "starts one)");
    }
    t->admin_conninfo_ = admin;
    t->db_name_ = "motcua_test_" + suffix;
    auto loc = postgres::CreateTestDatabase(t->admin_conninfo_, t->db_name_);
    if (!loc) return std::unexpected(loc.error());
    t->location_ = *loc;
    return t;
  }
  return Fail(ErrorCode::kInvalidArgument, "test.unknown_backend", backend);
}

TempStore::~TempStore() {
  if (backend_ == "sqlite") {
    std::error_code ec;
    fs::remove_all(location_, ec);
  } else if (backend_ == "postgres") {
    postgres::DropTestDatabase(admin_conninfo_, db_name_);
  }
}

Result<void> TempStore::TamperWithEvent(int64_t seq, const std::string& payload_json) {
  if (backend_ == "postgres") return postgres::TamperWithEvent(location_, seq, payload_json);
  return sqlite::TamperWithEvent(location_, seq, payload_json);
}

Result<void> TempStore::InitSchemaAt(int version) {
  if (backend_ == "postgres") return postgres::InitSchemaAt(location_, version);
  return sqlite::InitSchemaAt(location_, version);
}

Result<void> TempStore::ExecSql(const std::string& sql) {
  if (backend_ == "postgres") return postgres::ExecSql(location_, sql);
  return sqlite::ExecSql(location_, sql);
}

Result<std::unique_ptr<Store>> TempStore::Open(StoreOptions options) {
  options.location = location_;
  return store::Open(options);
}

}  // namespace motcua::store::testing
