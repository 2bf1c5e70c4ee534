// Private to src/secure: libsodium initialisation and base64url helpers shared by the adapters.
// Thread-safety: thread-safe (sodium_init runs once, under a function-local static).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace motcua::secure::detail {

// Initialises libsodium on first use; later calls are free. A library that cannot initialise
// has no usable random source, so this aborts the process (an always-fatal check).
void EnsureSodium();

// RFC 4648 §5 base64url without padding.
std::string Base64UrlEncode(std::string_view bytes);
// Strict: only the URL-safe alphabet, no padding, no whitespace; nullopt otherwise.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace motcua::secure::detail
