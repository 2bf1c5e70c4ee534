// Password hashing with Argon2id (libsodium crypto_pwhash, RFC 9106), stored as the PHC string
// "$argon2id$v=19$m=<KiB>,t=<passes>,p=1$<salt>$<hash>" that carries its own salt and cost, so
// the cost can be raised later and old hashes upgraded on the next successful login.
//
// Memory: each hash holds `mem_bytes` for its whole run (64 MiB at kInteractive, 256 MiB at
// kModerate). A burst of 100 logins would ask for 6.4 GiB, so callers MUST bound concurrency:
// hash and verify under a HashLimiter permit (a few permits; the rest wait their turn).
// Thread-safety: the functions are thread-safe; HashLimiter is thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/error.h"

namespace motcua::secure {

// Argon2id cost: passes over memory (t) and memory in bytes (m). libsodium always uses one lane
// (p = 1).
struct PasswordCost {
  uint64_t ops = 0;
  size_t mem_bytes = 0;
  friend bool operator==(const PasswordCost&, const PasswordCost&) = default;
};

// libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE: t = 2, m = 64 MiB. Above OWASP's Argon2id minimum
// (t = 2, m = 19 MiB, p = 1); the one for accounts (docs/impl/credentials.md).
inline constexpr PasswordCost kInteractive{2, size_t{64} << 20};
// libsodium's OPSLIMIT/MEMLIMIT_MODERATE: t = 3, m = 256 MiB (offline-grade secrets).
inline constexpr PasswordCost kModerate{3, size_t{256} << 20};
// libsodium's minimums (t = 1, m = 8 KiB): for tests and the demo only, never for real accounts.
inline constexpr PasswordCost kTesting{1, 8192};

// Longest password accepted (bytes). Bounds the work an anonymous request can cause; the
// policy's own limit (domain::CheckPasswordPolicy, 128 characters) is lower.
inline constexpr size_t kMaxPasswordBytes = 1024;

// Hashes `password` with a fresh random salt. Errors: account.password_too_long (more than
// kMaxPasswordBytes), account.password_invalid (contains NUL), secure.bad_cost (cost outside
// libsodium's limits), secure.hash_failed (kResourceExhausted: the memory could not be had).
[[nodiscard]] Result<std::string> HashPassword(std::string_view password, PasswordCost cost);

// True when `password` matches the PHC string. False for a wrong password and for anything that
// is not a well-formed $argon2id$ string (including one asking for more than 1 GiB, so a
// corrupted row cannot make a login allocate without bound). Never throws.
[[nodiscard]] bool VerifyPassword(std::string_view phc, std::string_view password);

// True when the PHC string was not made by HashPassword with exactly `cost` (different cost,
// another algorithm, or malformed): rehash after the next successful VerifyPassword.
[[nodiscard]] bool NeedsRehash(std::string_view phc, PasswordCost cost);

// A counting semaphore bounding concurrent Argon2id runs, hence their memory (N × mem_bytes).
//   HashLimiter limiter(2);
//   auto permit = limiter.Acquire();   // waits while 2 hashes run
//   bool ok = VerifyPassword(stored, password);
class HashLimiter {
 public:
  // At least one permit, whatever `max_concurrent` says.
  explicit HashLimiter(int max_concurrent);
  HashLimiter(const HashLimiter&) = delete;
  HashLimiter& operator=(const HashLimiter&) = delete;

  // Holds one permit until destroyed. Move-only.
  class Permit {
   public:
    Permit(Permit&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    Permit& operator=(Permit&& other) noexcept;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit();

   private:
    friend class HashLimiter;
    explicit Permit(HashLimiter* owner) : owner_(owner) {}
    HashLimiter* owner_;
  };

  // Waits until a permit is free.
  [[nodiscard]] Permit Acquire();
  // A permit if one is free now, otherwise nullopt (for callers that prefer to answer "busy").
  [[nodiscard]] std::optional<Permit> TryAcquire();

  int max_concurrent() const { return max_; }
  int in_use() const;

 private:
  void Release();

  // Constant after construction.
  const int max_;
  // Guarded by mu_.
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int in_use_ = 0;
};

}  // namespace motcua::secure
