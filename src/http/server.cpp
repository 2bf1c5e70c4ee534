#include "http/server.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "http/detail/log.h"
#include "http/errors.h"
#include "http/routes.h"
#include "http/static_files.h"

#ifndef MOTCUA_HTTP_DEFAULT_DATA_DIR
#define MOTCUA_HTTP_DEFAULT_DATA_DIR "data"
#endif

namespace motcua::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
namespace fs = std::filesystem;

namespace {

constexpr std::chrono::seconds kLingerTimeout{5};

// "host:port" or "[v6]:port" → endpoint; "localhost" means the loopback address.
Result<tcp::endpoint> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos)
    return Fail(ErrorCode::kInvalidArgument, "http.bad_listen", listen);
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return Fail(ErrorCode::kInvalidArgument, "http.bad_listen", listen);
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  const net::ip::address addr = net::ip::make_address(host, ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, "http.bad_listen", listen);
  return tcp::endpoint(addr, static_cast<uint16_t>(std::stoi(port)));
}

Result<MessageCatalog> LoadMessages(const fs::path& explicit_file) {
  if (!explicit_file.empty()) return MessageCatalog::Load(explicit_file);
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("MOTCUA_DATA_DIR"); env && *env) {
    candidates.push_back(fs::path(env) / "messages.json");
  }
  candidates.push_back(fs::path("data") / "messages.json");
  candidates.push_back(fs::path(MOTCUA_HTTP_DEFAULT_DATA_DIR) / "messages.json");
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (!fs::exists(p, ec)) continue;
    return MessageCatalog::Load(p);
  }
  detail::LogLine("warning: no messages.json found; error messages fall back to generic ones");
  return MessageCatalog::BuiltIn();
}

std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

class Session;

class Server::Impl {
 public:
  Impl(app::Lifecycle& lifecycle, const Authenticator& auth, ServerOptions options)
      : lifecycle_(lifecycle),
        auth_(auth),
        options_(std::move(options)),
        ioc_(std::max(1, options_.threads)),
        strand_(net::make_strand(ioc_)),
        acceptor_(strand_),
        stop_reader_(strand_),
        grace_timer_(strand_) {
    std::random_device rd;
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%08x", static_cast<unsigned>(rd()));
    id_prefix_ = prefix;
    if (::pipe2(stop_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) stop_pipe_[0] = stop_pipe_[1] = -1;
  }

  ~Impl() {
    destroying_ = true;
    if (stop_pipe_[1] >= 0) ::close(stop_pipe_[1]);
    // Once Start has run, the read end belongs to stop_reader_ (and stop_pipe_[0] is -1).
    if (stop_pipe_[0] >= 0) ::close(stop_pipe_[0]);
  }

  Result<void> Start();
  void Run();
  void Stop() {
    if (stop_pipe_[1] >= 0) {
      const char b = 's';
      // write(2) is async-signal-safe; a full pipe means a stop is already pending.
      [[maybe_unused]] ssize_t n = ::write(stop_pipe_[1], &b, 1);
    }
  }
  uint16_t port() const { return port_; }

  // Used by sessions.
  const ServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }
  std::string NextRequestId() {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s-%06llx", id_prefix_.c_str(),
                  static_cast<unsigned long long>(++requests_));
    return buf;
  }
  Response Dispatch(const Request& req, const std::string& request_id) const;
  Response ErrorFor(const ::motcua::Error& e, const Request* req,
                    const std::string& request_id) const;
  void Unregister(uint64_t id);

 private:
  void DoAccept();
  void OnAccept(boost::system::error_code ec, tcp::socket socket);
  void WaitForStop();
  void BeginShutdown();

  app::Lifecycle& lifecycle_;
  const Authenticator& auth_;
  const ServerOptions options_;
  // Constant after Start.
  std::optional<MessageCatalog> messages_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<StaticFiles> static_files_;
  std::string id_prefix_;
  uint16_t port_ = 0;
  int stop_pipe_[2] = {-1, -1};
  bool started_ = false;

  // Declared before ioc_: sessions still queued in ioc_ unregister while it is destroyed.
  std::atomic<bool> stopping_{false};
  std::atomic<bool> destroying_{false};
  std::atomic<uint64_t> requests_{0};
  std::mutex mu_;
  uint64_t next_session_ = 0;                            // guarded by mu_
  std::map<uint64_t, std::weak_ptr<Session>> sessions_;  // guarded by mu_

  net::io_context ioc_;
  // acceptor_, stop_reader_ and grace_timer_ are used only on strand_.
  net::strand<net::io_context::executor_type> strand_;
  tcp::acceptor acceptor_;
  net::posix::stream_descriptor stop_reader_;
  net::steady_timer grace_timer_;
  char stop_byte_ = 0;
};

