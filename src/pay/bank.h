// Bank-transfer notifications: the collecting account's bank (or a bank-connection service)
// posts each incoming credit as JSON, signed with HMAC-SHA256 of the raw body under a shared
// secret (header X-Signature: hex). The payment is matched by the reference that the VietQR
// purpose field carried, searched for in the free-text transfer note (banks add prefixes,
// uppercase or strip punctuation). Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/time.h"

namespace motcua::pay {

// {"id":"FT2612030001","account":"0011001932418","amount":75000,"content":"MC... nop le phi",
//  "time":"2026-12-03T10:15:00+07:00","direction":"in","bank":"970415"}
struct BankCredit {
  std::string id;         // the bank's transaction id, unique per bank (idempotency key)
  std::string account;    // the credited account
  int64_t amount = 0;     // VND, > 0
  std::string content;    // transfer note as the bank delivered it
  Timestamp time;         // booking time
  std::string direction;  // "in" (credits only are payments; "out" is ignored by the caller)
  std::string bank;       // BIN of the bank reporting
};

// Lowercase hex HMAC-SHA256 of `body`.
std::string SignBody(std::string_view body, std::string_view secret);

// Verifies the signature (constant-time) and parses the body. Errors: bank.bad_signature
// (kUnauthenticated), bank.malformed (kInvalidArgument: not JSON, a field missing or of the
// wrong type, amount ≤ 0, time not ISO 8601 with offset, direction not in|out).
Result<BankCredit> VerifyBankCredit(std::string_view body, std::string_view signature_hex,
                                    std::string_view secret);
// The JSON body for a credit (stand-in bank and tests).
std::string BankCreditJson(const BankCredit& c);

// Finds a payment reference in a transfer note: references look like "MC" followed by 6..30
// [0-9A-Z] (see PaymentReference in app/payments); the note is uppercased and stripped of
// everything but [0-9A-Z ] first (diacritics folded; '-', '.', '_' removed so "MC-995…" joins
// up; other punctuation and whitespace separate words), and the first token that starts with
// "MC" and is a known shape is returned. nullopt when none.
std::optional<std::string> FindReference(std::string_view note);

}  // namespace motcua::pay
