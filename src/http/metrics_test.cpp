// The metrics registry: its exposition text is parsed back with a small format-0.0.4 reader
// (every sample belongs to a family announced by # TYPE, label syntax, cumulative histogram
// buckets ending in +Inf = _count) and the values checked, including under concurrent writers.
#include "http/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace motcua::http {
namespace {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct Exposition {
  std::map<std::string, std::string> types;  // family → type
  std::map<std::string, std::string> help;
  std::vector<Sample> samples;

  double Value(const std::string& name, const std::map<std::string, std::string>& labels) const {
    for (const Sample& s : samples) {
      if (s.name == name && s.labels == labels) return s.value;
    }
    return -1;
  }
  size_t Count(const std::string& name) const {
    size_t n = 0;
    for (const Sample& s : samples) n += s.name == name;
    return n;
  }
};

bool NameOk(const std::string& n) { return Metrics::ValidName(n); }

// Parses the text; any deviation from the format is a test failure.
Exposition ParseExposition(const std::string& text) {
  Exposition out;
  EXPECT_TRUE(text.empty() || text.back() == '\n');
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const std::string rest = line.substr(7);
      const size_t sp = rest.find(' ');
      EXPECT_NE(sp, std::string::npos) << line;
      const std::string family = rest.substr(0, sp);
      EXPECT_TRUE(NameOk(family)) << line;
      if (line[2] == 'T') {
        const std::string type = rest.substr(sp + 1);
        EXPECT_TRUE(type == "counter" || type == "gauge" || type == "histogram") << line;
        EXPECT_FALSE(out.types.contains(family)) << "family announced twice: " << family;
        out.types[family] = type;
      } else {
        out.help[family] = rest.substr(sp + 1);
      }
      continue;
    }
    EXPECT_FALSE(line.empty() || line[0] == '#') << "unexpected line: " << line;
    Sample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = line.substr(0, i);
    EXPECT_TRUE(NameOk(s.name)) << line;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const size_t eq = line.find('=', i);
        EXPECT_NE(eq, std::string::npos) << line;
        if (eq == std::string::npos) break;
        const std::string label = line.substr(i, eq - i);
        EXPECT_TRUE(NameOk(label)) << line;
        EXPECT_EQ(line[eq + 1], '"') << line;
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) {
            ++j;
            value.push_back(line[j] == 'n' ? '\n' : line[j]);
          } else {
            value.push_back(line[j]);
          }
        }
        EXPECT_LT(j, line.size()) << "unterminated label value: " << line;
        EXPECT_FALSE(s.labels.contains(label)) << line;
        s.labels[label] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      EXPECT_LT(i, line.size()) << line;
      ++i;  // '}'
    }
    EXPECT_EQ(line[i], ' ') << line;
    const std::string v = line.substr(i + 1);
    if (v == "+Inf") {
      s.value = INFINITY;
    } else if (v == "NaN") {
      s.value = NAN;
    } else {
      size_t used = 0;
      s.value = std::stod(v, &used);
      EXPECT_EQ(used, v.size()) << line;
    }
    // The family: the name itself, or a histogram's name without its suffix.
    std::string family = s.name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (!out.types.contains(family) && family.ends_with(suffix)) {
        family = family.substr(0, family.size() - std::string(suffix).size());
      }
    }
    EXPECT_TRUE(out.types.contains(family)) << "sample before its # TYPE: " << line;
    out.samples.push_back(std::move(s));
  }
  return out;
}

// Histogram invariants for every route: buckets cumulative, +Inf last and equal to _count.
void CheckHistograms(const Exposition& e, const std::string& family) {
  std::map<std::string, std::vector<std::pair<double, double>>> buckets;  // route → (le, n)
  for (const Sample& s : e.samples) {
    if (s.name != family + "_bucket") continue;
    const std::string le = s.labels.at("le");
    buckets[s.labels.at("route")].emplace_back(le == "+Inf" ? INFINITY : std::stod(le), s.value);
  }
  for (const auto& [route, b] : buckets) {
    ASSERT_FALSE(b.empty());
    for (size_t i = 1; i < b.size(); ++i) {
      EXPECT_LT(b[i - 1].first, b[i].first) << route;
      EXPECT_LE(b[i - 1].second, b[i].second) << route;
    }
    EXPECT_TRUE(std::isinf(b.back().first)) << route;
    EXPECT_EQ(b.back().second, e.Value(family + "_count", {{"route", route}})) << route;
  }
}

