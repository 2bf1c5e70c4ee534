// One-time passwords for the officers' second factor: HOTP (RFC 4226) and TOTP (RFC 6238) with
// HMAC-SHA1/SHA-256/SHA-512 (OpenSSL 3), Base32 secrets (RFC 4648 §6) and the otpauth:// key URI
// that authenticator apps read from a QR code (Google Authenticator "Key Uri Format").
// Defaults are what every authenticator app supports: SHA-1, 6 digits, 30-second steps.
// Thread-safety: pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace motcua::secure {

enum class OtpAlgorithm { kSha1, kSha256, kSha512 };
// "SHA1", "SHA256", "SHA512" (the otpauth:// spelling).
std::string_view OtpAlgorithmName(OtpAlgorithm a);

struct TotpParams {
  OtpAlgorithm algorithm = OtpAlgorithm::kSha1;
  int digits = 6;             // 6..8
  int64_t step_seconds = 30;  // RFC 6238 X; T0 is the Unix epoch
};

// RFC 4226 R6: shared secrets of at least 128 bits; 160 bits (the HMAC-SHA1 output size) is the
// recommended size and what NewTotpSecret makes.
inline constexpr size_t kMinOtpSecretBytes = 16;
inline constexpr size_t kTotpSecretBytes = 20;
// VerifyTotp accepts at most this many steps of skew each side.
inline constexpr int kMaxTotpWindow = 10;

// RFC 4648 Base32, upper case, without '=' padding (as authenticator apps expect).
std::string Base32Encode(std::string_view bytes);
// Accepts lower case, spaces (as secrets are shown in groups) and optional trailing '=' padding.
// Errors: secure.bad_base32 for any other character, '=' before the end, or a length no
// encoder produces (1, 3 or 6 characters past a multiple of 8).
[[nodiscard]] Result<std::string> Base32Decode(std::string_view text);

// kTotpSecretBytes random bytes.
std::string NewTotpSecret();

// The HOTP value for `counter`, zero-padded to `digits`. Errors: secure.bad_otp_params (digits
// outside 6..8, secret shorter than kMinOtpSecretBytes).
[[nodiscard]] Result<std::string> Hotp(std::string_view secret, uint64_t counter, int digits = 6,
                                       OtpAlgorithm algorithm = OtpAlgorithm::kSha1);

// The time-step counter of `unix_seconds`: floor(unix_seconds / step_seconds).
int64_t TotpCounter(int64_t unix_seconds, const TotpParams& params = {});

// The TOTP value at `unix_seconds`. Errors: secure.bad_otp_params (as Hotp, or a time before
// the epoch, or a step under one second).
[[nodiscard]] Result<std::string> Totp(std::string_view secret, int64_t unix_seconds,
                                       const TotpParams& params = {});

// Checks `code_text` (exactly params.digits ASCII digits, nothing else: no spaces or signs)
// against the counters within `window` steps of `unix_seconds`, skipping every counter
// <= `last_used_counter` (pass -1 when no code was accepted yet). Returns the matched counter,
// which the caller stores as the new last_used_counter so that the same code, or an older one,
// is refused afterwards (RFC 6238 §5.2). Every candidate is computed and compared in constant
// time. nullopt for a wrong, malformed or replayed code, bad parameters, or a window outside
// 0..kMaxTotpWindow.
[[nodiscard]] std::optional<int64_t> VerifyTotp(std::string_view secret, std::string_view code_text,
                                                int64_t unix_seconds, int window,
                                                int64_t last_used_counter,
                                                const TotpParams& params = {});

// "otpauth://totp/<issuer>:<account>?secret=<Base32>&issuer=<issuer>&algorithm=SHA1&digits=6
// &period=30", issuer and account percent-encoded (UTF-8 bytes; everything but RFC 3986
// unreserved characters). Neither should contain ':' (the key-uri format forbids it: apps split
// the label on the first colon). An empty issuer leaves the prefix and parameter out.
std::string OtpauthUri(std::string_view issuer, std::string_view account_label,
                       std::string_view secret, const TotpParams& params = {});

}  // namespace motcua::secure
