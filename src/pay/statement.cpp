#include "pay/statement.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "pay/bank.h"

namespace motcua::pay {
namespace {

constexpr size_t kMaxBytes = 20u << 20;
constexpr size_t kMaxLines = 100'000;

std::unexpected<Error> StatementError(std::string key, int line, std::string column,
                                      std::string detail) {
  Error e{ErrorCode::kInvalidArgument, std::move(key), std::move(detail), {}};
  e.With("line", std::to_string(line));
  if (!column.empty()) e.With("column", std::move(column));
  return Fail(std::move(e));
}

struct Record {
  int line = 0;  // where the record starts
  std::vector<std::string> fields;
};

// RFC 4180: fields separated by ',', records by CRLF or LF; a quoted field may hold commas,
// line breaks and "" for a quote.
Result<std::vector<Record>> SplitCsv(std::string_view text) {
  std::vector<Record> records;
  Record current;
  std::string field;
  int line = 1;
  current.line = 1;
  bool in_quotes = false;
  bool was_quoted = false;  // the current field was quoted and its closing quote was seen
  auto end_field = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
    was_quoted = false;
  };
  auto end_record = [&]() -> Result<void> {
    end_field();
    records.push_back(std::move(current));
    current = Record{};
    current.line = line;
    if (records.size() > kMaxLines + 1) {
      return StatementError("statement.too_large", line, "", "more than 100,000 lines");
    }
    return {};
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
          was_quoted = true;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == ',') {
      end_field();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      if (auto r = end_record(); !r) return Fail(r.error());
    } else if (was_quoted) {
      return StatementError("statement.malformed", line, std::to_string(current.fields.size() + 1),
                            "text after a closing quote");
    } else if (c == '"') {
      if (!field.empty()) {
        return StatementError("statement.malformed", line,
                              std::to_string(current.fields.size() + 1),
                              "quote inside an unquoted field");
      }
      in_quotes = true;
    } else {
      field += c;
    }
  }
  if (in_quotes) {
    return StatementError("statement.malformed", current.line,
                          std::to_string(current.fields.size() + 1), "unterminated quote");
  }
  if (!field.empty() || was_quoted || !current.fields.empty()) {
    if (auto r = end_record(); !r) return Fail(r.error());
  }
  return records;
}

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::optional<CivilDate> ParseDate(std::string_view s) {
  CivilDate d;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    if (!AllDigits(s.substr(0, 4)) || !AllDigits(s.substr(5, 2)) || !AllDigits(s.substr(8, 2))) {
      return std::nullopt;
    }
    d = {ToInt(s.substr(0, 4)), ToInt(s.substr(5, 2)), ToInt(s.substr(8, 2))};
  } else {
    // d/m/yyyy with one- or two-digit day and month.
    const size_t a = s.find('/');
    const size_t b = a == std::string_view::npos ? a : s.find('/', a + 1);
    if (b == std::string_view::npos) return std::nullopt;
    const std::string_view day = s.substr(0, a), month = s.substr(a + 1, b - a - 1),
                           year = s.substr(b + 1);
    if (!AllDigits(day) || day.size() > 2 || !AllDigits(month) || month.size() > 2 ||
        !AllDigits(year) || year.size() != 4) {
      return std::nullopt;
    }
    d = {ToInt(year), ToInt(month), ToInt(day)};
  }
  if (!IsValidCivil(d)) return std::nullopt;
  return d;
}

// Whole VND with optional thousands separators ('.', ',' or space, one kind, groups of three).
std::optional<int64_t> ParseAmount(std::string_view s) {
  if (s.empty() || s.size() > 24) return std::nullopt;
  char sep = 0;
  for (char c : s) {
    if (c == '.' || c == ',' || c == ' ') {
      if (sep != 0 && c != sep) return std::nullopt;
      sep = c;
    } else if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  std::string digits;
  if (sep != 0) {
    size_t pos = 0;
    bool first = true;
    while (true) {
      const size_t next = s.find(sep, pos);
      const std::string_view group =
          s.substr(pos, next == std::string_view::npos ? s.npos : next - pos);
      if (group.empty() || (first ? group.size() > 3 : group.size() != 3)) return std::nullopt;
      digits += group;
      first = false;
      if (next == std::string_view::npos) break;
      pos = next + 1;
    }
  } else {
    digits = std::string(s);
  }
  if (digits.size() > 15) return std::nullopt;
  int64_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  if (v <= 0) return std::nullopt;
  return v;
}

}  // namespace

