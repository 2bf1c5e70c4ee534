// The payment-gateway protocol used by Vietnamese gateways for redirect payments (the widely
// used "vnp_" parameter set, version 2.1.0): the merchant redirects the payer to the gateway
// with signed query parameters; the gateway calls the merchant's IPN URL server to server and
// redirects the payer back to the return URL, both with signed parameters. Signature:
// HMAC-SHA512 (hex, case-insensitive on input, lowercase on output) under the merchant's hash
// secret, over the parameters other than vnp_SecureHash / vnp_SecureHashType, sorted by name,
// each "name=value" with the value form-urlencoded (space as '+', RFC 3986 unreserved kept,
// everything else %XX uppercase; names are encoded the same way, which leaves vnp_ names as
// they are), joined by '&'; parameters with empty values are kept. Amounts travel as VND × 100.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/time.h"

namespace motcua::pay {

using Params = std::map<std::string, std::string>;

struct GatewayConfig {
  std::string url;  // the gateway's payment page, e.g. http://127.0.0.1:8091/paymentv2/vpcpay.html
  std::string tmn_code;     // merchant (terminal) code, vnp_TmnCode
  std::string hash_secret;  // never logged
};

struct PaymentOrder {
  std::string txn_ref;     // our payment reference, unique, [0-9A-Za-z] ≤ 100 (vnp_TxnRef)
  int64_t amount = 0;      // VND (> 0)
  std::string order_info;  // ASCII description (vnp_OrderInfo), e.g. "Thanh toan le phi ho so …"
  std::string return_url;  // vnp_ReturnUrl
  std::string ip_address;  // the payer's address (vnp_IpAddr)
  Timestamp created_at;    // vnp_CreateDate (yyyyMMddHHmmss, Vietnam time)
  Timestamp expires_at;    // vnp_ExpireDate
  std::string locale = "vn";  // vn | en
  std::string bank_code;      // optional vnp_BankCode
};

// The form encoding described above (also used to build the query strings).
std::string FormEncode(std::string_view s);
// The canonical "a=1&b=2" text that is signed (vnp_SecureHash* left out).
std::string CanonicalQuery(const Params& params);
// Lowercase hex HMAC-SHA512 of CanonicalQuery(params).
std::string SignParams(const Params& params, std::string_view secret);
// CanonicalQuery(params) followed by "&vnp_SecureHash=<SignParams>": the query string of a
// signed redirect or IPN. Any vnp_SecureHash / vnp_SecureHashType already in `params` is replaced.
std::string SignedQuery(const Params& params, std::string_view secret);
// Parses "a=1&b=%20" (either '+' or %20 for space) into Params. Error gateway.malformed
// (kInvalidArgument) on a bad escape or a name given twice.
Result<Params> ParseQuery(std::string_view query);

// The full redirect URL: config.url + "?" + the order's vnp_ parameters (Version 2.1.0, Command
// pay, CurrCode VND, OrderType other) + vnp_SecureHash. Error gateway.bad_order
// (kInvalidArgument) for an empty or non-alphanumeric reference or an amount ≤ 0.
Result<std::string> PaymentUrl(const GatewayConfig& config, const PaymentOrder& order);

// The gateway's side of PaymentUrl (used by the stand-in gateway): verifies vnp_SecureHash
// (constant-time) under config.hash_secret and reads the order back (created_at/expires_at from
// vnp_CreateDate/vnp_ExpireDate). Errors: gateway.bad_signature (kUnauthenticated: missing or
// wrong hash), gateway.malformed (kInvalidArgument: vnp_TmnCode not config.tmn_code, a required
// field missing, Command not "pay", CurrCode not VND, amount not a positive multiple of 100,
// a reference that PaymentUrl would refuse, a bad date).
Result<PaymentOrder> VerifyOrder(const GatewayConfig& config, const Params& params);

// A verified notification (IPN or return): the gateway's report of one transaction.
struct GatewayResult {
  std::string tmn_code;
  std::string txn_ref;             // vnp_TxnRef
  int64_t amount = 0;              // VND (vnp_Amount / 100; must be a whole number of VND)
  std::string transaction_no;      // the gateway's transaction number (vnp_TransactionNo)
  std::string bank_code;           // vnp_BankCode
  std::string bank_tran_no;        // vnp_BankTranNo
  std::string response_code;       // vnp_ResponseCode ("00" success)
  std::string transaction_status;  // vnp_TransactionStatus ("00" success)
  std::string pay_date;            // vnp_PayDate as sent (yyyyMMddHHmmss, Vietnam time)
  bool success() const { return response_code == "00" && transaction_status == "00"; }
};

// Verifies vnp_SecureHash over the other parameters (constant-time comparison) and reads the
// fields. Errors: gateway.bad_signature (kUnauthenticated: missing or wrong hash),
// gateway.malformed (kInvalidArgument: a required field missing, amount not digits or not a
// multiple of 100, wrong TmnCode).
Result<GatewayResult> VerifyNotification(const GatewayConfig& config, const Params& params);

// The signed parameters a gateway sends for `result` (the stand-in gateway and tests use it).
Params NotificationParams(const GatewayConfig& config, const GatewayResult& result,
                          std::string_view order_info);

// The merchant's answer to an IPN, as the protocol expects: {"RspCode":"00","Message":"Confirm
// Success"}. Codes: "00" confirmed, "01" order not found, "02" order already confirmed,
// "04" invalid amount, "97" invalid signature, "99" other error.
std::string IpnAnswer(std::string_view rsp_code);

// Parses "yyyyMMddHHmmss" (Vietnam time) into a UTC timestamp; gateway.malformed otherwise.
Result<Timestamp> ParseGatewayTime(std::string_view s);
std::string FormatGatewayTime(Timestamp t);

}  // namespace motcua::pay
