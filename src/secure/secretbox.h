// Authenticated encryption of small secrets at rest (TOTP seeds in the store's secrets table):
// libsodium crypto_secretbox (XSalsa20-Poly1305) under one 32-byte server key kept in a key file
// outside the database, so a stolen database alone reveals no seed. Sealed form:
// base64url(24-byte random nonce || ciphertext with its 16-byte tag).
// Thread-safety: SecretKey's const methods are thread-safe; the key itself is move-only.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"

namespace motcua::secure {

class SecretKey {
 public:
  static constexpr size_t kBytes = 32;

  // Loads the key file, or creates it when missing: 32 random bytes written to a temporary file
  // (mode 0600, fsynced) and linked into place, so a reader never sees a partial key and two
  // processes starting together end up with the same key. The directory must exist.
  // Errors: secure.key_permissions (kPermissionDenied: the file grants any access to group or
  // others, or is not a regular file), secure.bad_key (kDataLoss: not exactly 32 bytes),
  // secure.key_io (kFailedPrecondition: cannot read/create; the detail names the path).
  [[nodiscard]] static Result<SecretKey> LoadOrCreate(const std::filesystem::path& path);
  // A key from raw bytes (tests, key rotation tools). Errors: secure.bad_key.
  [[nodiscard]] static Result<SecretKey> FromBytes(std::string_view bytes);

  SecretKey(SecretKey&&) noexcept = default;
  SecretKey& operator=(SecretKey&&) noexcept = default;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey() = default;  // the key bytes are wiped by KeyDeleter

  // Encrypts with a fresh random nonce. A non-empty `context` (e.g. "totp/<account id>") binds
  // the box to where it is stored: it is sealed under a subkey derived from the key and the
  // context (keyed BLAKE2b), so a box copied into another account's row does not open there.
  std::string Seal(std::string_view plaintext, std::string_view context = {}) const;
  // The plaintext. Errors: secure.bad_ciphertext (kDataLoss: not base64url, too short, tampered,
  // sealed under another key or another context).
  [[nodiscard]] Result<std::string> Open(std::string_view sealed,
                                         std::string_view context = {}) const;
  // A 32-byte keyed MAC (BLAKE2b under the subkey for `context`, which must not be empty) of
  // `data`: deterministic for this key, unguessable without it (e.g. a dossier's lookup key).
  std::string Mac(std::string_view data, std::string_view context) const;

 private:
  struct KeyDeleter {
    void operator()(unsigned char* p) const;
  };
  using KeyBytes = std::unique_ptr<unsigned char[], KeyDeleter>;
  explicit SecretKey(KeyBytes key) : key_(std::move(key)) {}
  // The key for `context` into out (kBytes).
  void SubKey(std::string_view context, unsigned char* out) const;

  KeyBytes key_;  // kBytes; null only in a moved-from key (using one is a bug: aborts)
};

}  // namespace motcua::secure
