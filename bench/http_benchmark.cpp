// HTTP load benchmark (issue #4). Starts the real `motcua serve` of the same build over a demo data
// directory (made once by `motcua demo`, cached under the build directory keyed by the dossier
// count; each run serves a fresh copy so that submissions never pile up) and drives it on loopback
// from a closed-loop HTTP/1.1 keep-alive client: C connections, a warm-up, then a measured window.
// Scenarios, all with the same client and connection count:
//   lookup          GET /api/v1/dossiers/{code} (with its history), random existing dossiers, as
//                   a province administrator's API token (its scope covers every dossier)
//   search          GET /api/v1/dossiers?state=in_processing&limit=20, same token
//   search-overdue  GET /api/v1/dossiers?overdue=true&limit=20
//   search-total    GET /api/v1/dossiers?state=in_processing&limit=20&total=true (counts matches)
//   submit          POST /api/v1/dossiers, a signed-in citizen's online submission; the server
//                   answers only once the transaction is durable (group commit)
//   nginx           GET of a static file as large as a lookup response, served by nginx started
//                   here (the ceiling of this machine for a small HTTP response)
// Credentials are obtained in one section below ("Credentials"); requests come through
// 127.0.0.1 as a trusted proxy for many client addresses (ClientHeader), as behind a reverse proxy.
// Prints, per scenario: requests, seconds, req/s, p50/p99/max latency, responses with another
// status than expected and transport errors; then the ratio lookup/nginx. Figures are printed,
// never asserted, but the run exits 1 if any request failed or got an unexpected status, so a
// printed figure is always one of requests really served.
// Usage: http_benchmark [--smoke] [--dossiers N] [--seconds S] [--warmup S] [--connections C]
//          [--client-threads T] [--server-threads T] [--motcua PATH] [--nginx PATH]
//          [--cache DIR] [--keep]
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <expected>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/catalog.h"
#include "base/time.h"
#include "store/store.h"

#ifndef MOTCUA_DEFAULT_SOURCE_DIR
#define MOTCUA_DEFAULT_SOURCE_DIR "."
#endif
#ifndef MOTCUA_BENCH_MOTCUA
#define MOTCUA_BENCH_MOTCUA "motcua"
#endif
#ifndef MOTCUA_BENCH_CACHE_DIR
#define MOTCUA_BENCH_CACHE_DIR "bench-data"
#endif

namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace bj = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// The benchmark's own failures are plain messages: they end the run, nothing recovers from them.
template <typename T>
using Expected = std::expected<T, std::string>;
std::unexpected<std::string> Err(std::string message) {
  return std::unexpected(std::move(message));
}

struct Options {
  bool smoke = false;
  int64_t dossiers = 100000;
  double seconds = 10;
  double warmup = 2;
  int connections = 16;
  // One io_context per thread. Two: with one, the client itself caps nginx (about 13k against
  // 19.5k requests/s on the 2-core machine), which would flatter the ratio.
  int client_threads = 2;
  int server_threads = 0;  // 0: motcua's default
  fs::path motcua = MOTCUA_BENCH_MOTCUA;
  fs::path nginx;  // empty: looked up in PATH and the sbin directories
  fs::path cache = MOTCUA_BENCH_CACHE_DIR;
  bool keep = false;  // keep the run's work directory
};

fs::path SourceData() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src && *src ? src : MOTCUA_DEFAULT_SOURCE_DIR) / "data";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The parsed document, or null if the text is not JSON.
bj::value ParseJson(std::string_view text) {
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  return ec ? bj::value() : v;
}

// The object member, or null if v is not an object or has no such member.
const bj::value* Member(const bj::value& v, std::string_view key) {
  return v.is_object() ? v.get_object().if_contains(key) : nullptr;
}

std::string Tail(const fs::path& p, size_t bytes = 1500) {
  std::string s = ReadFile(p);
  return s.size() > bytes ? "…" + s.substr(s.size() - bytes) : s;
}

// ---------------------------------------------------------------------------------------------
// Child processes: motcua demo, motcua serve, nginx. Each dies with the benchmark (PDEATHSIG), so
// an interrupted run leaves no server behind.

class Child {
 public:
  Child() = default;
  Child(Child&& o) noexcept : pid_(std::exchange(o.pid_, -1)), status_(o.status_) {}
  Child& operator=(Child&& o) noexcept {
    if (this != &o) {
      Stop();
      pid_ = std::exchange(o.pid_, -1);
      status_ = o.status_;
    }
    return *this;
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() { Stop(); }

  // Starts argv[0] (a path) with stdin from /dev/null and stdout/stderr to the given files.
  static Expected<Child> Spawn(const std::vector<std::string>& argv, const fs::path& out,
                               const fs::path& err) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (null_fd < 0 || out_fd < 0 || err_fd < 0) return Err("cannot open " + out.string());
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
      // Only async-signal-safe calls between fork and exec.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(127);
      ::dup2(null_fd, 0);
      ::dup2(out_fd, 1);
      ::dup2(err_fd, 2);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(null_fd);
    ::close(out_fd);
    ::close(err_fd);
    if (pid < 0) return Err("fork failed");
    Child c;
    c.pid_ = pid;
    return c;
  }

