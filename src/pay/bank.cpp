#include "pay/bank.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <cstdio>

#include "base/json.h"
#include "pay/vietqr.h"

namespace motcua::pay {
namespace {

std::unexpected<Error> Malformed(std::string_view field, std::string why) {
  Error e{ErrorCode::kInvalidArgument, "bank.malformed", std::string(field) + ": " + why, {}};
  e.With("field", std::string(field));
  return Fail(std::move(e));
}

bool HasOffset(std::string_view s) {
  if (s.empty()) return false;
  if (s.back() == 'Z') return true;
  return s.size() >= 22 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-') &&
         s[s.size() - 3] == ':';
}

std::string FormatVietnamIso(Timestamp t) {
  const LocalDateTime l = ToVietnamLocal(t);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", l.date.year, l.date.month,
                l.date.day, l.minute_of_day / 60, l.minute_of_day % 60,
                static_cast<int>(l.micros_in_minute / kMicrosPerSecond));
  return buf;
}

bool IsReferenceChar(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::string SignBody(std::string_view body, std::string_view secret) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xF];
  }
  return out;
}

Result<BankCredit> VerifyBankCredit(std::string_view body, std::string_view signature_hex,
                                    std::string_view secret) {
  const std::string expected = SignBody(body, secret);
  std::string given(signature_hex);
  for (char& c : given) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  if (given.size() != expected.size() ||
      CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return Fail(ErrorCode::kUnauthenticated, "bank.bad_signature",
                given.empty() ? "X-Signature missing" : "X-Signature does not match");
  }
  auto doc = json::Parse(body);
  if (!doc) return Malformed("body", "not JSON (" + doc.error().key + ")");
  if (!doc->is_object()) return Malformed("body", "not an object");
  const boost::json::object& o = doc->get_object();
  BankCredit c;
  for (auto [name, field] :
       {std::pair{"id", &c.id}, std::pair{"account", &c.account}, std::pair{"content", &c.content},
        std::pair{"direction", &c.direction}, std::pair{"bank", &c.bank}}) {
    auto v = json::String(o, name);
    if (!v) return Malformed(name, v.error().detail);
    *field = std::move(*v);
  }
  if (c.id.empty()) return Malformed("id", "empty");
  if (c.account.empty()) return Malformed("account", "empty");
  if (c.direction != "in" && c.direction != "out") return Malformed("direction", "not in|out");
  auto amount = json::Int(o, "amount");
  if (!amount) return Malformed("amount", amount.error().detail);
  if (*amount <= 0) return Malformed("amount", "not positive");
  c.amount = *amount;
  auto time_text = json::String(o, "time");
  if (!time_text) return Malformed("time", time_text.error().detail);
  auto time = ParseIsoDateTime(*time_text);
  if (!time || !HasOffset(*time_text)) return Malformed("time", "not ISO 8601 with an offset");
  c.time = *time;
  return c;
}

std::string BankCreditJson(const BankCredit& c) {
  boost::json::object o;
  o["id"] = c.id;
  o["account"] = c.account;
  o["amount"] = c.amount;
  o["content"] = c.content;
  o["time"] = FormatVietnamIso(c.time);
  o["direction"] = c.direction;
  o["bank"] = c.bank;
  return boost::json::serialize(o);
}

std::optional<std::string> FindReference(std::string_view note) {
  // Diacritics off first, so "Chuyển tiền MC…" keeps its word boundaries.
  const std::string ascii = AsciiPurpose(note, note.size());
  std::string cleaned;
  cleaned.reserve(ascii.size());
  for (char c : ascii) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (IsReferenceChar(c) || c == ' ') {
      cleaned += c;
    } else if (c != '-' && c != '.' && c != '_') {
      cleaned += ' ';  // other punctuation separates words ("khoan;MC...;")
    }
  }
  size_t pos = 0;
  while (pos < cleaned.size()) {
    size_t end = cleaned.find(' ', pos);
    if (end == std::string::npos) end = cleaned.size();
    const std::string_view token = std::string_view(cleaned).substr(pos, end - pos);
    pos = end + 1;
    if (token.size() >= 8 && token.size() <= 32 && token.starts_with("MC")) {
      return std::string(token);
    }
  }
  return std::nullopt;
}

}  // namespace motcua::pay
