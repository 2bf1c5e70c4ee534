#include "secure/detail/sodium.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace motcua::secure::detail {

void EnsureSodium() {
  // sodium_init is itself thread-safe and idempotent; the static only saves the call.
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("motcua: libsodium failed to initialise (no random source)\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

std::string Base64UrlEncode(std::string_view bytes) {
  EnsureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the encoder writes a terminating NUL
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  EnsureSodium();
  std::string out(text.size() * 3 / 4 + 1, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

}  // namespace motcua::secure::detail
