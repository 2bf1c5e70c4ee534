// Reconciliation (đối soát): a bank's daily statement of credits to the collecting account,
// imported as CSV, matched against the payments the platform recorded for that day. Lists what
// does not match: paid but unknown (a credit with no recorded payment), known but unpaid (a
// recorded payment with no credit), amount differs. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace motcua::pay {

// One statement line. CSV header (order free, names case-insensitive, extra columns ignored):
// transaction_id,date,amount,reference[,content]
// - date: dd/mm/yyyy or yyyy-mm-dd; amount: integer VND, '.' ',' or space as thousands
//   separators allowed ("75.000"), no decimals; reference may be empty (then searched in content
//   with FindReference).
struct StatementLine {
  int line = 0;  // 1-based line number in the file (for messages)
  std::string transaction_id;
  CivilDate date;
  int64_t amount = 0;
  std::string reference;
  std::string content;
};

// RFC 4180 CSV (quoted fields, "" escapes, CRLF or LF, UTF-8 with optional BOM). Errors
// (kInvalidArgument, with params line and column): statement.malformed (bad quoting, a row with
// the wrong number of fields), statement.missing_column, statement.bad_date,
// statement.bad_amount, statement.duplicate_transaction, statement.too_large (over 100,000
// lines or 20 MiB).
Result<std::vector<StatementLine>> ParseStatement(std::string_view csv);

// A payment as the platform recorded it.
struct RecordedPayment {
  std::string reference;
  std::string transaction_id;  // bank or gateway transaction id, may be empty
  std::string dossier;
  int64_t amount = 0;
};

struct Mismatch {
  std::string kind;  // "paid_but_unknown", "known_but_unpaid", "amount_differs"
  std::string reference;
  std::string transaction_id;
  std::string dossier;
  int64_t statement_amount = 0;  // 0 for known_but_unpaid
  int64_t recorded_amount = 0;   // 0 for paid_but_unknown
  int line = 0;                  // statement line, 0 for known_but_unpaid
};

struct Reconciliation {
  int64_t matched = 0;
  int64_t matched_amount = 0;
  std::vector<Mismatch> mismatches;  // in statement order, then known_but_unpaid by reference
};

// Matches by transaction id first, then by reference (statement reference, or the one found in
// content). Each recorded payment matches at most one line.
Reconciliation Reconcile(const std::vector<StatementLine>& statement,
                         const std::vector<RecordedPayment>& recorded);

}  // namespace motcua::pay
