#include "store/detail/query_builder.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cassert>
#include <utility>

namespace motcua::store::detail {
namespace {

// Assembles "SELECT … WHERE c1 AND c2 … tail". Each '?' of a fragment takes the next value and is
// written as '?' (SQLite) or '$n' (PostgreSQL); fragments are constants and hold no other '?'.
class Builder {
 public:
  Builder(std::string_view name, Dialect d, std::string_view select)
      : d_(d), name_(name), sql_(select) {}

  // Adds an ANDed condition; `tag` (may be empty) names it in the statement name.
  void Where(std::string_view tag, std::string_view fragment, std::vector<SqlValue> values = {}) {
    if (!tag.empty()) {
      tags_ += tags_.empty() ? "/" : ".";
      tags_ += tag;
    }
    sql_ += conditions_++ == 0 ? " WHERE " : " AND ";
    Append(fragment, std::move(values));
  }

  void Tail(std::string_view fragment, std::vector<SqlValue> values = {}) {
    Append(fragment, std::move(values));
  }
  void Tag(std::string_view tag) {
    tags_ += tags_.empty() ? "/" : ".";
    tags_ += tag;
  }

  BuiltQuery Done() && { return BuiltQuery{name_ + tags_, std::move(sql_), std::move(values_)}; }

 private:
  void Append(std::string_view fragment, std::vector<SqlValue> values) {
    size_t used = 0;
    for (char ch : fragment) {
      if (ch != '?') {
        sql_ += ch;
        continue;
      }
      assert(used < values.size());
      values_.push_back(std::move(values[used++]));
      if (d_ == Dialect::kSqlite) {
        sql_ += '?';
      } else {
        sql_ += '$';
        sql_ += std::to_string(values_.size());
      }
    }
    assert(used == values.size());
  }

