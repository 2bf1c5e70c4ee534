#include "http/metrics.h"

#include <cmath>
#include <cstdio>

namespace motcua::http {

namespace {

constexpr std::array<std::string_view, 8> kMethodNames = {"GET",   "HEAD",   "POST",    "PUT",
                                                          "PATCH", "DELETE", "OPTIONS", "other"};
// Seconds; from 5 ms (a cached read) to 10 s (the body timeout's order of magnitude).
constexpr std::array<double, 11> kBucketBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                  0.5,   1,    2.5,   5,    10};
constexpr std::array<std::string_view, 11> kBucketLabels = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"};

size_t MethodIndex(std::string_view m) {
  for (size_t i = 0; i + 1 < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == m) return i;
  }
  return kMethodNames.size() - 1;
}

// A label value: backslash, double quote and newline escaped (format 0.0.4).
std::string Label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// HELP text: backslash and newline escaped.
std::string Help(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[40];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.17g", v);
  }
  return buf;
}

void Family(std::string& out, std::string_view name, std::string_view type,
            std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += Help(help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

Metrics::Metrics(const std::vector<std::string>& routes, const std::vector<std::string>& error_keys,
                 std::vector<MetricGauge> gauges, double start_time_s)
    : gauges_(std::move(gauges)), start_time_s_(start_time_s) {
  auto add_route = [&](std::string_view r) {
    if (route_index_.contains(r)) return;
    route_index_.emplace(std::string(r), routes_.size());
    routes_.push_back(std::make_unique<RouteStats>());
  };
  for (const std::string& r : routes) add_route(r);
  add_route(kStaticRoute);
  add_route(kOtherRoute);
  for (const std::string& k : error_keys) {
    if (k != kOtherRoute) error_index_.emplace(k, error_index_.size());
  }
  error_slots_ = error_index_.size() + 1;
  errors_ = std::make_unique<std::atomic<uint64_t>[]>(error_slots_);
  error_index_.emplace(std::string(kOtherRoute), error_slots_ - 1);
}

Metrics::~Metrics() = default;

bool Metrics::ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

size_t Metrics::RouteIndex(std::string_view route) const {
  auto it = route_index_.find(route);
  if (it == route_index_.end()) it = route_index_.find(kOtherRoute);
  return it->second;
}

void Metrics::Observe(std::string_view method, std::string_view route, unsigned status,
                      double seconds) {
  RouteStats& r = *routes_[RouteIndex(route)];
  MethodCounts& m = r.methods[MethodIndex(method)];
  bool counted = false;
  for (StatusSlot& slot : m.slots) {
    uint32_t s = slot.status.load(std::memory_order_acquire);
    // A free slot is claimed once; a racing thread that claimed it first may have claimed it
    // for the same status.
    if (s == 0 && slot.status.compare_exchange_strong(s, status, std::memory_order_acq_rel)) {
      s = status;
    }
    if (s == status) {
      slot.count.fetch_add(1, std::memory_order_relaxed);
      counted = true;
      break;
    }
  }
  if (!counted) m.other_status.fetch_add(1, std::memory_order_relaxed);

  size_t b = 0;
  while (b < kBuckets && seconds > kBucketBounds[b]) ++b;
  r.buckets[b].fetch_add(1, std::memory_order_relaxed);
  const double us = std::max(0.0, seconds) * 1e6;
  r.sum_us.fetch_add(static_cast<uint64_t>(std::min(us, 1e15)), std::memory_order_relaxed);
}

void Metrics::CountError(std::string_view key) {
  auto it = error_index_.find(key);
  const size_t i = it == error_index_.end() ? error_slots_ - 1 : it->second;
  errors_[i].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::CountRateLimited() { rate_limited_.fetch_add(1, std::memory_order_relaxed); }
void Metrics::ConnectionOpened() { connections_open_.fetch_add(1, std::memory_order_relaxed); }
void Metrics::ConnectionClosed() { connections_open_.fetch_sub(1, std::memory_order_relaxed); }

std::string Metrics::Render() const {
  std::string out;
  out.reserve(8192);

  Family(out, "motcua_http_requests_total", "counter",
         "HTTP requests answered, by method, route pattern and status.");
  for (const auto& [route, ri] : route_index_) {
    const RouteStats& r = *routes_[ri];
    for (size_t mi = 0; mi < kMethods; ++mi) {
      const MethodCounts& m = r.methods[mi];
      auto line = [&](std::string_view status, uint64_t n) {
        out += "motcua_http_requests_total{method=\"";
        out += kMethodNames[mi];
        out += "\",route=\"" + Label(route) + "\",status=\"";
        out += status;
        out += "\"} " + std::to_string(n) + "\n";
      };
      for (const StatusSlot& slot : m.slots) {
        const uint32_t s = slot.status.load(std::memory_order_acquire);
        const uint64_t n = slot.count.load(std::memory_order_relaxed);
        if (s != 0 && n > 0) line(std::to_string(s), n);
      }
      if (const uint64_t n = m.other_status.load(std::memory_order_relaxed)) line("other", n);
    }
  }

  Family(out, "motcua_http_request_duration_seconds", "histogram",
         "Time from the end of the request header to the response being handed to the socket.");
  for (const auto& [route, ri] : route_index_) {
    const RouteStats& r = *routes_[ri];
    // Read each bucket once and derive the count from them, so that +Inf equals _count even
    // while requests are being recorded.
    std::array<uint64_t, kBuckets + 1> n{};
    uint64_t total = 0;
    for (size_t b = 0; b <= kBuckets; ++b) {
      n[b] = r.buckets[b].load(std::memory_order_relaxed);
      total += n[b];
    }
    if (total == 0) continue;
    const std::string labels = "route=\"" + Label(route) + "\"";
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets; ++b) {
      cumulative += n[b];
      out += "motcua_http_request_duration_seconds_bucket{" + labels + ",le=\"";
      out += b < kBuckets ? kBucketLabels[b] : std::string_view("+Inf");
      out += "\"} " + std::to_string(cumulative) + "\n";
    }
    char sum[48];
    std::snprintf(sum, sizeof sum, "%.6f",
                  static_cast<double>(r.sum_us.load(std::memory_order_relaxed)) / 1e6);
    out += "motcua_http_request_duration_seconds_sum{" + labels + "} " + sum + "\n";
    out += "motcua_http_request_duration_seconds_count{" + labels + "} " +
           std::to_string(total) + "\n";
  }

  Family(out, "motcua_http_errors_total", "counter",
         "Error responses by stable error key (keys outside the catalogue count as other).");
  for (const auto& [key, i] : error_index_) {
    if (const uint64_t n = errors_[i].load(std::memory_order_relaxed)) {
      out += "motcua_http_errors_total{key=\"" + Label(key) + "\"} " + std::to_string(n) + "\n";
    }
  }

  Family(out, "motcua_http_connections_open", "gauge", "Client connections currently open.");
  out += "motcua_http_connections_open " +
         std::to_string(connections_open_.load(std::memory_order_relaxed)) + "\n";
  Family(out, "motcua_http_rate_limited_total", "counter",
         "Requests refused with 429 by the per-client rate limit.");
  out += "motcua_http_rate_limited_total " +
         std::to_string(rate_limited_.load(std::memory_order_relaxed)) + "\n";
  Family(out, "motcua_process_start_time_seconds", "gauge",
         "Start time of the process since the Unix epoch, in seconds.");
  out += "motcua_process_start_time_seconds " + Number(start_time_s_) + "\n";

  for (const MetricGauge& g : gauges_) {
    Family(out, g.name, "gauge", g.help);
    out += g.name + " " + Number(g.value ? g.value() : std::nan("")) + "\n";
  }
  return out;
}

}  // namespace motcua::http