  // Whether the process still runs (reaps it once it has exited).
  bool Running() {
    if (pid_ < 0) return false;
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }
  // Waits for the exit; returns the exit code, or 128 + signal.
  int Wait() {
    if (pid_ >= 0) {
      while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
      }
      pid_ = -1;
    }
    return ExitCode();
  }
  // Sends sig and waits up to `grace` for the exit, then kills. Returns the exit code.
  int Stop(int sig = SIGTERM, std::chrono::seconds grace = 15s) {
    if (pid_ < 0) return ExitCode();
    ::kill(pid_, sig);
    const auto deadline = Clock::now() + grace;
    while (Running() && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
    if (pid_ >= 0) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
    return ExitCode();
  }
  int ExitCode() const {
    if (WIFEXITED(status_)) return WEXITSTATUS(status_);
    if (WIFSIGNALED(status_)) return 128 + WTERMSIG(status_);
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
};

// A new directory (mode 0700) named prefix + 6 random characters inside parent.
Expected<fs::path> MakeTempDir(const fs::path& parent, const std::string& prefix) {
  std::string pattern = (parent / (prefix + "XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) return Err("cannot create a directory in " + parent.string());
  return fs::path(pattern);
}

// A directory removed at the end of the run unless asked to keep it.
struct WorkDir {
  fs::path path;
  bool keep = false;
  WorkDir() = default;
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  ~WorkDir() {
    if (path.empty()) return;
    if (keep) {
      std::printf("work directory kept: %s\n", path.c_str());
      return;
    }
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// ---------------------------------------------------------------------------------------------
// One synchronous request (setup and the probe before each scenario).

struct Reply {
  unsigned status = 0;
  std::string body;
  std::string set_cookie;  // the first Set-Cookie header, if any
};

// The client a request comes from, as a trusted reverse proxy reports it. motcua limits each
// client address to a few dozen requests per second (ServerOptions::rate_limit_per_second), so
// the benchmark serves as a proxy in front of many citizens, as in production: the server trusts
// 127.0.0.1 (--trust-proxy) and every request names one of 65,536 addresses at random.
std::string ClientHeader(std::mt19937_64& rng) {
  const uint64_t r = rng();
  return "X-Forwarded-For: 10.7." + std::to_string(r & 0xff) + "." +
         std::to_string((r >> 8) & 0xff) + "\r\n";
}

std::string GetRequest(std::string_view target, std::string_view token,
                       std::string_view headers = {}) {
  std::string r = "GET ";
  r.append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n").append(headers);
  if (!token.empty()) r.append("Authorization: Bearer ").append(token).append("\r\n");
  return r.append("\r\n");
}

std::string PostRequest(std::string_view target, std::string_view token, std::string_view body,
                        std::string_view headers = {}) {
  std::string r = "POST ";
  r.append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n").append(headers);
  if (!token.empty()) r.append("Authorization: Bearer ").append(token).append("\r\n");
  r.append("Content-Type: application/json\r\nContent-Length: ")
      .append(std::to_string(body.size()))
      .append("\r\n\r\n");
  return r.append(body);
}

Expected<Reply> Fetch(const tcp::endpoint& ep, const std::string& request) {
  asio::io_context io;
  tcp::socket s(io);
  boost::system::error_code ec;
  s.connect(ep, ec);
  if (ec) return Err("connect: " + ec.message());
  // A server that hangs must not hang the benchmark.
  const timeval tv{30, 0};
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  asio::write(s, asio::buffer(request), ec);
  if (ec) return Err("write: " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(s, buffer, parser, ec);
  if (ec) return Err("read: " + ec.message());
  const auto& res = parser.get();
  const auto cookie = res.find(http::field::set_cookie);
  return Reply{res.result_int(), res.body(),
               cookie == res.end() ? std::string() : std::string(cookie->value())};
}

bool Connectable(const tcp::endpoint& ep) {
  asio::io_context io;
  tcp::socket s(io);
  boost::system::error_code ec;
  s.connect(ep, ec);
  return !ec;
}

// ---------------------------------------------------------------------------------------------
// The closed-loop load client. Each connection sends a request, reads the whole response, records
// the latency and sends the next; a response that closes the connection (or an error) reconnects.
// Latencies are kept exactly (one entry per request in the window), so percentiles are exact.

struct Scenario {
  std::string name;
  std::string what;  // printed description
  unsigned expect = 200;
  std::function<std::string(std::mt19937_64&)> make;  // called concurrently: own rng, shared
                                                      // read-only data
};

struct Window {
  tcp::endpoint ep;
  Clock::time_point warm_end;  // responses completing in [warm_end, end] are measured
  Clock::time_point end;       // no request is sent at or after this
};

struct Tally {
  int64_t measured = 0;
  std::vector<uint32_t> latency_us;
  std::vector<uint32_t> body_bytes;
  // Over the whole run, warm-up included:
  int64_t responses = 0;
  int64_t unexpected = 0;  // another status than the scenario expects
  int64_t errors = 0;      // transport errors (connect, write, read, parse, stuck at the end)
  std::map<unsigned, int64_t> unexpected_statuses;
  std::string first_unexpected;
  std::string first_error;

  void Merge(Tally&& o) {
    measured += o.measured;
    latency_us.insert(latency_us.end(), o.latency_us.begin(), o.latency_us.end());
    body_bytes.insert(body_bytes.end(), o.body_bytes.begin(), o.body_bytes.end());
    responses += o.responses;
    unexpected += o.unexpected;
    errors += o.errors;
    for (const auto& [k, v] : o.unexpected_statuses) unexpected_statuses[k] += v;
    if (first_unexpected.empty()) first_unexpected = std::move(o.first_unexpected);
    if (first_error.empty()) first_error = std::move(o.first_error);
  }
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, const Window& w, const Scenario& s, Tally& t, uint64_t seed)
      : socket_(io), backoff_(io), w_(w), s_(s), t_(t), rng_(seed) {}

  void Start() { Connect(); }
  bool busy() const { return busy_; }
  // Used when the run overstays: the pending operation completes with an error.
  void Abort() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

 private:
  void Connect() {
    boost::system::error_code ec;
    socket_.close(ec);
    buffer_.consume(buffer_.size());
    if (Clock::now() >= w_.end) return;
    busy_ = true;
    socket_.async_connect(w_.ep, [self = shared_from_this()](boost::system::error_code e) {
      if (e) return self->Failed("connect", e);
      boost::system::error_code ignored;
      self->socket_.set_option(tcp::no_delay(true), ignored);
      self->Send();
    });
  }

  void Send() {
    const auto now = Clock::now();
    if (now >= w_.end) return Finish();
    request_ = s_.make(rng_);
    started_ = now;
    busy_ = true;
    asio::async_write(socket_, asio::buffer(request_),
                      [self = shared_from_this()](boost::system::error_code e, size_t) {
                        if (e) return self->Failed("write", e);
                        self->Read();
                      });
  }

  void Read() {
    parser_.emplace();
    parser_->body_limit(64 << 20);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](boost::system::error_code e, size_t) {
                       if (e) return self->Failed("read", e);
                       self->Done();
                     });
  }

  void Done() {
    busy_ = false;
    const auto now = Clock::now();
    const auto& res = parser_->get();
    const unsigned status = res.result_int();
    ++t_.responses;
    if (status != s_.expect) {
      ++t_.unexpected;
      ++t_.unexpected_statuses[status];
      if (t_.first_unexpected.empty()) {
        t_.first_unexpected = std::to_string(status) + " " + res.body().substr(0, 400);
      }
    }
    if (now >= w_.warm_end && now <= w_.end) {
      ++t_.measured;
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - started_);
      t_.latency_us.push_back(static_cast<uint32_t>(std::min<int64_t>(us.count(), UINT32_MAX)));
      t_.body_bytes.push_back(static_cast<uint32_t>(res.body().size()));
    }
    if (!res.keep_alive()) return Connect();
    Send();
  }

  void Failed(const char* what, boost::system::error_code e) {
    busy_ = false;
    ++t_.errors;
    if (t_.first_error.empty()) t_.first_error = std::string(what) + ": " + e.message();
    if (Clock::now() >= w_.end) return Finish();
    // A short pause so that a dead server does not turn the loop into a spin.
    backoff_.expires_after(10ms);
    backoff_.async_wait(
        [self = shared_from_this()](boost::system::error_code) { self->Connect(); });
  }

  void Finish() {
    busy_ = false;
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  tcp::socket socket_;
  asio::steady_timer backoff_;
  const Window& w_;
  const Scenario& s_;
  Tally& t_;
  std::mt19937_64 rng_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::string request_;
  Clock::time_point started_;
  bool busy_ = false;
};

Tally RunLoad(const tcp::endpoint& ep, const Scenario& s, const Options& o) {
  Window w;
  w.ep = ep;
  const auto start = Clock::now();
  w.warm_end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
  w.end = w.warm_end +
          std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  const int threads = std::max(1, std::min(o.client_threads, o.connections));
  std::vector<Tally> tallies(static_cast<size_t>(threads));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      asio::io_context io;
      Tally& tally = tallies[static_cast<size_t>(t)];
      std::vector<std::shared_ptr<Connection>> conns;
      for (int c = t; c < o.connections; c += threads) {
        conns.push_back(std::make_shared<Connection>(io, w, s, tally, 0x5eed + c));
      }
      for (auto& c : conns) c->Start();
      // Requests in flight at the end get 30 s to finish; any still waiting then is an error.
      io.run_until(w.end + 30s);
      if (!io.stopped()) {
        for (auto& c : conns) {
          if (c->busy()) c->Abort();
        }
        io.restart();
        io.run();
      }
    });
  }
  for (auto& t : pool) t.join();
  Tally all;
  for (auto& t : tallies) all.Merge(std::move(t));
  return all;
}