const std::vector<std::string> kRoutes = {"/api/v1/health", "/api/v1/dossiers/{code}",
                                          "/healthz", "/metrics"};

TEST(MetricsTest, RendersWhatWasRecorded) {
  double pending = 7;
  Metrics m(kRoutes, {"dossier.not_found", "http.rate_limited"},
            {MetricGauge{"motcua_store_pending_writes", "Writes waiting for the writer thread.",
                         [&] { return pending; }}},
            1772503200.5);
  m.Observe("GET", "/api/v1/dossiers/{code}", 200, 0.003);
  m.Observe("GET", "/api/v1/dossiers/{code}", 200, 0.2);
  m.Observe("GET", "/api/v1/dossiers/{code}", 404, 20.0);
  m.Observe("POST", "/api/v1/health", 405, 0.001);
  m.Observe("BREW", "static", 405, 0.001);                   // an unusual method
  m.Observe("GET", "/api/v1/dossiers/99501-260303-0001", 200, 0.001);  // never a raw path
  m.CountError("dossier.not_found");
  m.CountError("made.up");
  m.CountRateLimited();
  m.ConnectionOpened();
  m.ConnectionOpened();
  m.ConnectionClosed();

  const std::string text = m.Render();
  const Exposition e = ParseExposition(text);
  EXPECT_EQ(e.types.at("motcua_http_requests_total"), "counter");
  EXPECT_EQ(e.types.at("motcua_http_request_duration_seconds"), "histogram");
  EXPECT_EQ(e.types.at("motcua_http_connections_open"), "gauge");
  EXPECT_EQ(e.types.at("motcua_store_pending_writes"), "gauge");
  for (const auto& [family, type] : e.types) EXPECT_FALSE(e.help.at(family).empty()) << family;

  const std::string c = "motcua_http_requests_total";
  EXPECT_EQ(e.Value(c, {{"method", "GET"}, {"route", "/api/v1/dossiers/{code}"}, {"status", "200"}}),
            2);
  EXPECT_EQ(e.Value(c, {{"method", "GET"}, {"route", "/api/v1/dossiers/{code}"}, {"status", "404"}}),
            1);
  EXPECT_EQ(e.Value(c, {{"method", "POST"}, {"route", "/api/v1/health"}, {"status", "405"}}), 1);
  EXPECT_EQ(e.Value(c, {{"method", "other"}, {"route", "static"}, {"status", "405"}}), 1);
  EXPECT_EQ(e.Value(c, {{"method", "GET"}, {"route", "other"}, {"status", "200"}}), 1);
  EXPECT_EQ(text.find("99501-260303-0001"), std::string::npos);
  EXPECT_EQ(text.find("BREW"), std::string::npos);
  EXPECT_EQ(e.Count(c), 5u);  // nothing for label sets never seen

  const std::string h = "motcua_http_request_duration_seconds";
  const std::map<std::string, std::string> dossier = {{"route", "/api/v1/dossiers/{code}"}};
  EXPECT_EQ(e.Value(h + "_count", dossier), 3);
  EXPECT_NEAR(e.Value(h + "_sum", dossier), 20.203, 1e-5);
  auto bucket = [&](const std::string& le) {
    auto labels = dossier;
    labels["le"] = le;
    return e.Value(h + "_bucket", labels);
  };
  EXPECT_EQ(bucket("0.005"), 1);
  EXPECT_EQ(bucket("0.1"), 1);
  EXPECT_EQ(bucket("0.25"), 2);
  EXPECT_EQ(bucket("10"), 2);
  EXPECT_EQ(bucket("+Inf"), 3);
  CheckHistograms(e, h);

  EXPECT_EQ(e.Value("motcua_http_errors_total", {{"key", "dossier.not_found"}}), 1);
  EXPECT_EQ(e.Value("motcua_http_errors_total", {{"key", "other"}}), 1);
  EXPECT_EQ(e.Value("motcua_http_errors_total", {{"key", "http.rate_limited"}}), -1);  // zero
  EXPECT_EQ(e.Value("motcua_http_rate_limited_total", {}), 1);
  EXPECT_EQ(e.Value("motcua_http_connections_open", {}), 1);
  EXPECT_EQ(e.Value("motcua_process_start_time_seconds", {}), 1772503200.5);
  EXPECT_EQ(e.Value("motcua_store_pending_writes", {}), 7);
  pending = 12;  // read on each scrape
  EXPECT_EQ(ParseExposition(m.Render()).Value("motcua_store_pending_writes", {}), 12);
}

