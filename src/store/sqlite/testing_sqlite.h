// SQLite helpers for tests only.
#pragma once

#include <cstdint>
#include <string>

#include "base/error.h"

namespace motcua::store::sqlite {

// Overwrites the payload of event `seq` in DIR/motcua.db, bypassing the append-only trigger.
Result<void> TamperWithEvent(const std::string& dir, int64_t seq, const std::string& payload);

}  // namespace motcua::store::sqlite