struct Figures {
  std::string name;
  bool ran = false;
  int64_t requests = 0;
  double seconds = 0;
  double rps = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  int64_t unexpected = 0, errors = 0;
  uint32_t median_body = 0;
  bool ok() const { return ran && requests > 0 && unexpected == 0 && errors == 0; }
};

uint32_t Percentile(std::vector<uint32_t>& v, double q) {
  if (v.empty()) return 0;
  size_t k = static_cast<size_t>(q * static_cast<double>(v.size()));
  if (k > 0 && static_cast<double>(k) == q * static_cast<double>(v.size())) --k;
  k = std::min(k, v.size() - 1);
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(k), v.end());
  return v[k];
}

void PrintHeader() {
  std::printf("%-15s %9s %7s %10s %9s %9s %9s %10s %7s\n", "scenario", "requests", "seconds",
              "req/s", "p50_ms", "p99_ms", "max_ms", "unexpected", "errors");
}

void PrintFigures(const Figures& f) {
  std::printf("%-15s %9lld %7.2f %10.1f %9.3f %9.3f %9.3f %10lld %7lld\n", f.name.c_str(),
              static_cast<long long>(f.requests), f.seconds, f.rps, f.p50_ms, f.p99_ms, f.max_ms,
              static_cast<long long>(f.unexpected), static_cast<long long>(f.errors));
  std::fflush(stdout);
}

