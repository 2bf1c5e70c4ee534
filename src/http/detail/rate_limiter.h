// Per-client token buckets: each client may make `burst` requests at once and `rate` per second
// on average. Memory is bounded: at most `max_clients` buckets; a bucket that has refilled is the
// same as no bucket and is the first to go; when every bucket is busy (many addresses at once),
// an arbitrary one is dropped, which only ever lets its client through sooner.
// Time is passed in (steady nanoseconds) so that tests need no sleeping.
// Thread-safety: thread-safe; buckets are sharded by key so that clients rarely share a mutex.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace motcua::http::detail {

class RateLimiter {
 public:
  // rate <= 0 disables the limiter (Take always allows).
  RateLimiter(double rate_per_second, double burst, size_t max_clients);

  struct Decision {
    bool allowed = true;
    int64_t retry_after_s = 0;  // when refused: whole seconds until one token is back (>= 1)
  };
  // Takes one token from `client`'s bucket at time `now_ns`.
  Decision Take(std::string_view client, int64_t now_ns);
  // Buckets held (for tests and metrics).
  size_t size() const;

  // The bucket key of an address: IPv6 clients are keyed by their /64 (one subscriber's
  // allocation, which they can rotate through at will), IPv4 by the address.
  static std::string KeyOf(std::string_view address);

 private:
  struct Bucket {
    double tokens;
    int64_t last_ns;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;  // guarded by mu
    int64_t next_sweep_ns = INT64_MIN;                // guarded by mu
  };
  static constexpr size_t kShards = 16;

  // Removes the buckets that have refilled by `now_ns`. Requires shard.mu.
  void Sweep(Shard& shard, int64_t now_ns) const;

  // Constant after construction.
  const double rate_;
  const double burst_;
  const size_t max_per_shard_;
  const int64_t refill_ns_;  // time for an empty bucket to fill up
  std::array<Shard, kShards> shards_;
};

}  // namespace motcua::http::detail