namespace {

// The offset of the first byte that is a control character (other than \t \r \n) or breaks
// UTF-8 (overlong forms and surrogates included), if any.
std::optional<size_t> FirstBadByte(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) return i;
      ++i;
      continue;
    }
    size_t n = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return i;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return i;
    }
    i += n + 1;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<StatementLine>> ParseStatement(std::string_view csv) {
  if (csv.size() > kMaxBytes) {
    return StatementError("statement.too_large", 0, "", "more than 20 MiB");
  }
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);
  // Text only: control characters (NUL…) other than tab and line ends, or bytes that are not
  // UTF-8, make the file malformed — never a field of a report.
  if (auto bad = FirstBadByte(csv)) {
    int line = 1;
    for (size_t i = 0; i < *bad; ++i) line += csv[i] == '\n';
    return StatementError("statement.malformed", line, "",
                          "not UTF-8 text (control character or invalid byte)");
  }
  auto records = SplitCsv(csv);
  if (!records) return Fail(records.error());
  // Blank lines (a record that is one empty field) carry nothing.
  std::erase_if(*records,
                [](const Record& r) { return r.fields.size() == 1 && Trim(r.fields[0]).empty(); });
  if (records->empty()) {
    return StatementError("statement.missing_column", 1, "transaction_id", "no header line");
  }
  const Record& header = records->front();
  std::map<std::string, size_t> columns;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = Lower(Trim(header.fields[i]));
    if (!columns.emplace(name, i).second && !name.empty()) {
      return StatementError("statement.malformed", header.line, name, "column named twice");
    }
  }
  for (const char* required : {"transaction_id", "date", "amount", "reference"}) {
    if (!columns.contains(required)) {
      return StatementError("statement.missing_column", header.line, required,
                            std::string("no column ") + required);
    }
  }
  const auto content_column = columns.find("content");
  std::vector<StatementLine> lines;
  std::set<std::string> ids;
  for (size_t r = 1; r < records->size(); ++r) {
    const Record& rec = (*records)[r];
    if (rec.fields.size() != header.fields.size()) {
      return StatementError("statement.malformed", rec.line, std::to_string(rec.fields.size()),
                            "row has " + std::to_string(rec.fields.size()) + " fields, header " +
                                std::to_string(header.fields.size()));
    }
    StatementLine l;
    l.line = rec.line;
    l.transaction_id = Trim(rec.fields[columns.at("transaction_id")]);
    if (l.transaction_id.empty()) {
      return StatementError("statement.malformed", rec.line, "transaction_id",
                            "empty transaction id");
    }
    auto date = ParseDate(Trim(rec.fields[columns.at("date")]));
    if (!date) return StatementError("statement.bad_date", rec.line, "date", "bad date");
    l.date = *date;
    auto amount = ParseAmount(Trim(rec.fields[columns.at("amount")]));
    if (!amount) return StatementError("statement.bad_amount", rec.line, "amount", "bad amount");
    l.amount = *amount;
    l.reference = Trim(rec.fields[columns.at("reference")]);
    if (content_column != columns.end()) l.content = rec.fields[content_column->second];
    if (l.reference.empty()) {
      if (auto found = FindReference(l.content)) l.reference = *found;
    }
    if (!ids.insert(l.transaction_id).second) {
      auto e = StatementError("statement.duplicate_transaction", rec.line, "transaction_id",
                              "transaction id seen before");
      e.error().With("transaction_id", l.transaction_id.substr(0, 64));
      return e;
    }
    lines.push_back(std::move(l));
  }
  return lines;
}

Reconciliation Reconcile(const std::vector<StatementLine>& statement,
                         const std::vector<RecordedPayment>& recorded) {
  std::unordered_multimap<std::string, size_t> by_id, by_reference;
  for (size_t i = 0; i < recorded.size(); ++i) {
    if (!recorded[i].transaction_id.empty()) by_id.emplace(recorded[i].transaction_id, i);
    if (!recorded[i].reference.empty()) by_reference.emplace(Upper(recorded[i].reference), i);
  }
  std::vector<bool> used(recorded.size(), false);
  std::vector<std::optional<size_t>> match(statement.size());
  auto take = [&](const std::unordered_multimap<std::string, size_t>& index,
                  const std::string& key) -> std::optional<size_t> {
    if (key.empty()) return std::nullopt;
    // The first unused recorded payment, in recorded order.
    std::optional<size_t> best;
    auto [b, e] = index.equal_range(key);
    for (auto it = b; it != e; ++it) {
      if (!used[it->second] && (!best || it->second < *best)) best = it->second;
    }
    if (best) used[*best] = true;
    return best;
  };
  // Transaction ids first over the whole statement, so that a line matched only by reference
  // cannot take a payment that another line names by its id.
  for (size_t i = 0; i < statement.size(); ++i) match[i] = take(by_id, statement[i].transaction_id);
  for (size_t i = 0; i < statement.size(); ++i) {
    if (!match[i]) match[i] = take(by_reference, Upper(statement[i].reference));
  }

  Reconciliation out;
  for (size_t i = 0; i < statement.size(); ++i) {
    const StatementLine& l = statement[i];
    if (!match[i]) {
      out.mismatches.push_back(
          {"paid_but_unknown", l.reference, l.transaction_id, "", l.amount, 0, l.line});
      continue;
    }
    const RecordedPayment& p = recorded[*match[i]];
    if (p.amount == l.amount) {
      ++out.matched;
      out.matched_amount += l.amount;
    } else {
      out.mismatches.push_back({"amount_differs", p.reference.empty() ? l.reference : p.reference,
                                l.transaction_id, p.dossier, l.amount, p.amount, l.line});
    }
  }
  std::vector<size_t> unpaid;
  for (size_t i = 0; i < recorded.size(); ++i) {
    if (!used[i]) unpaid.push_back(i);
  }
  std::stable_sort(unpaid.begin(), unpaid.end(), [&](size_t a, size_t b) {
    return recorded[a].reference < recorded[b].reference;
  });
  for (size_t i : unpaid) {
    const RecordedPayment& p = recorded[i];
    out.mismatches.push_back(
        {"known_but_unpaid", p.reference, p.transaction_id, p.dossier, 0, p.amount, 0});
  }
  return out;
}

}  // namespace motcua::pay