// Probes the scenario with one request (so that a wrong setup shows the server's error, not a
// column of failures), runs the load and prints its line.
Figures Measure(const tcp::endpoint& ep, const Scenario& s, const Options& o,
                const std::function<std::string(const Reply&)>& describe = {}) {
  Figures f;
  f.name = s.name;
  std::mt19937_64 rng(1);
  auto probe = Fetch(ep, s.make(rng));
  if (!probe) {
    std::printf("%-15s probe failed: %s\n", s.name.c_str(), probe.error().c_str());
    return f;
  }
  if (probe->status != s.expect) {
    std::printf("%-15s probe: status %u, expected %u: %s\n", s.name.c_str(), probe->status,
                s.expect, probe->body.substr(0, 400).c_str());
    return f;
  }
  std::printf("  %s: %s%s%s\n", s.name.c_str(), s.what.c_str(), describe ? "; " : "",
              describe ? describe(*probe).c_str() : "");
  std::fflush(stdout);
  Tally t = RunLoad(ep, s, o);
  f.ran = true;
  f.requests = t.measured;
  f.seconds = o.seconds;
  f.rps = static_cast<double>(t.measured) / o.seconds;
  f.p50_ms = Percentile(t.latency_us, 0.50) / 1000.0;
  f.p99_ms = Percentile(t.latency_us, 0.99) / 1000.0;
  f.max_ms = t.latency_us.empty()
                 ? 0
                 : *std::max_element(t.latency_us.begin(), t.latency_us.end()) / 1000.0;
  f.median_body = Percentile(t.body_bytes, 0.50);
  f.unexpected = t.unexpected;
  f.errors = t.errors;
  PrintFigures(f);
  if (t.unexpected > 0) {
    std::string statuses;
    for (const auto& [k, v] : t.unexpected_statuses) {
      statuses += " " + std::to_string(k) + "×" + std::to_string(v);
    }
    std::printf("  %s: unexpected statuses:%s; first: %s\n", s.name.c_str(), statuses.c_str(),
                t.first_unexpected.c_str());
  }
  if (t.errors > 0) std::printf("  %s: first error: %s\n", s.name.c_str(), t.first_error.c_str());
  if (t.measured == 0) std::printf("  %s: no request completed in the window\n", s.name.c_str());
  return f;
}

// ---------------------------------------------------------------------------------------------
// Data: the cached demo directory, the run's copy, and what the benchmark needs to know of it.

int RunToEnd(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  auto c = Child::Spawn(argv, out, err);
  if (!c) return 127;
  return c->Wait();
}

// The demo data directory for o.dossiers dossiers, generated once: generation takes minutes at
// 100,000 and every run should measure the same data.
Expected<fs::path> CachedDemo(const Options& o) {
  const fs::path dir = o.cache / ("demo-" + std::to_string(o.dossiers));
  if (fs::exists(dir / "complete")) return dir;
  std::error_code ec;
  fs::remove_all(dir, ec);
  const fs::path partial = dir.string() + ".partial";
  fs::remove_all(partial, ec);
  fs::create_directories(partial, ec);
  if (ec) return Err("cannot create " + partial.string() + ": " + ec.message());
  std::printf("generating %lld demo dossiers into %s (once; later runs reuse it)\n",
              static_cast<long long>(o.dossiers), dir.c_str());
  std::fflush(stdout);
  const auto t0 = Clock::now();
  const int rc =
      RunToEnd({o.motcua.string(), "demo", "--dir", partial.string(), "--dossiers",
                std::to_string(o.dossiers), "--seed", "1", "--data", SourceData().string()},
               partial / "demo.out", partial / "demo.log");
  if (rc != 0) {
    return Err("motcua demo exited with " + std::to_string(rc) + ": " + Tail(partial / "demo.log"));
  }
  std::printf("generated in %.0f s\n", std::chrono::duration<double>(Clock::now() - t0).count());
  std::ofstream(partial / "complete") << "ok\n";
  fs::rename(partial, dir, ec);
  if (ec) return Err("cannot rename " + partial.string() + ": " + ec.message());
  return dir;
}

// A fresh copy of the cached directory (database, WAL if any, secret key, the demo's credentials;
// permissions kept).
Expected<void> CopyData(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  for (const auto& e : fs::directory_iterator(from)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name == "motcua.lock" || name == "complete" ||
        name.starts_with("demo.")) {
      continue;
    }
    fs::copy_file(e.path(), to / name, fs::copy_options::overwrite_existing, ec);
    if (ec) return Err("cannot copy " + e.path().string() + ": " + ec.message());
  }
  return {};
}

// Every dossier's code, read from the run's copy (a read-only open, as verify and export do).
Expected<std::vector<std::string>> ReadDossierCodes(const fs::path& dir) {
  motcua::store::StoreOptions so;
  so.location = dir.string();
  so.read_only = true;
  auto s = motcua::store::Open(so);
  if (!s) return Err("cannot open the store: " + s.error().ToString());
  std::vector<std::string> codes;
  auto r = (*s)->ForEachDossier([&](const motcua::store::DossierRow& row) -> motcua::Result<void> {
    codes.push_back(row.code);
    return {};
  });
  if (!r) return Err("cannot read dossiers: " + r.error().ToString());
  return codes;
}

