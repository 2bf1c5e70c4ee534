// The `motcua` command: init, demo, serve, verify, rebuild, export events, calendar. Every
// command that touches data takes --dir DIR (SQLite in DIR/motcua.db, default ./motcua-data) or
// --db CONNINFO (PostgreSQL). Returns the process exit code: 0 success, 1 failure, 2 bad usage.
// Thread-safety: one call per process.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace motcua::cli {

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace motcua::cli
