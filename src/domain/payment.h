// Fees and charges of a dossier (lệ phí, phí; Law on Fees and Charges 2015) and its payment
// state: which of the procedure's fee lines apply to a case (channel, conditions, quantities,
// an exemption from the procedure's own list), in integer VND; the amount in Vietnamese words
// for receipts (biên lai); the payment record folded from the dossier's payment events.
// 766 index indicator 3.6 counts the dossiers paid online among those with fees.
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "domain/procedures.h"

namespace motcua::domain {

// What the fee schedule needs to know of a case.
struct FeeCase {
  std::vector<std::string> conditions;        // asserted conditions ("late_registration"…)
  std::map<std::string, int64_t> quantities;  // "page" → 12, "certificate" → 4
  std::string exemption;                      // one of the procedure's exemptions, or ""
};

struct FeeLine {
  std::string code;
  std::string kind;  // "fee" or "charge"
  std::string name;
  std::string name_en;
  int64_t unit_amount = 0;
  int64_t quantity = 1;
  int64_t amount = 0;  // unit_amount × quantity; 0 when exempt
  bool operator==(const FeeLine&) const = default;
};

struct FeeQuote {
  std::vector<FeeLine> lines;
  int64_t total = 0;  // what is due
  int64_t before_exemption = 0;
  std::string exemption;  // the ground, when exempt
};

// The lines that apply: a fee without a condition always applies; "channel_direct" applies at
// the counter and by post, "channel_online" online and assisted; any other condition applies
// when the case asserts it. A fee with `per` counts the case's quantity of that unit between
// `from` and `to` (a first tier starting at 1 counts at least one); a fee that `replaces`
// another removes that one. An exemption zeroes every line. Errors (kInvalidArgument):
// fee.unknown_condition (a condition the procedure does not name), fee.unknown_exemption,
// fee.bad_quantity (negative or over 100,000), fee.unknown_quantity.
Result<FeeQuote> QuoteFees(const Procedure& p, bool online, const FeeCase& c);

// "Bảy mươi lăm nghìn đồng" — the amount in Vietnamese words, first letter capital, as
// receipts and invoices write it (groups of zeros are skipped: 1.000.001 is "Một triệu không
// trăm linh một đồng"). Amounts below zero are written with "Âm".
std::string AmountInWords(int64_t vnd);

// "75.000" — thousands separated by dots, as Vietnamese documents write amounts.
std::string FormatVnd(int64_t vnd);

enum class PaymentState { kNotRequired, kDue, kPaid, kRefunded, kWaived };
std::string_view PaymentStateName(PaymentState s);  // not_required, due, paid, refunded, waived

struct PaymentEntry {
  std::string channel;   // gateway, bank_transfer, counter_cash
  bool online = false;   // counts as paid online (766 indicator 3.6)
  std::string platform;  // national, province ("" for cash)
  std::string provider;
  std::string transaction_no;
  int64_t amount = 0;
  Timestamp paid_at;
  std::string receipt_serial;
  bool operator==(const PaymentEntry&) const = default;
};

struct PaymentRecord {
  PaymentState state = PaymentState::kNotRequired;
  std::string stage = "return";  // pay before "receipt" or before "return"
  int64_t amount_due = 0;        // total of the fee lines (0 when exempt)
  std::vector<FeeLine> lines;
  std::string reference;  // the payment reference (VietQR purpose, gateway TxnRef)
  std::string exemption;
  std::vector<PaymentEntry> payments;
  std::vector<std::string> transactions;  // every transaction seen (accepted, rejected, failed)
  int failed_attempts = 0;
  int64_t refunded = 0;
  bool Due() const { return state == PaymentState::kDue; }
  bool Seen(std::string_view provider, std::string_view transaction_no) const;
};

// The payment reference of a dossier: "MC" + the code's letters and digits, upper case
// ("99501-260105-0007" → "MC995012601050007"): ASCII, no separators, so it survives the
// rewriting banks do to transfer notes.
std::string PaymentReference(std::string_view dossier_code);
// "provider:transaction" — the idempotency key of a payment notification.
std::string TransactionKey(std::string_view provider, std::string_view transaction_no);

}  // namespace motcua::domain