// ---------------------------------------------------------------------------------------------
// Credentials: the ONE section that knows how the benchmark authenticates (change only this if the
// ways of obtaining credentials change). Two steps, because the command line takes the store's
// writer lock and so runs before the server, and a session is opened through the server:
//  1. IssueReaderToken, before `motcua serve`: `motcua token issue` on the run's copy of the data
//     gives an API token (stored as a digest, shown once on standard output) of a province
//     administrator at the root unit — subtree scope, so lookups and searches reach every dossier
//     — with scope dossiers:read.
//  2. OpenCitizenSession, after: a citizen registers (POST /api/v1/accounts) and signs in
//     (POST /api/v1/session); submissions carry the session cookie and the CSRF token. A citizen
//     files online for themselves. (API tokens cannot submit: Lifecycle::Submit takes counter
//     submissions from officers only, and an officer's session needs TOTP.)

Expected<std::string> IssueReaderToken(const Options& o, const fs::path& data_dir,
                                       const std::string& root_unit) {
  const fs::path out = data_dir / "token.out", err = data_dir / "token.err";
  const int rc = RunToEnd({o.motcua.string(), "token", "issue", "--dir", data_dir.string(),
                           "--data", SourceData().string(), "--name", "bench-reader", "--unit",
                           root_unit, "--roles", "province_admin", "--scopes", "dossiers:read"},
                          out, err);
  const bj::value reply = ParseJson(ReadFile(out));
  std::error_code ec;
  fs::remove(out, ec);  // the token is a secret: it does not stay on disk
  const bj::value* token = Member(reply, "token");
  if (rc != 0 || !token || !token->is_string()) {
    return Err("motcua token issue exited with " + std::to_string(rc) + ": " + Tail(err));
  }
  return std::string(token->get_string());
}

struct CitizenSession {
  std::string id_number;
  std::string headers;  // "Cookie: …\r\nX-CSRF-Token: …\r\n" for every write
};

Expected<CitizenSession> OpenCitizenSession(const tcp::endpoint& ep) {
  CitizenSession c;
  // A well-formed CCCD. Should the demo ever give it to an applicant's account, registration
  // fails with account.exists and the run says so.
  c.id_number = "001199087654";
  std::random_device rd;
  std::string password = "Bench-";
  for (int i = 0; i < 20; ++i) password.push_back("abcdefghijkmnpqrstuvwxyz23456789"[rd() % 32]);
  const bj::object account{{"kind", "citizen"},
                           {"id_number", c.id_number},
                           {"name", "Trần Thị Bình"},
                           {"email", "benchmark@example.vn"},
                           {"password", password}};
  auto reg = Fetch(ep, PostRequest("/api/v1/accounts", "", bj::serialize(account)));
  if (!reg || reg->status != 201) {
    return Err("cannot register the citizen: " +
               (reg ? std::to_string(reg->status) + " " + reg->body.substr(0, 300) : reg.error()));
  }
  const bj::object login{{"login", c.id_number}, {"password", password}};
  auto session = Fetch(ep, PostRequest("/api/v1/session", "", bj::serialize(login)));
  if (!session || session->status != 201) {
    return Err("cannot sign in: " +
               (session ? std::to_string(session->status) + " " + session->body.substr(0, 300)
                        : session.error()));
  }
  const bj::value reply = ParseJson(session->body);
  const bj::value* csrf = Member(reply, "csrf_token");
  const std::string cookie = session->set_cookie.substr(0, session->set_cookie.find(';'));
  if (!csrf || !csrf->is_string() || cookie.empty()) {
    return Err("the sign-in gave no session cookie or CSRF token");
  }
  c.headers = "Cookie: " + cookie + "\r\nX-CSRF-Token: " + std::string(csrf->get_string()) + "\r\n";
  return c;
}

// ---------------------------------------------------------------------------------------------
// Servers.

Expected<uint16_t> FreePort() {
  asio::io_context io;
  tcp::acceptor a(io);
  boost::system::error_code ec;
  a.open(tcp::v4(), ec);
  if (!ec) a.bind(tcp::endpoint(asio::ip::address_v4::loopback(), 0), ec);
  if (ec) return Err("no free port: " + ec.message());
  return a.local_endpoint().port();
}

struct Running {
  Child child;
  tcp::endpoint ep;
};

// `motcua serve` on an ephemeral loopback port; the port is read from its start-up line.
Expected<Running> StartMotcua(const Options& o, const fs::path& dir) {
  std::vector<std::string> argv{o.motcua.string(), "serve",       "--dir",  dir.string(),
                                "--listen",        "127.0.0.1:0", "--data", SourceData().string(),
                                "--trust-proxy",   "127.0.0.1"};
  if (o.server_threads > 0) {
    argv.push_back("--threads");
    argv.push_back(std::to_string(o.server_threads));
  }
  const fs::path out = dir / "serve.out", log = dir / "serve.log";
  auto c = Child::Spawn(argv, out, log);
  if (!c) return Err(c.error());
  const auto deadline = Clock::now() + 120s;
  while (Clock::now() < deadline) {
    const std::string text = ReadFile(out);
    if (const size_t at = text.find("http://"); at != std::string::npos) {
      const size_t colon = text.find(':', at + 7);
      const size_t slash = text.find('/', at + 7);
      if (colon != std::string::npos && slash != std::string::npos && colon < slash) {
        const int port = std::atoi(text.substr(colon + 1, slash - colon - 1).c_str());
        if (port > 0 && port < 65536) {
          return Running{std::move(*c), tcp::endpoint(asio::ip::address_v4::loopback(),
                                                      static_cast<uint16_t>(port))};
        }
      }
    }
    if (!c->Running()) {
      return Err("motcua serve exited with " + std::to_string(c->ExitCode()) + ": " + Tail(log));
    }
    std::this_thread::sleep_for(20ms);
  }
  return Err("motcua serve did not start within 120 s: " + Tail(log));
}

