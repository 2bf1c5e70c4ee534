// Randomness, digests and comparison for credentials: session and reset tokens, token digests
// stored instead of the tokens, and constant-time checks of presented secrets. Randomness is the
// operating system's CSPRNG through libsodium (randombytes_buf); SHA-256 is OpenSSL's.
// Thread-safety: thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace motcua::secure {

// n bytes from the CSPRNG.
std::string RandomBytes(size_t n);

// `bytes` random bytes as base64url without padding (32 bytes → 43 characters, 256 bits):
// safe in URLs, cookies and headers.
std::string RandomToken(size_t bytes = 32);

// Lower-case hex SHA-256 of `data` (64 characters). For high-entropy tokens only; passwords go
// through HashPassword.
std::string Sha256Hex(std::string_view data);

// Equality whose time does not depend on where the inputs differ (sodium_memcmp). Only a length
// difference returns early, so at most the length is revealed.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace motcua::secure
