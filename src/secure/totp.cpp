#include "secure/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "secure/random.h"

namespace motcua::secure {

namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const EVP_MD* Digest(OtpAlgorithm a) {
  switch (a) {
    case OtpAlgorithm::kSha1:
      return EVP_sha1();
    case OtpAlgorithm::kSha256:
      return EVP_sha256();
    case OtpAlgorithm::kSha512:
      return EVP_sha512();
  }
  return nullptr;
}

bool ValidParams(std::string_view secret, int digits) {
  return digits >= 6 && digits <= 8 && secret.size() >= kMinOtpSecretBytes;
}

// RFC 4226 §5.3: HMAC over the 8-byte big-endian counter, dynamic truncation, modulo 10^digits.
// Callers have checked the parameters. nullopt only when OpenSSL fails.
std::optional<std::string> HotpUnchecked(std::string_view secret, uint64_t counter, int digits,
                                         OtpAlgorithm algorithm) {
  std::array<unsigned char, 8> msg{};
  for (int i = 7; i >= 0; --i) {
    msg[static_cast<size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  const EVP_MD* md = Digest(algorithm);
  if (md == nullptr ||
      HMAC(md, secret.data(), static_cast<int>(secret.size()), msg.data(), msg.size(), mac.data(),
           &mac_len) == nullptr ||
      mac_len < 20) {
    return std::nullopt;
  }
  const size_t offset = mac[mac_len - 1] & 0x0f;
  const uint32_t binary = (uint32_t{mac[offset]} & 0x7f) << 24 | uint32_t{mac[offset + 1]} << 16 |
                          uint32_t{mac[offset + 2]} << 8 | uint32_t{mac[offset + 3]};
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  uint32_t value = binary % modulus;
  std::string code(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    code[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return code;
}

void PercentEncode(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
}

}  // namespace

std::string_view OtpAlgorithmName(OtpAlgorithm a) {
  switch (a) {
    case OtpAlgorithm::kSha1:
      return "SHA1";
    case OtpAlgorithm::kSha256:
      return "SHA256";
    case OtpAlgorithm::kSha512:
      return "SHA512";
  }
  return "SHA1";
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (const char ch : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(ch);
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 0x1f];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1f];
  return out;
}

Result<std::string> Base32Decode(std::string_view text) {
  auto bad = [](std::string detail) {
    return Fail(ErrorCode::kInvalidArgument, "secure.bad_base32", std::move(detail));
  };
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  size_t symbols = 0;
  bool padding = false;
  for (const char ch : text) {
    if (ch == ' ') continue;
    if (ch == '=') {
      padding = true;
      continue;
    }
    if (padding) return bad("data after '=' padding");
    int v = -1;
    if (ch >= 'A' && ch <= 'Z') v = ch - 'A';
    if (ch >= 'a' && ch <= 'z') v = ch - 'a';
    if (ch >= '2' && ch <= '7') v = ch - '2' + 26;
    if (v < 0) return bad("character outside the Base32 alphabet");
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    ++symbols;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  // 8 symbols carry 5 bytes; 2, 4, 5 or 7 leftover symbols carry 1..4 bytes. 1, 3 or 6 cannot
  // come from an encoder.
  const size_t tail = symbols % 8;
  if (tail == 1 || tail == 3 || tail == 6) return bad("impossible Base32 length");
  return out;
}

std::string NewTotpSecret() { return RandomBytes(kTotpSecretBytes); }

Result<std::string> Hotp(std::string_view secret, uint64_t counter, int digits,
                         OtpAlgorithm algorithm) {
  if (!ValidParams(secret, digits)) {
    return Fail(ErrorCode::kInvalidArgument, "secure.bad_otp_params",
                "digits outside 6..8 or secret shorter than 16 bytes");
  }
  std::optional<std::string> code = HotpUnchecked(secret, counter, digits, algorithm);
  if (!code) return Fail(ErrorCode::kInternal, "secure.crypto_failed", "OpenSSL HMAC failed");
  return std::move(*code);
}

int64_t TotpCounter(int64_t unix_seconds, const TotpParams& params) {
  const int64_t step = params.step_seconds < 1 ? 1 : params.step_seconds;
  int64_t q = unix_seconds / step;
  if (unix_seconds % step != 0 && unix_seconds < 0) --q;  // floor, not truncation
  return q;
}

Result<std::string> Totp(std::string_view secret, int64_t unix_seconds, const TotpParams& params) {
  if (unix_seconds < 0 || params.step_seconds < 1) {
    return Fail(ErrorCode::kInvalidArgument, "secure.bad_otp_params",
                "time before the epoch or step under one second");
  }
  return Hotp(secret, static_cast<uint64_t>(TotpCounter(unix_seconds, params)), params.digits,
              params.algorithm);
}

std::optional<int64_t> VerifyTotp(std::string_view secret, std::string_view code_text,
                                  int64_t unix_seconds, int window, int64_t last_used_counter,
                                  const TotpParams& params) {
  if (!ValidParams(secret, params.digits) || params.step_seconds < 1 || unix_seconds < 0 ||
      window < 0 || window > kMaxTotpWindow) {
    return std::nullopt;
  }
  if (code_text.size() != static_cast<size_t>(params.digits)) return std::nullopt;
  for (const char ch : code_text) {
    if (ch < '0' || ch > '9') return std::nullopt;
  }
  const int64_t now = TotpCounter(unix_seconds, params);
  std::optional<int64_t> matched;
  // No early exit: every candidate in the window is computed and compared, so the time taken
  // does not tell which step (if any) matched. The latest matching step wins.
  for (int64_t counter = now - window; counter <= now + window; ++counter) {
    if (counter < 0 || counter <= last_used_counter) continue;
    std::optional<std::string> expected =
        HotpUnchecked(secret, static_cast<uint64_t>(counter), params.digits, params.algorithm);
    if (!expected) return std::nullopt;
    if (ConstantTimeEquals(*expected, code_text)) matched = counter;
  }
  return matched;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account_label,
                       std::string_view secret, const TotpParams& params) {
  std::string uri = "otpauth://totp/";
  if (!issuer.empty()) {
    PercentEncode(uri, issuer);
    uri += ':';
  }
  PercentEncode(uri, account_label);
  uri += "?secret=";
  uri += Base32Encode(secret);
  if (!issuer.empty()) {
    uri += "&issuer=";
    PercentEncode(uri, issuer);
  }
  uri += "&algorithm=";
  uri += OtpAlgorithmName(params.algorithm);
  uri += "&digits=";
  uri += std::to_string(params.digits);
  uri += "&period=";
  uri += std::to_string(params.step_seconds);
  return uri;
}

}  // namespace motcua::secure