fs::path FindNginx(const Options& o) {
  if (!o.nginx.empty()) return o.nginx;
  std::vector<fs::path> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::string p = path;
    for (size_t i = 0; i <= p.size();) {
      const size_t j = std::min(p.find(':', i), p.size());
      if (j > i) dirs.emplace_back(p.substr(i, j - i));
      i = j + 1;
    }
  }
  for (const char* d : {"/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"}) {
    dirs.emplace_back(d);
  }
  for (const auto& d : dirs) {
    if (::access((d / "nginx").c_str(), X_OK) == 0) return d / "nginx";
  }
  return {};
}

// nginx with a generated configuration whose every path is inside dir: no daemon, no access log,
// as many workers as cores, keep-alive without a per-connection request cap (motcua has none).
Expected<Running> StartNginx(const fs::path& nginx, const fs::path& dir, const std::string& file,
                             const std::string& content) {
  std::error_code ec;
  fs::create_directories(dir / "www", ec);
  std::ofstream(dir / "www" / file, std::ios::binary) << content;
  // Readable by nginx's workers whatever the umask (started by root, they run as "nobody").
  constexpr fs::perms kRead =
      fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read;
  constexpr fs::perms kExec =
      fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;
  fs::permissions(dir / "www", kRead | kExec | fs::perms::owner_write, ec);
  fs::permissions(dir / "www" / file, kRead | fs::perms::owner_write, ec);
  std::string last_error;
  for (int attempt = 0; attempt < 3; ++attempt) {  // the free port may be taken meanwhile
    auto port = FreePort();
    if (!port) return Err(port.error());
    const std::string d = dir.string();
    std::ofstream(dir / "nginx.conf")
        << "daemon off;\nmaster_process on;\nworker_processes auto;\n"
        << "pid " << d << "/nginx.pid;\nerror_log " << d << "/error.log warn;\n"
        << "events { worker_connections 4096; }\n"
        << "http {\n  access_log off;\n  sendfile on;\n  tcp_nodelay on;\n"
        << "  keepalive_requests 100000000;\n  keepalive_timeout 75s;\n"
        << "  default_type application/json;\n"
        << "  client_body_temp_path " << d << "/client_body;\n"
        << "  proxy_temp_path " << d << "/proxy;\n  fastcgi_temp_path " << d << "/fastcgi;\n"
        << "  uwsgi_temp_path " << d << "/uwsgi;\n  scgi_temp_path " << d << "/scgi;\n"
        << "  server {\n    listen 127.0.0.1:" << *port << ";\n    root " << d << "/www;\n  }\n"
        << "}\n";
    auto c = Child::Spawn(
        {nginx.string(), "-p", d + "/", "-c", d + "/nginx.conf", "-e", d + "/error.log"},
        dir / "nginx.out", dir / "nginx.stderr");
    if (!c) return Err(c.error());
    const tcp::endpoint ep(asio::ip::address_v4::loopback(), *port);
    const auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline && c->Running()) {
      if (Connectable(ep)) return Running{std::move(*c), ep};
      std::this_thread::sleep_for(20ms);
    }
    last_error = Tail(dir / "error.log") + Tail(dir / "nginx.stderr");
    c->Stop();
  }
  return Err("nginx did not start: " + last_error);
}

// ---------------------------------------------------------------------------------------------

void PrintMachine(const fs::path& work) {
  std::string cpu = "?";
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("model name")) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  utsname u{};
  ::uname(&u);
  struct statfs fsinfo {};
  const bool tmpfs = ::statfs(work.c_str(), &fsinfo) == 0 && fsinfo.f_type == TMPFS_MAGIC;
  // Client and servers share these cores: a busy machine (a build next door) shows here.
  std::string load = ReadFile("/proc/loadavg");
  load = load.substr(0, load.find(' ', load.find(' ', load.find(' ') + 1) + 1));
  std::printf("machine: %s, %u cores, Linux %s, load average %s; data on %s%s\n", cpu.c_str(),
              std::thread::hardware_concurrency(), u.release, load.c_str(), work.c_str(),
              tmpfs ? " (tmpfs: fsync is free, submission figures are NOT durable ones)" : "");
}

