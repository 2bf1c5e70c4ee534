#include "secure/random.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>

#include "secure/detail/sodium.h"

namespace motcua::secure {

std::string RandomBytes(size_t n) {
  detail::EnsureSodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string RandomToken(size_t bytes) { return detail::Base64UrlEncode(RandomBytes(bytes)); }

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) {
    // Only a broken OpenSSL installation fails here; a digest that silently came out empty
    // would make every token compare equal to every other.
    std::abort();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(size_t{len} * 2, '\0');
  for (unsigned int i = 0; i < len; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 0xf];
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  detail::EnsureSodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace motcua::secure
