// The HTTP/1.1 server (Boost.Beast on Asio), plain or HTTPS (built-in TLS 1.2+): /api/ to the
// JSON API, /healthz and /metrics (Prometheus, allowed addresses only), other paths to static
// files. Hardening (issue #4, docs/api.md "Limits and headers"): security headers on every
// response (HSTS over TLS), separate header/body/idle timeouts (Slowloris), header/body limits,
// a per-client token-bucket rate limit (429), client address and scheme from trusted reverse
// proxies only; X-Request-Id and one JSON access-log line per request on stderr (never bodies,
// query strings, cookies, credentials; ID and phone numbers masked).
// Thread-safety: Start/Run/destructor from one thread; Stop from any thread or a signal handler
// (it writes one byte to a pipe); port() after a successful Start.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/lifecycle.h"
#include "base/error.h"
#include "http/auth.h"
#include "http/metrics.h"
#include "http/routes.h"

namespace motcua::http {

template <class Stream>
class Session;

inline constexpr std::string_view kUploadTarget = "/api/v1/files";
// The routes that take a whole PDF (verification, signing): app::kMaxPdfBytes and a margin.
inline constexpr std::string_view kVerifyTarget = "/api/v1/verify";
inline constexpr std::string_view kSignTarget = "/api/v1/documents/sign";

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // "host:port", "[v6]:port"; port 0 = ephemeral
  int threads = 4;
  std::filesystem::path static_dir;
  size_t max_body_bytes = 1 << 20;
  // The body limit of POST /api/v1/files (component uploads: app::kMaxFileBytes and a margin, so
  // that a file just over the limit gets the use case's file.too_large rather than a cut-off).
  size_t max_upload_bytes = (10 << 20) + (64 << 10);
  // The body limit of POST /api/v1/verify and /api/v1/documents/sign.
  size_t max_pdf_bytes = (20 << 20) + (64 << 10);
  // The use cases of the web front end's routes (files, drafts, lookup); null: those routes
  // answer 503.
  ApiServices services;
  // Message catalogue; empty: $MOTCUA_DATA_DIR/messages.json, ./data/messages.json, then the
  // source tree's data/messages.json, then the built-in generic messages (with a warning).
  std::filesystem::path messages_file;
  size_t max_header_bytes = 16 << 10;
  // The request line and header must arrive within header_timeout of the connection (or of the
  // first byte of a later request on it): a client trickling a header byte by byte (Slowloris)
  // gets 408 and is closed. The whole body must then arrive within body_timeout (408). A
  // keep-alive connection may stay idle between requests for idle_timeout; a response must be
  // taken by the client within write_timeout. The TLS handshake counts as header time.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::seconds shutdown_grace{10};  // in-flight requests get this long after Stop
  // Per-client token bucket (client = RequestMeta.remote_address; IPv6 by /64): `burst`
  // requests at once, `per_second` on average; beyond that 429 http.rate_limited with
  // Retry-After. per_second 0 disables. At most rate_limit_clients buckets are held.
  double rate_limit_per_second = 50;
  double rate_limit_burst = 200;
  size_t rate_limit_clients = 100'000;
  // Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or CIDR
  // blocks). Empty: the headers are ignored and the peer is the client. A trusted proxy must
  // overwrite (not pass through) X-Forwarded-Proto.
  std::vector<std::string> trusted_proxies;
  // HTTPS: PEM certificate chain and private key. Both set: the server speaks TLS 1.2+ only.
  std::filesystem::path tls_cert_file;
  std::filesystem::path tls_key_file;
  // /healthz answers 200 {"status":"ok"} when this returns true (or is empty), 503
  // http.not_ready otherwise (e.g. the store cannot be reached). Called on a server thread.
  std::function<bool()> ready;
  // Client addresses (after proxy resolution) allowed to read /metrics; others get 404.
  std::vector<std::string> metrics_allow = {"127.0.0.1", "::1"};
  // Extra gauges exported on /metrics (e.g. motcua_store_pending_writes).
  std::vector<MetricGauge> gauges;
};

class Server {
 public:
  // `accounts` (may be null: the account routes then answer unavailable) is handed to the API.
  Server(app::Lifecycle& lifecycle, const Authenticator& auth, ServerOptions options,
         app::Accounts* accounts = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the message catalogue and the TLS certificate, checks the options and binds the
  // listening socket. Errors: http.bad_listen (kInvalidArgument), http.cannot_listen
  // (kUnavailable; address in use, no permission), http.bad_address (a trusted_proxies or
  // metrics_allow entry), http.bad_metric_name (a gauge), http.bad_tls (only one of the two
  // files, or a certificate/key OpenSSL refuses), the catalogue's load errors when messages_file
  // was given explicitly.
  [[nodiscard]] Result<void> Start();
  // The bound port (the ephemeral one when listen asked for port 0).
  uint16_t port() const;
  // Serves on `threads` threads (the caller's included) until Stop; returns once every
  // connection is closed or the shutdown grace has passed.
  void Run();
  // Graceful stop: no new connections, idle ones are closed, in-flight requests finish.
  // Async-signal-safe; may be called before Run (Run then returns at once).
  void Stop();

 private:
  template <class Stream>
  friend class Session;
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace motcua::http