std::string Ratio(double a, double b) {
  if (b <= 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", a / b);
  return buf;
}

int Usage() {
  std::fprintf(stderr,
               "usage: http_benchmark [--smoke] [--dossiers N] [--seconds S] [--warmup S]\n"
               "         [--connections C] [--client-threads T] [--server-threads T]\n"
               "         [--motcua PATH] [--nginx PATH] [--cache DIR] [--keep]\n");
  return 2;
}

int Main(Options o) {
  std::printf(
      "http benchmark: %lld dossiers, %d connections, %d client thread(s), %.1f s warm-up + "
      "%.1f s per scenario%s\n",
      static_cast<long long>(o.dossiers), o.connections, o.client_threads, o.warmup, o.seconds,
      o.smoke ? " (smoke)" : "");
  if (::access(o.motcua.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "http_benchmark: no motcua binary at %s (--motcua)\n", o.motcua.c_str());
    return 1;
  }
  std::error_code ec;
  fs::create_directories(o.cache, ec);
  auto cached = CachedDemo(o);
  if (!cached) {
    std::fprintf(stderr, "http_benchmark: %s\n", cached.error().c_str());
    return 1;
  }
  WorkDir work;
  work.keep = o.keep;
  if (auto d = MakeTempDir(o.cache, "run-"); d) {
    work.path = *d;
  } else {
    std::fprintf(stderr, "http_benchmark: %s\n", d.error().c_str());
    return 1;
  }
  const fs::path data = work.path / "data";
  if (auto c = CopyData(*cached, data); !c) {
    std::fprintf(stderr, "http_benchmark: %s\n", c.error().c_str());
    return 1;
  }
  PrintMachine(work.path);

  // Reference data as the server will see it: the root unit, today's communes, the procedure.
  constexpr const char* kProcedure = "1.004873";  // certificate of marital status, commune level
  auto catalog = motcua::app::Catalog::FromData(SourceData(), SourceData() / "demo" / "units.json");
  if (!catalog) {
    std::fprintf(stderr, "http_benchmark: %s\n", catalog.error().ToString().c_str());
    return 1;
  }
  const motcua::domain::Procedure* procedure = (*catalog)->procedures().Find(kProcedure);
  const motcua::domain::Unit* root = (*catalog)->units().Root();
  std::vector<std::string> communes;
  for (const auto* u :
       (*catalog)->units().UnitsOn(motcua::domain::UnitLevel::kCommune,
                                   motcua::ToVietnamLocal(motcua::SystemClock().Now()).date)) {
    communes.push_back(u->code);
  }
  if (!procedure || !root || communes.empty()) {
    std::fprintf(stderr, "http_benchmark: no procedure %s, root unit or commune in the data\n",
                 kProcedure);
    return 1;
  }
  auto reader = IssueReaderToken(o, data, root->code);
  if (!reader) {
    std::fprintf(stderr, "http_benchmark: %s\n", reader.error().c_str());
    return 1;
  }
  auto codes = ReadDossierCodes(data);
  if (!codes || codes->empty()) {
    std::fprintf(stderr, "http_benchmark: %s\n", codes ? "no dossiers" : codes.error().c_str());
    return 1;
  }

  auto server = StartMotcua(o, data);
  if (!server) {
    std::fprintf(stderr, "http_benchmark: %s\n(a stale cache? remove %s)\n", server.error().c_str(),
                 cached->c_str());
    return 1;
  }
  std::printf("motcua serve: 127.0.0.1:%u, access log in %s\n", server->ep.port(),
              (data / "serve.log").c_str());
  const tcp::endpoint ep = server->ep;
  auto citizen = OpenCitizenSession(ep);
  if (!citizen) {
    std::fprintf(stderr, "http_benchmark: %s\n", citizen.error().c_str());
    return 1;
  }

  std::vector<std::string> lookups;
  for (const auto& code : *codes) lookups.push_back("/api/v1/dossiers/" + code);

  // Submissions: online, by the citizen for themselves, to one of today's communes, every
  // component provided.
  std::vector<std::string> submissions;
  {
    bj::array components;
    for (const auto& comp : procedure->components) {
      components.push_back(bj::object{{"code", comp.code}});
    }
    for (const auto& unit : communes) {
      const bj::object body{
          {"procedure_code", kProcedure},
          {"channel", "online"},
          {"applicant", {{"id_number", citizen->id_number}, {"name", "Trần Thị Bình"}}},
          {"receiving_unit", unit},
          {"components", components}};
      submissions.push_back(bj::serialize(body));
    }
  }

  auto pick = [](const auto& v, std::mt19937_64& rng) -> const auto& {
    return v[static_cast<size_t>(rng() % v.size())];
  };
  const std::string search = "/api/v1/dossiers?state=in_processing&limit=20";
  const std::string overdue = "/api/v1/dossiers?overdue=true&limit=20";
  const std::string counted = "/api/v1/dossiers?state=in_processing&limit=20&total=true";
  std::vector<Scenario> scenarios{
      {"lookup",
       "GET /api/v1/dossiers/{code} over " + std::to_string(lookups.size()) + " codes as " +
           "a province_admin API token at " + root->code + " (scope: every dossier)",
       200,
       [&](std::mt19937_64& rng) {
         return GetRequest(pick(lookups, rng), *reader, ClientHeader(rng));
       }},
      {"search", "GET " + search + ", same token", 200,
       [&](std::mt19937_64& rng) { return GetRequest(search, *reader, ClientHeader(rng)); }},
      {"search-overdue", "GET " + overdue + ", same token", 200,
       [&](std::mt19937_64& rng) { return GetRequest(overdue, *reader, ClientHeader(rng)); }},
      {"search-total", "GET " + counted + " (counts every match), same token", 200,
       [&](std::mt19937_64& rng) { return GetRequest(counted, *reader, ClientHeader(rng)); }},
      {"submit",
       "POST /api/v1/dossiers, a citizen's online submission (session cookie) to one of " +
           std::to_string(submissions.size()) + " communes",
       201,
       [&](std::mt19937_64& rng) {
         return PostRequest("/api/v1/dossiers", "", pick(submissions, rng),
                            citizen->headers + ClientHeader(rng));
       }},
  };
  auto describe_items = [](const Reply& r) {
    const bj::value v = ParseJson(r.body);
    const bj::value* items = Member(v, "items");
    return std::to_string(items && items->is_array() ? items->get_array().size() : 0) +
           " items per page";
  };
  auto describe_bytes = [](const Reply& r) { return std::to_string(r.body.size()) + " bytes"; };

  std::printf("\n");
  PrintHeader();
  std::vector<Figures> figures;
  std::string lookup_body;
  {
    std::mt19937_64 rng(1);
    if (auto r = Fetch(ep, scenarios[0].make(rng)); r) lookup_body = r->body;
  }
  figures.push_back(Measure(ep, scenarios[0], o, describe_bytes));
  figures.push_back(Measure(ep, scenarios[1], o, describe_items));
  figures.push_back(Measure(ep, scenarios[2], o, describe_items));
  figures.push_back(Measure(ep, scenarios[3], o, [&](const Reply& r) {
    const bj::value v = ParseJson(r.body);
    const bj::value* total = Member(v, "total");
    return describe_items(r) + ", total " + (total ? bj::serialize(*total) : std::string("?"));
  }));
  figures.push_back(Measure(ep, scenarios[4], o, [](const Reply& r) {
    const bj::value v = ParseJson(r.body);
    const bj::value* state = Member(v, "state");
    return std::string("first answer's state: ") +
           (state && state->is_string() ? std::string(state->as_string()) : "?");
  }));
  const int serve_exit = server->child.Stop(SIGTERM, 30s);
  bool ok = serve_exit == 0;
  if (!ok) {
    std::printf("motcua serve exited with %d: %s\n", serve_exit,
                Tail(data / "serve.log", 800).c_str());
  }

  // The ceiling: nginx serving a file as large as the median lookup response.
  const Figures& lookup = figures[0];
  Figures ceiling;
  ceiling.name = "nginx";
  const fs::path nginx = FindNginx(o);
  if (nginx.empty()) {
    std::printf("nginx: SKIPPED (not installed)\n");
    ok = ok && o.smoke;  // only the smoke run may go without the ceiling
  } else if (!lookup.ran || lookup.median_body == 0) {
    std::printf("nginx: not run (no lookup response size to match)\n");
    ok = false;
  } else {
    std::string content = lookup_body;
    content.resize(lookup.median_body, ' ');
    // Its own directory, readable by all: nginx started by root serves as "nobody", and the
    // run's work directory (tokens inside) stays 0700.
    WorkDir nginx_dir;
    nginx_dir.keep = o.keep;
    if (auto d = MakeTempDir(o.cache, "nginx-"); d) {
      nginx_dir.path = *d;
      fs::permissions(nginx_dir.path,
                      fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                          fs::perms::others_read | fs::perms::others_exec,
                      ec);
    }
    auto ng = nginx_dir.path.empty() ? Expected<Running>(Err("cannot create its directory"))
                                     : StartNginx(nginx, nginx_dir.path, "dossier.json", content);
    if (!ng) {
      std::printf("nginx: %s\n", ng.error().c_str());
      ok = false;
    } else {
      Scenario s{"nginx",
                 nginx.string() + " serving a " + std::to_string(content.size()) +
                     "-byte static file (the median lookup response)",
                 200, [](std::mt19937_64& rng) {
                   // The same header as the API requests, so that requests are alike in size.
                   return GetRequest("/dossier.json", "", ClientHeader(rng));
                 }};
      ceiling = Measure(ng->ep, s, o, describe_bytes);
      figures.push_back(ceiling);
      ng->child.Stop(SIGTERM);
    }
  }

  for (const auto& f : figures) ok = ok && f.ok();
  std::printf("\n");
  if (ceiling.ran && lookup.ran) {
    std::printf(
        "ratio lookup/nginx: req/s %s, p50 %s, p99 %s  (lookup %.1f req/s vs nginx %.1f req/s)\n",
        Ratio(lookup.rps, ceiling.rps).c_str(), Ratio(lookup.p50_ms, ceiling.p50_ms).c_str(),
        Ratio(lookup.p99_ms, ceiling.p99_ms).c_str(), lookup.rps, ceiling.rps);
  }
  std::printf("%s\n", ok ? "all requests served with the expected status"
                         : "FAILED: some requests failed or got an unexpected status");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  bool dossiers = false, seconds = false, warmup = false, connections = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    try {
      if (a == "--smoke") {
        o.smoke = true;
      } else if (a == "--keep") {
        o.keep = true;
      } else if (a == "--dossiers" || a == "--seconds" || a == "--warmup" || a == "--connections" ||
                 a == "--client-threads" || a == "--server-threads" || a == "--motcua" ||
                 a == "--nginx" || a == "--cache") {
        auto v = value();
        if (!v) return Usage();
        if (a == "--dossiers") o.dossiers = std::stoll(*v), dossiers = true;
        if (a == "--seconds") o.seconds = std::stod(*v), seconds = true;
        if (a == "--warmup") o.warmup = std::stod(*v), warmup = true;
        if (a == "--connections") o.connections = std::stoi(*v), connections = true;
        if (a == "--client-threads") o.client_threads = std::stoi(*v);
        if (a == "--server-threads") o.server_threads = std::stoi(*v);
        if (a == "--motcua") o.motcua = *v;
        if (a == "--nginx") o.nginx = *v;
        if (a == "--cache") o.cache = *v;
      } else {
        return Usage();
      }
    } catch (const std::exception&) {
      return Usage();
    }
  }
  if (o.smoke) {
    if (!dossiers) o.dossiers = 300;
    if (!seconds) o.seconds = 1;
    if (!warmup) o.warmup = 0.2;
    if (!connections) o.connections = 2;
  }
  if (o.dossiers < 1 || o.seconds <= 0 || o.warmup < 0 || o.connections < 1 ||
      o.client_threads < 1 || o.server_threads < 0) {
    return Usage();
  }
  // A peer closing mid-write must be an error value, not the end of the process.
  std::signal(SIGPIPE, SIG_IGN);
  return Main(std::move(o));
}
