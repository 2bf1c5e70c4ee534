#include "pay/gateway.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

namespace motcua::pay {
namespace {

constexpr std::string_view kSecureHash = "vnp_SecureHash";
constexpr std::string_view kSecureHashType = "vnp_SecureHashType";

std::unexpected<Error> Malformed(std::string detail) {
  return Fail(ErrorCode::kInvalidArgument, "gateway.malformed", std::move(detail));
}
std::unexpected<Error> BadSignature(std::string detail) {
  return Fail(ErrorCode::kUnauthenticated, "gateway.bad_signature", std::move(detail));
}

bool IsUnreserved(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> FormDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (s.size() - i < 3) return Malformed("truncated %-escape");
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return Malformed("bad %-escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0xF];
  }
  return out;
}

// True when `given` (hex, either case) equals the lowercase hex `expected`; constant time in
// the content of the strings.
bool HexEquals(std::string_view given, const std::string& expected) {
  if (given.size() != expected.size()) return false;
  std::string lower(given);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return CRYPTO_memcmp(lower.data(), expected.data(), expected.size()) == 0;
}

Result<void> CheckHash(const GatewayConfig& config, const Params& params) {
  auto it = params.find(std::string(kSecureHash));
  if (it == params.end() || it->second.empty()) return BadSignature("vnp_SecureHash missing");
  if (!HexEquals(it->second, SignParams(params, config.hash_secret))) {
    return BadSignature("vnp_SecureHash does not match");
  }
  return {};
}

Result<std::string> Required(const Params& params, const std::string& name) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return Malformed(name + " missing");
  return it->second;
}

std::string Optional(const Params& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

// vnp_Amount: VND × 100 as digits, a whole positive number of VND.
Result<int64_t> ReadAmount(const Params& params) {
  auto text = Required(params, "vnp_Amount");
  if (!text) return Fail(text.error());
  int64_t v = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, v);
  if (ec != std::errc() || ptr != end || (*text)[0] == '-' || (*text)[0] == '+') {
    return Malformed("vnp_Amount is not digits");
  }
  if (v <= 0 || v % 100 != 0) return Malformed("vnp_Amount is not a positive multiple of 100");
  return v / 100;
}

bool IsValidReference(std::string_view ref) {
  if (ref.empty() || ref.size() > 100) return false;
  for (char c : ref) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string FormEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (IsUnreserved(c)) {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

std::string CanonicalQuery(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (name == kSecureHash || name == kSecureHashType) continue;
    if (!out.empty()) out += '&';
    out += FormEncode(name);
    out += '=';
    out += FormEncode(value);
  }
  return out;
}

std::string SignParams(const Params& params, std::string_view secret) {
  const std::string text = CanonicalQuery(params);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha512(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &len);
  return Hex(mac, len);
}

std::string SignedQuery(const Params& params, std::string_view secret) {
  std::string out = CanonicalQuery(params);
  if (!out.empty()) out += '&';
  out += std::string(kSecureHash) + "=" + SignParams(params, secret);
  return out;
}

Result<Params> ParseQuery(std::string_view query) {
  Params params;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view part = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    auto name = FormDecode(part.substr(0, eq));
    if (!name) return Fail(name.error());
    if (name->empty()) return Malformed("empty parameter name");
    auto value =
        FormDecode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
    if (!value) return Fail(value.error());
    if (!params.emplace(std::move(*name), std::move(*value)).second) {
      return Malformed("parameter given twice");
    }
  }
  return params;
}

Result<std::string> PaymentUrl(const GatewayConfig& config, const PaymentOrder& order) {
  if (!IsValidReference(order.txn_ref)) {
    return Fail(ErrorCode::kInvalidArgument, "gateway.bad_order",
                "reference must be 1..100 of [0-9A-Za-z]");
  }
  if (order.amount <= 0 || order.amount > INT64_MAX / 100) {
    return Fail(ErrorCode::kInvalidArgument, "gateway.bad_order", "amount must be positive");
  }
  Params p = {
      {"vnp_Version", "2.1.0"},
      {"vnp_Command", "pay"},
      {"vnp_TmnCode", config.tmn_code},
      {"vnp_Amount", std::to_string(order.amount * 100)},
      {"vnp_CurrCode", "VND"},
      {"vnp_TxnRef", order.txn_ref},
      {"vnp_OrderInfo", order.order_info},
      {"vnp_OrderType", "other"},
      {"vnp_Locale", order.locale},
      {"vnp_ReturnUrl", order.return_url},
      {"vnp_IpAddr", order.ip_address},
      {"vnp_CreateDate", FormatGatewayTime(order.created_at)},
      {"vnp_ExpireDate", FormatGatewayTime(order.expires_at)},
  };
  if (!order.bank_code.empty()) p.emplace("vnp_BankCode", order.bank_code);
  const char sep = config.url.find('?') == std::string::npos ? '?' : '&';
  return config.url + sep + SignedQuery(p, config.hash_secret);
}

Result<PaymentOrder> VerifyOrder(const GatewayConfig& config, const Params& params) {
  if (auto h = CheckHash(config, params); !h) return Fail(h.error());
  auto tmn = Required(params, "vnp_TmnCode");
  if (!tmn) return Fail(tmn.error());
  if (*tmn != config.tmn_code) return Malformed("vnp_TmnCode is not ours");
  if (Optional(params, "vnp_Command") != "pay") return Malformed("vnp_Command is not pay");
  if (Optional(params, "vnp_CurrCode") != "VND") return Malformed("vnp_CurrCode is not VND");
  PaymentOrder order;
  auto amount = ReadAmount(params);
  if (!amount) return Fail(amount.error());
  order.amount = *amount;
  order.txn_ref = Optional(params, "vnp_TxnRef");
  if (!IsValidReference(order.txn_ref)) return Malformed("vnp_TxnRef is not a valid reference");
  auto return_url = Required(params, "vnp_ReturnUrl");
  if (!return_url) return Fail(return_url.error());
  order.return_url = *return_url;
  order.order_info = Optional(params, "vnp_OrderInfo");
  order.ip_address = Optional(params, "vnp_IpAddr");
  order.locale = Optional(params, "vnp_Locale");
  order.bank_code = Optional(params, "vnp_BankCode");
  auto created = ParseGatewayTime(Optional(params, "vnp_CreateDate"));
  if (!created) return Fail(created.error());
  order.created_at = *created;
  auto expires = ParseGatewayTime(Optional(params, "vnp_ExpireDate"));
  if (!expires) return Fail(expires.error());
  order.expires_at = *expires;
  return order;
}

Result<GatewayResult> VerifyNotification(const GatewayConfig& config, const Params& params) {
  if (auto h = CheckHash(config, params); !h) return Fail(h.error());
  GatewayResult r;
  for (auto [name, field] :
       {std::pair{"vnp_TmnCode", &r.tmn_code}, std::pair{"vnp_TxnRef", &r.txn_ref},
        std::pair{"vnp_TransactionNo", &r.transaction_no},
        std::pair{"vnp_ResponseCode", &r.response_code},
        std::pair{"vnp_TransactionStatus", &r.transaction_status}}) {
    auto v = Required(params, name);
    if (!v) return Fail(v.error());
    *field = std::move(*v);
  }
  if (r.tmn_code != config.tmn_code) return Malformed("vnp_TmnCode is not ours");
  auto amount = ReadAmount(params);
  if (!amount) return Fail(amount.error());
  r.amount = *amount;
  r.bank_code = Optional(params, "vnp_BankCode");
  r.bank_tran_no = Optional(params, "vnp_BankTranNo");
  r.pay_date = Optional(params, "vnp_PayDate");
  return r;
}

Params NotificationParams(const GatewayConfig& config, const GatewayResult& result,
                          std::string_view order_info) {
  Params p = {
      {"vnp_TmnCode", config.tmn_code},
      {"vnp_Amount", std::to_string(result.amount * 100)},
      {"vnp_OrderInfo", std::string(order_info)},
      {"vnp_ResponseCode", result.response_code},
      {"vnp_TransactionNo", result.transaction_no},
      {"vnp_TransactionStatus", result.transaction_status},
      {"vnp_TxnRef", result.txn_ref},
  };
  if (!result.bank_code.empty()) p.emplace("vnp_BankCode", result.bank_code);
  if (!result.bank_tran_no.empty()) p.emplace("vnp_BankTranNo", result.bank_tran_no);
  if (!result.pay_date.empty()) p.emplace("vnp_PayDate", result.pay_date);
  if (!result.bank_tran_no.empty() || !result.bank_code.empty()) p.emplace("vnp_CardType", "ATM");
  p.emplace(std::string(kSecureHash), SignParams(p, config.hash_secret));
  return p;
}

std::string IpnAnswer(std::string_view rsp_code) {
  std::string_view message = "Unknown error";
  if (rsp_code == "00") {
    message = "Confirm Success";
  } else if (rsp_code == "01") {
    message = "Order not found";
  } else if (rsp_code == "02") {
    message = "Order already confirmed";
  } else if (rsp_code == "04") {
    message = "Invalid amount";
  } else if (rsp_code == "97") {
    message = "Invalid signature";
  }
  boost::json::object o;
  o["RspCode"] = rsp_code;
  o["Message"] = message;
  return boost::json::serialize(o);
}

Result<Timestamp> ParseGatewayTime(std::string_view s) {
  if (s.size() != 14) return Malformed("time is not yyyyMMddHHmmss");
  for (char c : s) {
    if (c < '0' || c > '9') return Malformed("time is not yyyyMMddHHmmss");
  }
  auto num = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const CivilDate date{num(0, 4), num(4, 2), num(6, 2)};
  const int hour = num(8, 2), minute = num(10, 2), second = num(12, 2);
  if (!IsValidCivil(date) || hour > 23 || minute > 59 || second > 59) {
    return Malformed("time out of range");
  }
  Timestamp t = FromVietnamLocal(date, hour * 60 + minute);
  t.us += second * kMicrosPerSecond;
  return t;
}

std::string FormatGatewayTime(Timestamp t) {
  const LocalDateTime local = ToVietnamLocal(t);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", local.date.year, local.date.month,
                local.date.day, local.minute_of_day / 60, local.minute_of_day % 60,
                static_cast<int>(local.micros_in_minute / kMicrosPerSecond));
  return buf;
}

}  // namespace motcua::pay
