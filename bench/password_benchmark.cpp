// Credential benchmark (issue #4): prints
//   1. Argon2id hashes per second and milliseconds per hash for the kTesting, kInteractive and
//      kModerate presets, with the memory each hash holds (the preset's m), side by side with
//      kInteractive as the baseline ratio;
//   2. a login burst: 8 threads hashing at kInteractive through a HashLimiter of 2 permits, with
//      the throughput and the peak Argon2id memory the limiter allowed (permits × m), against
//      the unbounded figure 8 threads would have asked for;
//   3. TOTP verifications per second (SHA-1, 6 digits) with window 0 (baseline) and window 1.
// Usage: password_benchmark [--smoke]. Figures are printed, never asserted.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "secure/password.h"
#include "secure/totp.h"

namespace {

using namespace motcua;
using namespace motcua::secure;

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double MiB(size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

struct HashRun {
  int hashes = 0;
  double seconds = 0;
  double per_second() const { return hashes / seconds; }
  double ms_per_hash() const { return 1000.0 * seconds / hashes; }
};

// Hashes for at least `min_seconds` and at least `min_hashes` times; verifies the last hash so
// that the work cannot be skipped.
HashRun TimeHashes(PasswordCost cost, int min_hashes, double min_seconds) {
  HashRun r;
  std::string last;
  const auto t0 = std::chrono::steady_clock::now();
  while (r.hashes < min_hashes || Seconds(t0) < min_seconds) {
    auto phc = HashPassword("bench password " + std::to_string(r.hashes), cost);
    if (!phc) {
      std::fprintf(stderr, "bench: %s\n", phc.error().ToString().c_str());
      std::exit(1);
    }
    last = std::move(*phc);
    ++r.hashes;
  }
  r.seconds = Seconds(t0);
  if (!VerifyPassword(last, "bench password " + std::to_string(r.hashes - 1))) {
    std::fprintf(stderr, "bench: hash does not verify\n");
    std::exit(1);
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--smoke")) smoke = true;
  }
  std::printf("motcua credential benchmark (%s), %u hardware threads\n", smoke ? "smoke" : "full",
              std::thread::hardware_concurrency());

  // 1. Presets.
  struct Preset {
    const char* name;
    PasswordCost cost;
    int min_hashes;
    double min_seconds;
  };
  const Preset presets[] = {
      {"kTesting", kTesting, smoke ? 5 : 2000, smoke ? 0.0 : 2.0},
      {"kInteractive", kInteractive, smoke ? 1 : 20, smoke ? 0.0 : 3.0},
      {"kModerate", kModerate, smoke ? 1 : 5, smoke ? 0.0 : 3.0},
  };
  std::printf("\nArgon2id (libsodium, p=1), one thread\n");
  std::printf("%-13s %4s %10s %9s %12s %12s %20s\n", "preset", "t", "m (MiB)", "hashes", "hashes/s",
              "ms/hash", "time / kInteractive");
  HashRun runs[3];
  for (int i = 0; i < 3; ++i)
    runs[i] = TimeHashes(presets[i].cost, presets[i].min_hashes, presets[i].min_seconds);
  for (int i = 0; i < 3; ++i) {
    std::printf("%-13s %4llu %10.3f %9d %12.1f %12.3f %20.4g\n", presets[i].name,
                static_cast<unsigned long long>(presets[i].cost.ops),
                MiB(presets[i].cost.mem_bytes), runs[i].hashes, runs[i].per_second(),
                runs[i].ms_per_hash(), runs[i].ms_per_hash() / runs[1].ms_per_hash());
  }

  // 2. A login burst through the limiter.
  const int threads = 8;
  const int permits = 2;
  const int per_thread = smoke ? 1 : 4;
  HashLimiter limiter(permits);
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        auto permit = limiter.Acquire();
        const int now = ++running;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        auto phc = HashPassword("burst " + std::to_string(t), kInteractive);
        --running;
        if (!phc) std::abort();
      }
    });
  }
  for (auto& th : pool) th.join();
  const double burst_s = Seconds(t0);
  const int burst_hashes = threads * per_thread;
  std::printf("\nLogin burst: %d threads, HashLimiter(%d), kInteractive\n", threads, permits);
  std::printf(
      "  %d hashes in %.2f s = %.1f hashes/s; peak concurrent %d → Argon2id memory %.0f "
      "MiB (unbounded: %.0f MiB)\n",
      burst_hashes, burst_s, burst_hashes / burst_s, peak.load(),
      peak.load() * MiB(kInteractive.mem_bytes), threads * MiB(kInteractive.mem_bytes));

  // 3. TOTP verification.
  const std::string secret = NewTotpSecret();
  const int64_t base = 1'750'000'000;
  const int n = smoke ? 200 : 200'000;
  std::vector<std::string> codes;
  codes.reserve(1000);
  for (int i = 0; i < 1000; ++i) codes.push_back(*Totp(secret, base + 30 * i));
  std::printf("\nTOTP (HMAC-SHA1, 6 digits, 30 s)\n");
  double baseline_rate = 0;
  for (int window : {0, 1}) {
    int accepted = 0;
    const auto v0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      const int k = i % 1000;
      if (VerifyTotp(secret, codes[static_cast<size_t>(k)], base + 30 * k, window, -1)) {
        ++accepted;
      }
    }
    const double s = Seconds(v0);
    const double rate = n / s;
    if (window == 0) baseline_rate = rate;
    std::printf(
        "  window %d (%d HMACs): %.0f verifications/s, %.2f µs each, %.2fx window 0 "
        "(%d/%d accepted)\n",
        window, 2 * window + 1, rate, 1e6 * s / n, baseline_rate / rate, accepted, n);
    if (accepted != n) {
      std::fprintf(stderr, "bench: a valid code was refused\n");
      return 1;
    }
  }

  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("\nprocess peak RSS: %.0f MiB\n", ru.ru_maxrss / 1024.0);
  return 0;
}