// One connection: read a request, answer it, repeat while keep-alive. All of its handlers run on
// the connection's own strand (the stream's executor).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server, uint64_t id)
      : stream_(std::move(socket)), server_(server), id_(id) {}
  ~Session() { server_.Unregister(id_); }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

  // Graceful stop: an idle connection closes now, a busy one after its response.
  void Shutdown() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->closing_ = true;
      if (!self->busy_) self->stream_.cancel();
    });
  }

 private:
  void DoRead() {
    if (closing_ || server_.stopping()) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options().max_header_bytes));
    parser_->body_limit(server_.options().max_body_bytes);
    stream_.expires_after(server_.options().read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(boost::system::error_code ec, size_t) {
    if (!ec) return HandleRequest();
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == bhttp::error::partial_message ||
        ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category()) {
      return Close();  // the peer left, went quiet, or we are stopping: nothing to answer
    }
    // A request we refuse to read further: answer, then close without reading it.
    std::string key = "http.bad_request";
    ErrorCode code = ErrorCode::kInvalidArgument;
    if (ec == bhttp::error::body_limit) {
      key = "http.body_too_large";
      code = ErrorCode::kResourceExhausted;
    } else if (ec == bhttp::error::header_limit) {
      key = "http.headers_too_large";
      code = ErrorCode::kResourceExhausted;
    }
    const std::string id = server_.NextRequestId();
    // The start line and the fields read so far (if any) are in the parser's message.
    const Request* req = parser_ ? &parser_->get() : nullptr;
    Response r = server_.ErrorFor(::motcua::Error{code, key, ec.message(), {}}, req, id);
    const std::string method = req ? std::string(Sv(req->method_string())) : "";
    const std::string target = req ? std::string(Sv(req->target())) : "";
    Send(std::move(r), method.empty() ? "-" : method, target.empty() ? "-" : target, id, false,
         false, std::chrono::steady_clock::now());
  }

  void HandleRequest() {
    busy_ = true;
    const auto started = std::chrono::steady_clock::now();
    const Request& req = parser_->get();
    const std::string id = server_.NextRequestId();
    Response r;
    try {
      r = server_.Dispatch(req, id);
    } catch (const std::exception& e) {
      detail::LogLine("exception request_id=" + id + " what=\"" + detail::Sanitize(e.what()) +
                      "\"");
      r = server_.ErrorFor(::motcua::Error{ErrorCode::kInternal, "internal", e.what(), {}}, &req,
                           id);
    } catch (...) {
      detail::LogLine("exception request_id=" + id + " (unknown)");
      r = server_.ErrorFor(::motcua::Error{ErrorCode::kInternal, "internal", "unknown", {}}, &req,
                           id);
    }
    const bool keep_alive = req.keep_alive() && !closing_ && !server_.stopping();
    Send(std::move(r), std::string(Sv(req.method_string())), std::string(Sv(req.target())), id,
         keep_alive, req.method() == bhttp::verb::head, started);
  }

  void Send(Response r, const std::string& method, const std::string& target,
            const std::string& request_id, bool keep_alive, bool head,
            std::chrono::steady_clock::time_point started) {
    busy_ = true;
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(r.status);
    res->set(bhttp::field::content_type, r.content_type);
    res->set("X-Request-Id", request_id);
    res->set("X-Content-Type-Options", "nosniff");
    res->set("Referrer-Policy", "no-referrer");
    bool has_cache_control = false;
    for (const auto& [name, value] : r.headers) {
      res->set(name, value);
      has_cache_control |= beast::iequals(name, "Cache-Control");
    }
    if (!has_cache_control) res->set(bhttp::field::cache_control, "no-store");
    res->keep_alive(keep_alive);
    if (head) {
      res->content_length(r.body.size());  // what GET would send; no body
    } else {
      res->body() = std::move(r.body);
      res->prepare_payload();
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    detail::LogLine("access " + detail::Sanitize(method, 16) + " " +
                    detail::Sanitize(target.substr(0, target.find('?'))) + " " +
                    std::to_string(r.status) + " " + std::to_string(ms) +
                    "ms request_id=" + request_id);
    response_ = res;
    stream_.expires_after(server_.options().read_timeout);
    bhttp::async_write(
        stream_, *res,
        [self = shared_from_this(), keep_alive](boost::system::error_code ec, size_t) {
          self->busy_ = false;
          self->response_.reset();
          if (ec) return self->Close();
          // Stopping: close at once (lingering waits for the peer, which an idle keep-alive
          // client never ends). Otherwise linger so that a refused client reads its error.
          if (self->closing_ || self->server_.stopping()) return self->Close();
          if (!keep_alive) return self->LingerClose();
          self->DoRead();
        });
  }

  void Close() {
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  // Half-closes, then discards what the client is still sending (the rest of a refused body)
  // until it closes too or kLingerTimeout passes, so it sees our response rather than a reset.
  void LingerClose() {
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    stream_.expires_after(kLingerTimeout);
    Drain();
  }
  void Drain() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](boost::system::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  const uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<bhttp::response<bhttp::string_body>> response_;
  std::array<char, 4096> drain_{};
  bool busy_ = false;     // a request is being answered
  bool closing_ = false;  // close after the current response
};

Result<void> Server::Impl::Start() {
  if (started_) return Fail(ErrorCode::kFailedPrecondition, "http.cannot_listen", "started twice");
  if (stop_pipe_[0] < 0) return Fail(ErrorCode::kUnavailable, "http.cannot_listen", "pipe failed");
  auto endpoint = ParseListen(options_.listen);
  if (!endpoint) return std::unexpected(endpoint.error());
  auto messages = LoadMessages(options_.messages_file);
  if (!messages) return std::unexpected(messages.error());
  messages_ = std::move(*messages);
  api_ = std::make_unique<Api>(lifecycle_, auth_, *messages_);
  static_files_ = std::make_unique<StaticFiles>(options_.static_dir);
  if (!options_.static_dir.empty() && !static_files_->has_root()) {
    detail::LogLine("warning: static directory " + detail::Sanitize(options_.static_dir.string()) +
                    " not found; serving the built-in page");
  }
  boost::system::error_code ec;
  acceptor_.open(endpoint->protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(*endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return Fail(ErrorCode::kUnavailable, "http.cannot_listen",
                options_.listen + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint(ec).port();
  stop_reader_.assign(stop_pipe_[0], ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "http.cannot_listen", ec.message());
  stop_pipe_[0] = -1;  // owned by stop_reader_ now
  started_ = true;
  net::dispatch(strand_, [this] {
    DoAccept();
    WaitForStop();
  });
  return {};
}

void Server::Impl::Run() {
  if (!started_) return;
  auto run = [this] {
    // A handler that throws must not take the process down: log and keep serving.
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        detail::LogLine(std::string("exception in io loop: ") + detail::Sanitize(e.what()));
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < options_.threads; ++i) threads.emplace_back(run);
  run();
  for (auto& t : threads) t.join();
}

void Server::Impl::DoAccept() {
  acceptor_.async_accept(
      net::make_strand(ioc_),
      net::bind_executor(strand_, [this](auto ec, tcp::socket s) { OnAccept(ec, std::move(s)); }));
}

void Server::Impl::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (stopping_ || !acceptor_.is_open()) {
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  if (!ec) {
    std::shared_ptr<Session> session;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const uint64_t id = ++next_session_;
      session = std::make_shared<Session>(std::move(socket), *this, id);
      sessions_[id] = session;
    }
    session->Start();
  } else if (ec != net::error::operation_aborted) {
    // Out of descriptors and the like: keep accepting (the next attempt may succeed).
    detail::LogLine("accept failed: " + ec.message());
  }
  DoAccept();
}

void Server::Impl::WaitForStop() {
  stop_reader_.async_read_some(net::buffer(&stop_byte_, 1),
                               net::bind_executor(strand_, [this](auto ec, size_t) {
                                 if (ec == net::error::operation_aborted) return;
                                 BeginShutdown();
                               }));
}

void Server::Impl::BeginShutdown() {
  if (stopping_.exchange(true)) return;
  boost::system::error_code ec;
  acceptor_.close(ec);
  stop_reader_.close(ec);
  grace_timer_.expires_after(options_.shutdown_grace);
  grace_timer_.async_wait([this](boost::system::error_code e) {
    if (e == net::error::operation_aborted) return;
    detail::LogLine("shutdown grace passed; closing remaining connections");
    ioc_.stop();
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    if (sessions_.empty()) grace_timer_.cancel();
  }
  for (auto& s : live) s->Shutdown();
}

void Server::Impl::Unregister(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(id);
  if (stopping_ && sessions_.empty() && !destroying_) {
    net::post(strand_, [this] { grace_timer_.cancel(); });
  }
}

Response Server::Impl::ErrorFor(const ::motcua::Error& e, const Request* req,
                                const std::string& request_id) const {
  Lang lang = Lang::kVi;
  if (req) {
    auto it = req->find(bhttp::field::accept_language);
    if (it != req->end()) lang = PreferredLanguage(Sv(it->value()));
  }
  return ErrorResponse(e, messages_ ? *messages_ : MessageCatalog::BuiltIn(), lang, request_id);
}

Response Server::Impl::Dispatch(const Request& req, const std::string& request_id) const {
  const std::string_view target = Sv(req.target());
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/api" || path.starts_with("/api/")) return api_->Handle(req, request_id);
  if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
    Response r = ErrorFor(::motcua::Error{ErrorCode::kInvalidArgument,
                                          "http.method_not_allowed",
                                          std::string(Sv(req.method_string())),
                                          {}},
                          &req, request_id);
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  auto r = static_files_->Serve(target);
  if (!r) return ErrorFor(r.error(), &req, request_id);
  return std::move(*r);
}

Server::Server(app::Lifecycle& lifecycle, const Authenticator& auth, ServerOptions options)
    : impl_(std::make_unique<Impl>(lifecycle, auth, std::move(options))) {}
Server::~Server() = default;
Result<void> Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace motcua::http
