// The HTTP/1.1 server (Boost.Beast on Asio): /api/ to the JSON API, other paths to static files;
// keep-alive, read timeout, header/body limits (413 then a clean close), X-Request-Id and one
// access-log line per request on stderr (never bodies, tokens or ID numbers).
// Thread-safety: Start/Run/destructor from one thread; Stop from any thread or a signal handler
// (it writes one byte to a pipe); port() after a successful Start.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "app/lifecycle.h"
#include "base/error.h"
#include "http/auth.h"

namespace motcua::http {

class Session;

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // "host:port", "[v6]:port"; port 0 = ephemeral
  int threads = 4;
  std::filesystem::path static_dir;
  size_t max_body_bytes = 1 << 20;
  // Message catalogue; empty: $MOTCUA_DATA_DIR/messages.json, ./data/messages.json, then the
  // source tree's data/messages.json, then the built-in generic messages (with a warning).
  std::filesystem::path messages_file;
  size_t max_header_bytes = 16 << 10;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds shutdown_grace{10};  // in-flight requests get this long after Stop
};

class Server {
 public:
  Server(app::Lifecycle& lifecycle, const Authenticator& auth, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the message catalogue and binds the listening socket. Errors: http.bad_listen
  // (kInvalidArgument), http.cannot_listen (kUnavailable; address in use, no permission),
  // the catalogue's load errors when messages_file was given explicitly.
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
  friend class Session;
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace motcua::http
