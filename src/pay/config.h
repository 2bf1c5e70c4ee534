// The payment settings file (motcua.payment/1): the gateway merchant account (DVCQG payment
// platform or the province's own gateway) and the collecting bank account with its notification
// secret. It holds secrets, so it lives in the data directory with mode 0600, never in the
// repository; error texts name fields, never values. Thread-safety: pure functions.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <string>

#include "base/error.h"
#include "pay/gateway.h"

namespace motcua::pay {

// The collecting account (tài khoản thu) that VietQR transfers go to, and its bank's callback.
struct BankAccountConfig {
  std::string bin;            // 6 digits
  std::string account;        // 1..19 of [0-9A-Za-z]
  std::string account_name;   // as the bank holds it, ASCII
  std::string notify_url;     // where the bank posts credits (our server)
  std::string notify_secret;  // HMAC-SHA256 key of X-Signature, never logged
};

struct PaymentConfig {
  GatewayConfig gateway;
  std::string platform;    // "national" (DVCQG payment platform) | "province" (own gateway)
  std::string ipn_url;     // our IPN endpoint, given to the gateway
  std::string return_url;  // where the gateway sends the payer back
  BankAccountConfig bank;
};

// Reads and validates the JSON document. Error payment.bad_config (kInvalidArgument; the detail
// and the "field" parameter name the field, e.g. "gateway.tmn_code"): not JSON, wrong schema,
// a field missing, empty or of the wrong shape (URLs must be http:// or https://, bin 6 digits,
// platform national|province).
Result<PaymentConfig> PaymentConfigFromJson(const boost::json::value& v);
// Reads the file: payment.config_unreadable (kUnavailable) when it cannot be read,
// payment.config_permissions (kFailedPrecondition) when group or others may read or write it,
// otherwise PaymentConfigFromJson's errors.
Result<PaymentConfig> LoadPaymentConfig(const std::filesystem::path& path);
// The document PaymentConfigFromJson reads (secrets included: it is the file's content).
std::string PaymentConfigJson(const PaymentConfig& c);

}  // namespace motcua::pay