TEST(MetricsTest, ManyStatusesStayBounded) {
  Metrics m(kRoutes, {}, {}, 0);
  for (unsigned s = 100; s < 600; ++s) m.Observe("GET", "/healthz", s, 0.001);
  const Exposition e = ParseExposition(m.Render());
  EXPECT_EQ(e.Count("motcua_http_requests_total"), 17u);  // 16 statuses, then "other"
  EXPECT_EQ(e.Value("motcua_http_requests_total",
                    {{"method", "GET"}, {"route", "/healthz"}, {"status", "other"}}),
            500 - 16);
}

TEST(MetricsTest, ConcurrentRecordingLosesNothing) {
  Metrics m(kRoutes, {"dossier.not_found"}, {}, 0);
  constexpr int kThreads = 4, kEach = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every thread races to claim status slots for the same statuses.
        m.Observe(i % 2 ? "GET" : "HEAD", kRoutes[static_cast<size_t>(i) % kRoutes.size()],
                  200 + static_cast<unsigned>((i + t) % 5), 0.01 * (i % 7));
        m.CountError("dossier.not_found");
      }
    });
  }
  // Scrapes while writers run must always be well formed.
  for (int i = 0; i < 20; ++i) CheckHistograms(ParseExposition(m.Render()), "motcua_http_request_duration_seconds");
  for (auto& t : threads) t.join();
  const Exposition e = ParseExposition(m.Render());
  double total = 0;
  std::set<std::string> statuses;
  for (const Sample& s : e.samples) {
    if (s.name != "motcua_http_requests_total") continue;
    total += s.value;
    statuses.insert(s.labels.at("status"));
  }
  EXPECT_EQ(total, kThreads * kEach);
  EXPECT_EQ(statuses, (std::set<std::string>{"200", "201", "202", "203", "204"}));
  // Each (route, method, status) label set appears once: no slot was claimed twice.
  std::set<std::string> seen;
  for (const Sample& s : e.samples) {
    if (s.name != "motcua_http_requests_total") continue;
    EXPECT_TRUE(seen.insert(s.labels.at("method") + s.labels.at("route") + s.labels.at("status"))
                    .second);
  }
  EXPECT_EQ(e.Value("motcua_http_errors_total", {{"key", "dossier.not_found"}}), kThreads * kEach);
  double count = 0;
  for (const Sample& s : e.samples) {
    if (s.name == "motcua_http_request_duration_seconds_count") count += s.value;
  }
  EXPECT_EQ(count, kThreads * kEach);
}

TEST(MetricsTest, NamesAndEscaping) {
  EXPECT_TRUE(Metrics::ValidName("motcua_store_pending_writes"));
  EXPECT_TRUE(Metrics::ValidName("a:b_c9"));
  EXPECT_FALSE(Metrics::ValidName("9a"));
  EXPECT_FALSE(Metrics::ValidName("a-b"));
  EXPECT_FALSE(Metrics::ValidName(""));
  Metrics m({"/x/\"q\"\\n"}, {}, {MetricGauge{"g", "line\nbreak \\", [] { return 0.25; }}}, 0);
  m.Observe("GET", "/x/\"q\"\\n", 200, 0);
  const Exposition e = ParseExposition(m.Render());
  EXPECT_EQ(e.Value("motcua_http_requests_total",
                    {{"method", "GET"}, {"route", "/x/\"q\"\\n"}, {"status", "200"}}),
            1);
  EXPECT_EQ(e.help.at("g"), "line\\nbreak \\\\");
  EXPECT_EQ(e.Value("g", {}), 0.25);
}

}  // namespace
}  // namespace motcua::http