  const Dialect d_;
  std::string name_;
  std::string tags_;
  std::string sql_;
  std::vector<SqlValue> values_;
  int conditions_ = 0;
};

// "col starts with prefix", literally: a range on the column's index, never LIKE (whose % and _
// would be wildcards, and which SQLite's default case-insensitive LIKE cannot serve from an
// index). Stored text is UTF-8 (PostgreSQL accepts nothing else), so a prefix that is not
// storable UTF-8 matches nothing — on both backends, which would otherwise disagree on a byte
// prefix that splits a character.
void StartsWith(Builder& b, std::string_view tag, std::string_view column,
                std::string_view prefix) {
  if (prefix.empty()) return;
  // The tag differs for each of the three shapes: a statement name stands for one SQL text.
  const std::string col(column);
  if (!IsStorableUtf8(prefix)) {
    b.Where(std::string(tag) + "_none", "FALSE");
    return;
  }
  const std::optional<std::string> end = PrefixEndUtf8(prefix);
  if (!end) {
    b.Where(std::string(tag) + "_open", col + " >= ?", {std::string(prefix)});
    return;
  }
  b.Where(tag, col + " >= ?", {std::string(prefix)});
  b.Where({}, col + " < ?", {*end});
}

// Scope over many units (a province admin's subtree is ~400): one bound value whatever the count,
// so SQLite's parameter limit never applies. SQLite reads a JSON array with json_each (the IN
// list becomes an ephemeral index); PostgreSQL takes a text[] for = ANY, which its indexes serve
// directly and its statistics let it cost.
//
// SQLite has no statistics and cannot see the list's length, so the builder chooses: a short
// list with nothing more selective drives the search through the three unit indexes (cost: the
// scope's dossiers); a long one (a district or the province) is a filter on a walk of
// dossiers_submitted in the list's order, which stops at the page's end (cost: about
// page / share-of-the-scope rows) — measured on 100,000 dossiers over 400 units, the index form
// takes seconds for the whole province, the walk under a millisecond. CountDossiers has no order
// to walk: over a long list the filter form reads the table once (0.5 s for the whole province,
// where the index form took 1.4 s). The "+" keeps SQLite from using an index for the term.
constexpr size_t kMaxIndexedScope = 16;
constexpr std::string_view kAnyUnitSqlite =
    "(receiving_unit IN (SELECT value FROM json_each(?)) OR "
    "competent_unit IN (SELECT value FROM json_each(?)) OR "
    "current_unit IN (SELECT value FROM json_each(?)))";
constexpr std::string_view kAnyUnitSqliteFilter =
    "(+receiving_unit IN (SELECT value FROM json_each(?)) OR "
    "+competent_unit IN (SELECT value FROM json_each(?)) OR "
    "+current_unit IN (SELECT value FROM json_each(?)))";
constexpr std::string_view kAnyUnitPostgres =
    "(receiving_unit = ANY(?::text[]) OR competent_unit = ANY(?::text[]) OR "
    "current_unit = ANY(?::text[]))";

std::string JsonArray(const std::vector<std::string>& items) {
  boost::json::array a;
  a.reserve(items.size());
  for (const auto& s : items) a.emplace_back(boost::json::string_view(s));
  return boost::json::serialize(a);
}

// A PostgreSQL array literal of text: every element double-quoted, '"' and '\' escaped.
std::string PgTextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char ch : items[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += '}';
  return out;
}

void DossierWhere(Builder& b, const DossierQuery& q, Dialect d) {
  const bool other_index = q.unit || q.applicant_key || q.procedure_code ||
                           (q.code_prefix && !q.code_prefix->empty()) || q.due_before;
  const bool scope_indexed =
      !q.any_unit.empty() && !other_index && q.any_unit.size() <= kMaxIndexedScope;
  if (q.unit) {
    b.Where("u", "(receiving_unit = ? OR competent_unit = ? OR current_unit = ?)",
            {*q.unit, *q.unit, *q.unit});
  }
  if (!q.any_unit.empty()) {
    const std::string list =
        d == Dialect::kSqlite ? JsonArray(q.any_unit) : PgTextArray(q.any_unit);
    if (d == Dialect::kPostgres) {
      b.Where("a", kAnyUnitPostgres, {list, list, list});
    } else if (scope_indexed) {
      b.Where("a", kAnyUnitSqlite, {list, list, list});
    } else {
      b.Where("af", kAnyUnitSqliteFilter, {list, list, list});
    }
  }
  if (q.state) b.Where("s", "state = ?", {*q.state});
  if (q.applicant_key) b.Where("k", "applicant_key = ?", {*q.applicant_key});
  if (q.procedure_code) b.Where("p", "procedure_code = ?", {*q.procedure_code});
  if (q.channel) {
    // A channel has a handful of values: its index serves a search by channel alone (walked in
    // submission order, stopping at the page's end), but beside a selective condition SQLite,
    // which has no statistics, may pick it and visit a third of the table. "+channel" leaves it
    // a filter there; PostgreSQL's planner has statistics (and no unary + on text).
    const bool selective = other_index || scope_indexed;
    const bool filter = d == Dialect::kSqlite && selective;
    b.Where(filter ? "cf" : "c", filter ? "+channel = ?" : "channel = ?", {*q.channel});
  }
  if (q.code_prefix) StartsWith(b, "x", "code", *q.code_prefix);
  if (q.submitted_from) b.Where("f", "submitted_at >= ?", {q.submitted_from->us});
  if (q.submitted_to) b.Where("t", "submitted_at < ?", {q.submitted_to->us});
  // Two top-level terms, so that SQLite sees the partial index dossiers_open_due's condition.
  if (q.due_before) {
    b.Where("d", "finished_at IS NULL");
    b.Where({}, "due_at < ?", {q.due_before->us});
  }
}

int Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

Result<void> CheckLimit(int limit) {
  if (limit < 1 || limit > kMaxQueryLimit) {
    Error e{ErrorCode::kInvalidArgument,
            "store.bad_query",
            "limit " + std::to_string(limit) + " outside 1.." + std::to_string(kMaxQueryLimit),
            {}};
    e.With("max", std::to_string(kMaxQueryLimit));
    return std::unexpected(e);
  }
  return {};
}

bool IsStorableUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead == 0) return false;
    const int n = Utf8Length(lead);
    if (n == 0 || i + n > s.size()) return false;
    for (int k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    if (n >= 3) {
      const auto second = static_cast<unsigned char>(s[i + 1]);
      if (lead == 0xE0 && second < 0xA0) return false;  // overlong
      if (lead == 0xED && second > 0x9F) return false;  // surrogate
      if (lead == 0xF0 && second < 0x90) return false;  // overlong
      if (lead == 0xF4 && second > 0x8F) return false;  // > U+10FFFF
    }
    i += static_cast<size_t>(n);
  }
  return true;
}

std::optional<std::string> PrefixEndUtf8(std::string_view prefix) {
  // Decode, bump the last code point (dropping U+10FFFF, which has no successor), re-encode.
  std::vector<char32_t> cps;
  for (size_t i = 0; i < prefix.size();) {
    const auto lead = static_cast<unsigned char>(prefix[i]);
    const int n = std::max(Utf8Length(lead), 1);
    char32_t cp = n == 1 ? lead : lead & (0x7F >> n);
    for (int k = 1; k < n && i + k < prefix.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(prefix[i + k]) & 0x3F);
    }
    cps.push_back(cp);
    i += static_cast<size_t>(n);
  }
  while (!cps.empty() && cps.back() >= 0x10FFFF) cps.pop_back();
  if (cps.empty()) return std::nullopt;
  char32_t& last = cps.back();
  last = last == 0xD7FF ? 0xE000 : last + 1;  // skip the surrogates
  std::string end;
  for (char32_t cp : cps) AppendUtf8(end, cp);
  return end;
}

