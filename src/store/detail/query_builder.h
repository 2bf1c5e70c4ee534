// Filtered read queries shared by both backends (ListDossiers, CountDossiers, QueryEvents,
// ListCatalogPage, ListSecrets): one builder assembles the statement from constant SQL fragments
// for exactly the conditions given, so the planner sees plain indexable terms (never the
// "? IS NULL OR col = ?" form that hides every index), and both backends apply the same
// conditions. Values are always bound parameters, never spliced into the text.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/error.h"
#include "store/store.h"

namespace motcua::store::detail {

enum class Dialect { kSqlite, kPostgres };

inline constexpr int kMaxQueryLimit = 10'000;

// A bound value: text or a 64-bit integer.
using SqlValue = std::variant<std::string, int64_t>;

// One statement shape. The name encodes which conditions are present ("query_events/a.t"), so
// each distinct shape is prepared once per connection under a stable name that fits PostgreSQL's
// 63-byte statement names, and shows in error details and logs.
struct BuiltQuery {
  std::string name;
  std::string sql;
  std::vector<SqlValue> values;
};

// Error store.bad_query (kInvalidArgument) unless 1 <= limit <= kMaxQueryLimit.
Result<void> CheckLimit(int limit);

// The smallest valid UTF-8 string greater than every string that starts with prefix (which must
// be valid UTF-8), or nullopt when there is none (empty prefix, or only U+10FFFF). Since UTF-8
// byte order is code point order, `s >= prefix AND s < end` is exactly "s starts with prefix"
// under a byte-wise collation (SQLite BINARY, PostgreSQL "C"), and the bound is text that
// PostgreSQL accepts.
std::optional<std::string> PrefixEndUtf8(std::string_view prefix);
// Strict UTF-8 as PostgreSQL accepts it: no overlong forms, no surrogates, <= U+10FFFF, no NUL.
bool IsStorableUtf8(std::string_view s);

// Column lists the backends read back (in this order).
inline constexpr std::string_view kDossierColumns =
    "code, procedure_code, receiving_unit, competent_unit, current_unit, state, status_code, "
    "channel, applicant_key, submitted_at, received_at, due_at, finished_at, version, doc";
inline constexpr std::string_view kEventColumns =
    "seq, stream, type, version, unit, actor, at_us, payload, prev_hash, hash";

// ListDossiers: DossierQuery's conditions, newest submission first (ties by code), q.limit < 0
// meaning no limit, negative offsets as 0.
BuiltQuery BuildListDossiers(const DossierQuery& q, Dialect d);
// CountDossiers: the same conditions, count(*).
BuiltQuery BuildCountDossiers(const DossierQuery& q, Dialect d);
// QueryEvents, in sequence order. Error store.bad_query (limit).
Result<BuiltQuery> BuildQueryEvents(const EventQuery& q, Dialect d);
// ListCatalogPage: selects kind, key, doc in key order. Error store.bad_query (limit).
Result<BuiltQuery> BuildCatalogPage(std::string_view kind, std::string_view key_prefix,
                                    std::string_view after_key, int limit, Dialect d);
// ListSecrets: selects kind, key, doc, expires_at in key order. Error store.bad_query (limit).
Result<BuiltQuery> BuildListSecrets(std::string_view kind, std::string_view key_prefix, int limit,
                                    Dialect d);

// SearchText: selects kind, key, owner, text, folded, doc in key order; each term is a literal,
// case-sensitive substring test (SQLite instr, PostgreSQL strpos: no wildcards to escape, and the
// same answer on both backends for valid UTF-8). Error store.bad_query (limit, no term, too
// many, an empty term).
inline constexpr std::string_view kTextColumns = "kind, key, owner, text, folded, doc";
Result<BuiltQuery> BuildSearchText(std::string_view kind, const std::vector<std::string>& terms,
                                   std::string_view after_key, int limit, Dialect d);

}  // namespace motcua::store::detail
