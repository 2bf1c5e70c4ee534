#include "http/detail/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "http/detail/client_address.h"

namespace motcua::http::detail {

RateLimiter::RateLimiter(double rate_per_second, double burst, size_t max_clients)
    : rate_(rate_per_second),
      burst_(std::max(1.0, burst)),
      max_per_shard_(std::max<size_t>(1, max_clients / kShards)),
      refill_ns_(rate_per_second > 0
                     ? static_cast<int64_t>(std::min(std::ceil(burst_ / rate_per_second * 1e9),
                                                     9e18))
                     : 0) {}

std::string RateLimiter::KeyOf(std::string_view address) {
  const auto a = ParseAddress(address);
  if (!a || a->is_v4()) return std::string(address);
  auto bytes = a->to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

RateLimiter::Decision RateLimiter::Take(std::string_view client, int64_t now_ns) {
  if (rate_ <= 0) return {};
  Shard& shard = shards_[std::hash<std::string_view>{}(client) % kShards];
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.buckets.find(std::string(client));
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_per_shard_) {
      // Sweeping is linear; under a flood of new addresses do it at most once a second and
      // otherwise drop any bucket.
      if (now_ns >= shard.next_sweep_ns) Sweep(shard, now_ns);
      if (shard.buckets.size() >= max_per_shard_) shard.buckets.erase(shard.buckets.begin());
    }
    it = shard.buckets.emplace(std::string(client), Bucket{burst_, now_ns}).first;
  }
  Bucket& b = it->second;
  if (now_ns > b.last_ns) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now_ns - b.last_ns) * 1e-9 * rate_);
    b.last_ns = now_ns;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  const double wait_s = (1.0 - b.tokens) / rate_;
  return Decision{false, std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_s)))};
}

void RateLimiter::Sweep(Shard& shard, int64_t now_ns) const {
  shard.next_sweep_ns = now_ns + 1'000'000'000;
  std::erase_if(shard.buckets, [&](const auto& kv) {
    const Bucket& b = kv.second;
    return now_ns - b.last_ns >= refill_ns_;
  });
}

size_t RateLimiter::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard<std::mutex> lock(s.mu);
    n += s.buckets.size();
  }
  return n;
}

}  // namespace motcua::http::detail
