// The token buckets with an explicit clock: burst, refill, Retry-After, separate clients,
// bounded memory, disabled limiter, and exact accounting under concurrent callers.
#include "http/detail/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace motcua::http::detail {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(RateLimiterTest, BurstThenRefillAtTheRate) {
  RateLimiter limiter(2.0, 3.0, 1000);  // 2 per second, 3 at once
  const int64_t t0 = 1000 * kSecond;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("203.0.113.7", t0).allowed) << i;
  const auto refused = limiter.Take("203.0.113.7", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 1);  // half a second, rounded up
  // Another client has its own bucket.
  EXPECT_TRUE(limiter.Take("198.51.100.1", t0).allowed);
  // Half a second later one token is back, and only one.
  EXPECT_TRUE(limiter.Take("203.0.113.7", t0 + kSecond / 2).allowed);
  EXPECT_FALSE(limiter.Take("203.0.113.7", t0 + kSecond / 2).allowed);
  // A long pause refills to the burst, not beyond.
  const int64_t later = t0 + 3600 * kSecond;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("203.0.113.7", later).allowed) << i;
  EXPECT_FALSE(limiter.Take("203.0.113.7", later).allowed);
}

TEST(RateLimiterTest, RetryAfterForASlowRate) {
  RateLimiter limiter(0.01, 1.0, 1000);  // one request per 100 s
  EXPECT_TRUE(limiter.Take("a", 0).allowed);
  const auto d = limiter.Take("a", 0);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_s, 100);
  EXPECT_EQ(limiter.Take("a", 40 * kSecond).retry_after_s, 60);
}

TEST(RateLimiterTest, ZeroRateDisables) {
  RateLimiter limiter(0, 1, 10);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Take("a", 0).allowed);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiterTest, MemoryIsBounded) {
  RateLimiter limiter(1.0, 2.0, 16 * 4);  // 4 buckets per shard
  for (int i = 0; i < 10000; ++i) {
    (void)limiter.Take("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256),
                       static_cast<int64_t>(i));
  }
  EXPECT_LE(limiter.size(), 64u);
  // Refused clients stay refused while the table is within bounds.
  RateLimiter small(1.0, 1.0, 1000);
  const int64_t t0 = 100 * kSecond;
  EXPECT_TRUE(small.Take("busy", t0).allowed);
  for (int i = 0; i < 20; ++i) (void)small.Take("other-" + std::to_string(i), t0);
  EXPECT_FALSE(small.Take("busy", t0).allowed);
  EXPECT_EQ(small.size(), 21u);
}

TEST(RateLimiterTest, Ipv6ClientsAreKeyedByTheirSlash64) {
  EXPECT_EQ(RateLimiter::KeyOf("2001:db8:1:2:aaaa::1"), RateLimiter::KeyOf("2001:db8:1:2::ffff"));
  EXPECT_NE(RateLimiter::KeyOf("2001:db8:1:2::1"), RateLimiter::KeyOf("2001:db8:1:3::1"));
  EXPECT_EQ(RateLimiter::KeyOf("203.0.113.7"), "203.0.113.7");
  RateLimiter limiter(1.0, 1.0, 100);
  EXPECT_TRUE(limiter.Take(RateLimiter::KeyOf("2001:db8::1"), 0).allowed);
  EXPECT_FALSE(limiter.Take(RateLimiter::KeyOf("2001:db8::2"), 0).allowed);
}

TEST(RateLimiterTest, ConcurrentCallersNeverGetMoreThanTheBurst) {
  RateLimiter limiter(1e-6, 100.0, 1000);  // practically no refill during the test
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (limiter.Take("one", 0).allowed) ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 100);
}

}  // namespace
}  // namespace motcua::http::detail
