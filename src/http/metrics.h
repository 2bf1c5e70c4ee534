// The server's metrics in the Prometheus text exposition format 0.0.4 (GET /metrics):
// requests by method, route pattern and status, request duration histograms by route, error
// keys, open connections, rate-limited requests, process start time, and gauges supplied by the
// embedding program (the store's write queue…). Label values come from fixed sets given at
// construction — route patterns, never raw paths — so the output cannot grow with traffic.
// Thread-safety: recording is lock-free (atomics; the tables are built once in the
// constructor); Render may run concurrently with recording.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::http {

// A value the embedding program reads on each scrape: name (a Prometheus metric name, e.g.
// "motcua_store_pending_writes"), help text, and the function that reads it (called on the
// scraping thread; it must be thread-safe and quick).
struct MetricGauge {
  std::string name;
  std::string help;
  std::function<double()> value;
};

class Metrics {
 public:
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";
  // Route labels that every server has besides its API patterns.
  static constexpr std::string_view kStaticRoute = "static";
  static constexpr std::string_view kOtherRoute = "other";

  // `routes`: the route labels to count (the API's patterns, "/healthz", "/metrics"…); "static"
  // and "other" are always added, and any other label given to Observe counts as "other".
  // `error_keys`: the error keys counted by name (the message catalogue's); others count as
  // "other". `start_time_s`: the process start, in seconds since the Unix epoch.
  Metrics(const std::vector<std::string>& routes, const std::vector<std::string>& error_keys,
          std::vector<MetricGauge> gauges, double start_time_s);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One answered request.
  void Observe(std::string_view method, std::string_view route, unsigned status, double seconds);
  // One error response, by its stable key.
  void CountError(std::string_view key);
  void CountRateLimited();
  void ConnectionOpened();
  void ConnectionClosed();

  // The exposition text: every family with # HELP and # TYPE, label sets in a stable order.
  std::string Render() const;

  // [a-zA-Z_:][a-zA-Z0-9_:]*
  static bool ValidName(std::string_view name);

 private:
  static constexpr size_t kMethods = 8;        // GET HEAD POST PUT PATCH DELETE OPTIONS other
  static constexpr size_t kStatusSlots = 16;   // distinct statuses per (route, method)
  static constexpr size_t kBuckets = 11;       // finite histogram buckets (+Inf kept apart)

  struct StatusSlot {
    std::atomic<uint32_t> status{0};  // 0: free; set once
    std::atomic<uint64_t> count{0};
  };
  struct MethodCounts {
    std::array<StatusSlot, kStatusSlots> slots;
    std::atomic<uint64_t> other_status{0};  // past kStatusSlots distinct statuses
  };
  struct RouteStats {
    std::array<MethodCounts, kMethods> methods;
    std::array<std::atomic<uint64_t>, kBuckets + 1> buckets{};  // per bucket, not cumulative
    std::atomic<uint64_t> sum_us{0};
  };

  size_t RouteIndex(std::string_view route) const;

  // Constant after construction.
  std::map<std::string, size_t, std::less<>> route_index_;
  std::vector<std::unique_ptr<RouteStats>> routes_;
  std::map<std::string, size_t, std::less<>> error_index_;  // the last slot is "other"
  std::unique_ptr<std::atomic<uint64_t>[]> errors_;
  size_t error_slots_ = 0;
  std::vector<MetricGauge> gauges_;
  double start_time_s_;

  std::atomic<int64_t> connections_open_{0};
  std::atomic<uint64_t> rate_limited_{0};
};

}  // namespace motcua::http