BuiltQuery BuildListDossiers(const DossierQuery& q, Dialect d) {
  Builder b("list_dossiers", d, "SELECT " + std::string(kDossierColumns) + " FROM dossiers");
  DossierWhere(b, q, d);
  b.Tail(" ORDER BY submitted_at DESC, code");
  if (q.limit < 0) {
    b.Tag("all");
    b.Tail(d == Dialect::kSqlite ? " LIMIT -1" : " LIMIT ALL");
  } else {
    b.Tail(" LIMIT ?", {int64_t{q.limit}});
  }
  b.Tail(" OFFSET ?", {int64_t{std::max(q.offset, 0)}});
  return std::move(b).Done();
}

BuiltQuery BuildCountDossiers(const DossierQuery& q, Dialect d) {
  Builder b("count_dossiers", d, "SELECT count(*) FROM dossiers");
  DossierWhere(b, q, d);
  return std::move(b).Done();
}

Result<BuiltQuery> BuildQueryEvents(const EventQuery& q, Dialect d) {
  if (auto r = CheckLimit(q.limit); !r) return std::unexpected(r.error());
  Builder b("query_events", d, "SELECT " + std::string(kEventColumns) + " FROM events");
  // With a stream prefix SQLite (no statistics) would rather walk the log in seq order, skipping
  // non-matching events, than sort: fine for a prefix most events share, a whole-log scan for a
  // narrow one. "+seq" makes it take events_stream, so a page costs the matching events, not the
  // log. PostgreSQL chooses from its statistics.
  const bool hint = d == Dialect::kSqlite && q.stream_prefix && !q.stream_prefix->empty();
  b.Where({}, hint ? "+seq > ?" : "seq > ?", {q.after_seq});
  if (q.stream_prefix) StartsWith(b, "p", "stream", *q.stream_prefix);
  if (q.type) b.Where("t", "type = ?", {*q.type});
  if (q.actor) b.Where("a", "actor = ?", {*q.actor});
  if (q.unit) b.Where("u", "unit = ?", {*q.unit});
  if (q.from) b.Where("f", "at_us >= ?", {q.from->us});
  if (q.to) b.Where("b", "at_us < ?", {q.to->us});
  b.Tail(hint ? " ORDER BY +seq LIMIT ?" : " ORDER BY seq LIMIT ?", {int64_t{q.limit}});
  return std::move(b).Done();
}

Result<BuiltQuery> BuildCatalogPage(std::string_view kind, std::string_view key_prefix,
                                    std::string_view after_key, int limit, Dialect d) {
  if (auto r = CheckLimit(limit); !r) return std::unexpected(r.error());
  Builder b("list_catalog_page", d, "SELECT kind, key, doc FROM catalog");
  b.Where({}, "kind = ?", {std::string(kind)});
  StartsWith(b, "p", "key", key_prefix);
  if (!after_key.empty()) b.Where("a", "key > ?", {std::string(after_key)});
  b.Tail(" ORDER BY key LIMIT ?", {int64_t{limit}});
  return std::move(b).Done();
}

Result<BuiltQuery> BuildListSecrets(std::string_view kind, std::string_view key_prefix, int limit,
                                    Dialect d) {
  if (auto r = CheckLimit(limit); !r) return std::unexpected(r.error());
  Builder b("list_secrets", d, "SELECT kind, key, doc, expires_at FROM secrets");
  b.Where({}, "kind = ?", {std::string(kind)});
  StartsWith(b, "p", "key", key_prefix);
  b.Tail(" ORDER BY key LIMIT ?", {int64_t{limit}});
  return std::move(b).Done();
}

Result<BuiltQuery> BuildSearchText(std::string_view kind, const std::vector<std::string>& terms,
                                   std::string_view after_key, int limit, Dialect d) {
  if (auto r = CheckLimit(limit); !r) return std::unexpected(r.error());
  if (terms.empty() || terms.size() > kMaxSearchTerms ||
      std::any_of(terms.begin(), terms.end(), [](const std::string& t) { return t.empty(); })) {
    return Fail(ErrorCode::kInvalidArgument, "store.bad_query",
                "search terms: 1.." + std::to_string(kMaxSearchTerms) + " non-empty");
  }
  Builder b("search_text", d,
            "SELECT kind, key, owner, text, folded, doc FROM texts");
  b.Where({}, "kind = ?", {std::string(kind)});
  if (!after_key.empty()) b.Where("a", "key > ?", {std::string(after_key)});
  // The name counts the terms: one statement text per count. A term no stored text can hold
  // (not UTF-8, NUL) matches nothing, on both backends.
  if (!std::all_of(terms.begin(), terms.end(), [](const std::string& t) { return IsStorableUtf8(t); })) {
    b.Where("none", "FALSE");
  } else {
    b.Tag("t" + std::to_string(terms.size()));
    for (const std::string& t : terms) {
      b.Where({}, d == Dialect::kSqlite ? "instr(folded, ?) > 0" : "strpos(folded, ?) > 0", {t});
    }
  }
  b.Tail(" ORDER BY key LIMIT ?", {int64_t{limit}});
  return std::move(b).Done();
}

}  // namespace motcua::store::detail
