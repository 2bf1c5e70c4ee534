#include "http/server.h"

#include <fcntl.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "http/detail/client_address.h"
#include "http/detail/log.h"
#include "http/detail/rate_limiter.h"
#include "http/errors.h"
#include "http/routes.h"
#include "http/static_files.h"

#ifndef MOTCUA_HTTP_DEFAULT_DATA_DIR
#define MOTCUA_HTTP_DEFAULT_DATA_DIR "data"
#endif

namespace motcua::http {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
namespace fs = std::filesystem;
using detail::Level;
using detail::LogRecord;

namespace {

constexpr std::chrono::seconds kLingerTimeout{5};
constexpr std::string_view kHealthRoute = "/healthz";
constexpr std::string_view kMetricsRoute = "/metrics";

// The security headers of every response (issue #4). The CSP allows only this origin's scripts,
// styles and connections (the web app is served from here), images also as data: URLs, and
// forbids framing, plugins, <base> and foreign form targets.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";
constexpr std::string_view kStrictTransportSecurity = "max-age=31536000; includeSubDomains";

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
  LogRecord(Level::kWarn, "config")
      .Str("msg", "no messages.json found; error messages fall back to generic ones")
      .Emit();
  return MessageCatalog::BuiltIn();
}

// TLS 1.2 and 1.3 only; for 1.2 only forward-secret AEAD suites (1.3's suites are all such).
Result<std::unique_ptr<ssl::context>> LoadTls(const fs::path& cert, const fs::path& key) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1) {
    return Fail(ErrorCode::kInternal, "http.bad_tls", "cannot restrict protocol versions");
  }
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert.string(), ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, "http.bad_tls", cert.string() + ": " + ec.message());
  ctx->use_private_key_file(key.string(), ssl::context::pem, ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, "http.bad_tls", key.string() + ": " + ec.message());
  if (SSL_CTX_check_private_key(native) != 1) {
    return Fail(ErrorCode::kInvalidArgument, "http.bad_tls",
                "the private key does not match the certificate");
  }
  return ctx;
}

std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The values of every `name` header line joined with ", " (a list header may be split).
std::string JoinedHeader(const Request& req, std::string_view name) {
  std::string out;
  const auto [first, last] = req.equal_range(name);
  for (auto it = first; it != last; ++it) {
    if (!out.empty()) out += ", ";
    out += Sv(it->value());
  }
  return out;
}

}  // namespace

// What Server::Impl knows of a live connection: enough to stop it.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Graceful stop: an idle connection closes now, a busy one after its response.
  virtual void Shutdown() = 0;
};

class Server::Impl {
 public:
  Impl(app::Lifecycle& lifecycle, const Authenticator& auth, ServerOptions options,
       app::Accounts* accounts)
      : lifecycle_(lifecycle),
        auth_(auth),
        accounts_(accounts),
        options_(std::move(options)),
        limiter_(options_.rate_limit_per_second, options_.rate_limit_burst,
                 options_.rate_limit_clients),
        ioc_(std::max(1, options_.threads)),
        strand_(net::make_strand(ioc_)),
        acceptor_(strand_),
        stop_reader_(strand_),
        grace_timer_(strand_) {
    std::random_device rd;
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%08x", static_cast<unsigned>(rd()));
    id_prefix_ = prefix;
    start_time_s_ = std::chrono::duration<double>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
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
  // The client behind a connection from `peer`, given the request's proxy headers.
  RequestMeta Meta(std::string request_id, const net::ip::address& peer, bool transport_tls,
                   const Request* req) const {
    detail::ClientInfo c =
        req ? detail::ResolveClient(peer, transport_tls, trusted_proxies_,
                                    JoinedHeader(*req, "X-Forwarded-For"),
                                    JoinedHeader(*req, "X-Forwarded-Proto"))
            : detail::ClientInfo{detail::Normalize(peer).to_string(), transport_tls};
    return RequestMeta{std::move(request_id), std::move(c.address), c.tls};
  }
  detail::RateLimiter::Decision Admit(const RequestMeta& meta) {
    auto d = limiter_.Take(detail::RateLimiter::KeyOf(meta.remote_address), SteadyNanos());
    if (!d.allowed) metrics_->CountRateLimited();
    return d;
  }
  Response Dispatch(const Request& req, const RequestMeta& meta) const;
  Response ErrorFor(const ::motcua::Error& e, const Request* req,
                    const std::string& request_id) const;
  Metrics& metrics() { return *metrics_; }
  void Unregister(uint64_t id);

 private:
  void DoAccept();
  void OnAccept(boost::system::error_code ec, tcp::socket socket);
  void WaitForStop();
  void BeginShutdown();
  Response Health(const Request& req, const RequestMeta& meta) const;
  Response MetricsPage(const Request& req, const RequestMeta& meta) const;

  app::Lifecycle& lifecycle_;
  const Authenticator& auth_;
  app::Accounts* const accounts_;
  const ServerOptions options_;
  detail::RateLimiter limiter_;  // thread-safe
  // Constant after Start.
  std::optional<MessageCatalog> messages_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<StaticFiles> static_files_;
  std::unique_ptr<Metrics> metrics_;  // recording is thread-safe
  std::unique_ptr<ssl::context> tls_;  // null: plain HTTP
  detail::AddressSet trusted_proxies_;
  detail::AddressSet metrics_allow_;
  std::string id_prefix_;
  double start_time_s_ = 0;
  uint16_t port_ = 0;
  int stop_pipe_[2] = {-1, -1};
  bool started_ = false;

  // Declared before ioc_: sessions still queued in ioc_ unregister while it is destroyed.
  std::atomic<bool> stopping_{false};
  std::atomic<bool> destroying_{false};
  std::atomic<uint64_t> requests_{0};
  std::mutex mu_;
  uint64_t next_session_ = 0;                                // guarded by mu_
  std::map<uint64_t, std::weak_ptr<SessionBase>> sessions_;  // guarded by mu_

  net::io_context ioc_;
  // acceptor_, stop_reader_ and grace_timer_ are used only on strand_.
  net::strand<net::io_context::executor_type> strand_;
  tcp::acceptor acceptor_;
  net::posix::stream_descriptor stop_reader_;
  net::steady_timer grace_timer_;
  char stop_byte_ = 0;
};

// One connection over `Stream` (beast::tcp_stream, or beast::ssl_stream over it): [TLS
// handshake,] then per request: wait for its first byte (idle timeout), read the header under
// the header deadline, admit it (rate limit), read the body under the body deadline, answer,
// repeat while keep-alive. All handlers run on the connection's own strand (the stream's
// executor).
template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  template <class... Args>
  Session(Server::Impl& server, uint64_t id, tcp::socket socket, Args&... tls_context)
      : stream_(std::move(socket), tls_context...),
        server_(server),
        id_(id),
        deadline_(stream_.get_executor()) {
    boost::system::error_code ec;
    const auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address();
    server_.metrics().ConnectionOpened();
  }
  ~Session() override {
    server_.metrics().ConnectionClosed();
    server_.Unregister(id_);
  }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Handshake();
      } else {
        self->ReadHeader();
      }
    });
  }

  void Shutdown() override {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      self->closing_ = true;
      if (!self->busy_) self->Lowest().cancel();
    });
  }

 private:
  enum class Phase { kHeader, kBody };

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // The header and body deadlines are our own timer rather than tcp_stream's expiry, which
  // closes the socket: on expiry we cancel the read and can still answer 408.
  void Arm(std::chrono::milliseconds d) {
    const uint64_t gen = ++deadline_gen_;
    timed_out_ = false;
    Lowest().expires_never();
    deadline_.expires_after(d);
    deadline_.async_wait([self = this->shared_from_this(), gen](boost::system::error_code ec) {
      if (ec || gen != self->deadline_gen_) return;  // disarmed, or a stale expiry
      self->timed_out_ = true;
      boost::system::error_code ignored;
      self->Lowest().socket().cancel(ignored);
    });
  }
  void Disarm() {
    ++deadline_gen_;
    deadline_.cancel();
  }

  void Handshake() {
    if constexpr (kTls) {
      Arm(server_.options().header_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](boost::system::error_code ec) {
                                self->Disarm();
                                // A failed handshake (a plain-HTTP client, a scanner, too
                                // slow) gets no HTTP answer: there is no channel for one.
                                if (ec) return self->Close();
                                self->tls_up_ = true;
                                self->ReadHeader();
                              });
    }
  }

  // Between keep-alive requests: wait up to idle_timeout for the next request's first byte,
  // then give it the full header deadline.
  void WaitForRequest() {
    if (closing_ || server_.stopping()) return Close();
    if (buffer_.size() > 0) return ReadHeader();  // pipelined: already here
    Lowest().expires_after(server_.options().idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(4096),
        [self = this->shared_from_this()](boost::system::error_code ec, size_t n) {
          self->buffer_.commit(n);
          self->Lowest().expires_never();
          if (ec) return self->Close();  // idle too long, the peer left, or we are stopping
          self->ReadHeader();
        });
  }

  void ReadHeader() {
    if (closing_ || server_.stopping()) return Close();
    upload_.reset();
    upload_request_.reset();
    upload_parser_.reset();
    meta_.upload = nullptr;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options().max_header_bytes));
    // The larger of the two limits while the header is read (Beast refuses a Content-Length over
    // the limit as soon as it sees it); OnHeader narrows it to the route's own.
    parser_->body_limit(std::max({server_.options().max_body_bytes,
                                  server_.options().max_upload_bytes,
                                  server_.options().max_pdf_bytes}));
    phase_ = Phase::kHeader;
    Arm(server_.options().header_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
          self->Disarm();
          if (ec) return self->OnReadError(ec);
          self->OnHeader();
        });
  }

  void OnHeader() {
    started_ = std::chrono::steady_clock::now();
    const Request& req = parser_->get();
    // File uploads and whole PDFs (and only they) may carry more than a JSON body.
    std::string_view path(req.target().data(), req.target().size());
    path = path.substr(0, path.find('?'));
    const bool post = req.method() == bhttp::verb::post;
    const size_t limit = post && path == kUploadTarget ? server_.options().max_upload_bytes
                         : post && (path == kVerifyTarget || path == kSignTarget)
                             ? server_.options().max_pdf_bytes
                             : server_.options().max_body_bytes;
    if (const auto length = parser_->content_length(); length && *length > limit) {
      return OnReadError(bhttp::error::body_limit);
    }
    parser_->body_limit(limit);
    meta_ = server_.Meta(server_.NextRequestId(), peer_, tls_up_, &req);
    // Before the body is read: a throttled client's megabyte is not worth reading.
    if (const auto d = server_.Admit(meta_); !d.allowed) {
      ::motcua::Error e{ErrorCode::kResourceExhausted, "http.rate_limited", meta_.remote_address,
                        {}};
      e.With("retry_after", std::to_string(d.retry_after_s));
      Response r = server_.ErrorFor(e, &req, meta_.request_id);
      r.headers.emplace_back("Retry-After", std::to_string(d.retry_after_s));
      // An unread body stays in the way of the next request: then close (after draining).
      const bool keep_alive =
          parser_->is_done() && req.keep_alive() && !closing_ && !server_.stopping();
      return Send(std::move(r), keep_alive, req.method() == bhttp::verb::head);
    }
    if (parser_->is_done()) return HandleRequest();
    phase_ = Phase::kBody;
    if (post && path == kUploadTarget && server_.options().services.files) {
      return StartUpload(limit);
    }
    Arm(server_.options().body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                        self->Disarm();
                        if (ec) return self->OnReadError(ec);
                        self->HandleRequest();
                      });
  }

  void OnReadError(boost::system::error_code ec) {
    const bool got_some =
        upload_request_ || (parser_ && (parser_->got_some() || buffer_.size() > 0));
    std::string key;
    ErrorCode code = ErrorCode::kInvalidArgument;
    if (timed_out_) {
      // Too slow (Slowloris, or a stalled upload): 408, then close (lingering at most
      // kLingerTimeout so that the client reads the 408 rather than a reset). A connection that
      // sent nothing of a request is closed without a word.
      if (!got_some && phase_ == Phase::kHeader) return Close();
      key = "http.request_timeout";
      code = ErrorCode::kDeadlineExceeded;
    } else if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
               ec == bhttp::error::partial_message ||
               ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category()) {
      return Close();  // the peer left, or we are stopping: nothing to answer
    } else if (ec == bhttp::error::body_limit) {
      key = "http.body_too_large";
      code = ErrorCode::kResourceExhausted;
    } else if (ec == bhttp::error::header_limit) {
      key = "http.headers_too_large";
      code = ErrorCode::kResourceExhausted;
    } else {
      key = "http.bad_request";
    }
    // The start line and the fields read so far (if any) are in the parser's message.
    const Request* req = Current();
    if (phase_ == Phase::kHeader) {
      started_ = std::chrono::steady_clock::now();
      meta_ = server_.Meta(server_.NextRequestId(), peer_, tls_up_, nullptr);
    }
    Response r = server_.ErrorFor(::motcua::Error{code, key, ec.message(), {}},
                                  req ? req : parser_ ? &parser_->get() : nullptr,
                                  meta_.request_id);
    if (key == "http.request_timeout") r.status = 408;  // the client's delay, not ours (504)
    Send(std::move(r), false, req && req->method() == bhttp::verb::head);
  }

  // POST /api/v1/files: the body goes chunk by chunk into a staged blob (app::Files), never
  // whole into memory; the writer refuses as soon as the file limit is passed (a chunked body
  // has no Content-Length to refuse up front). The route then authenticates and commits it.
  void StartUpload(size_t limit) {
    auto staged = server_.options().services.files->BeginUpload();
    const Request& header = parser_->get();
    if (!staged) {
      return Send(server_.ErrorFor(staged.error(), &header, meta_.request_id), false,
                  header.method() == bhttp::verb::head);
    }
    upload_.emplace(std::move(*staged));
    upload_request_.emplace(header.base());
    upload_parser_.emplace(std::move(*parser_));
    parser_.reset();
    // Beast checks each chunk header against its limit before handing over the bytes already
    // in our buffer (up to one chunk of them): with this margin the writer's own limit, which is
    // below `limit`, always speaks first and the client gets file.too_large, not a cut-off.
    upload_parser_->body_limit(limit + 2 * kUploadChunk);
    if (!upload_buf_) upload_buf_ = std::make_unique<char[]>(kUploadChunk);
    meta_.upload = &*upload_;
    Arm(server_.options().body_timeout);
    ReadUploadChunk();
  }

  void ReadUploadChunk() {
    auto& body = upload_parser_->get().body();
    body.data = upload_buf_.get();
    body.size = kUploadChunk;
    body.more = true;
    bhttp::async_read(stream_, buffer_, *upload_parser_,
                      [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                        if (ec == bhttp::error::need_buffer) ec = {};
                        if (ec) {
                          self->Disarm();
                          return self->OnReadError(ec);
                        }
                        const size_t got = kUploadChunk - self->upload_parser_->get().body().size;
                        if (got > 0) {
                          auto w = self->upload_->Write({self->upload_buf_.get(), got});
                          if (!w) {
                            // Refused mid-body (too large): answer now, drain the rest, close.
                            self->Disarm();
                            return self->Send(self->server_.ErrorFor(w.error(), self->Current(),
                                                                     self->meta_.request_id),
                                              false, false);
                          }
                        }
                        if (self->upload_parser_->is_done()) {
                          self->Disarm();
                          return self->HandleRequest();
                        }
                        self->ReadUploadChunk();
                      });
  }

  // The request being answered: the streamed upload's header, or the parser's message once its
  // header is complete.
  const Request* Current() const {
    if (upload_request_) return &*upload_request_;
    return parser_ && parser_->is_header_done() ? &parser_->get() : nullptr;
  }

  void HandleRequest() {
    busy_ = true;
    const Request& req = *Current();
    Response r;
    try {
      r = server_.Dispatch(req, meta_);
    } catch (const std::exception& e) {
      LogRecord(Level::kError, "exception")
          .Str("request_id", meta_.request_id)
          .Str("what", e.what(), 500)
          .Emit();
      r = server_.ErrorFor(::motcua::Error{ErrorCode::kInternal, "internal", e.what(), {}}, &req,
                           meta_.request_id);
    } catch (...) {
      LogRecord(Level::kError, "exception").Str("request_id", meta_.request_id).Emit();
      r = server_.ErrorFor(::motcua::Error{ErrorCode::kInternal, "internal", "unknown", {}}, &req,
                           meta_.request_id);
    }
    const bool keep_alive = req.keep_alive() && !closing_ && !server_.stopping();
    Send(std::move(r), keep_alive, req.method() == bhttp::verb::head);
  }

  void Send(Response r, bool keep_alive, bool head) {
    busy_ = true;
    // A staged upload the route did not commit is removed now (and never outlives its request).
    upload_.reset();
    meta_.upload = nullptr;
    if (r.file) return SendFile(std::move(r), keep_alive, head);
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    SetHeaders(*res, r, keep_alive);
    Record(r, head ? 0 : r.body.size());
    if (head) {
      res->content_length(r.body.size());  // what GET would send; no body
    } else {
      res->body() = std::move(r.body);
      res->prepare_payload();
    }
    response_ = res;
    Lowest().expires_after(server_.options().write_timeout);
    bhttp::async_write(stream_, *res,
                       [self = this->shared_from_this(), keep_alive](
                           boost::system::error_code ec, size_t) { self->OnWritten(ec, keep_alive); });
  }

  // A download streamed from the blob's file (Beast reads it in pieces as the socket drains).
  void SendFile(Response r, bool keep_alive, bool head) {
    const store::BlobReader file = *r.file;
    if (head) {
      auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
      SetHeaders(*res, r, keep_alive);
      Record(r, 0);
      res->content_length(static_cast<uint64_t>(file.size));
      response_ = res;
      Lowest().expires_after(server_.options().write_timeout);
      bhttp::async_write(stream_, *res,
                         [self = this->shared_from_this(), keep_alive](
                             boost::system::error_code ec, size_t) { self->OnWritten(ec, keep_alive); });
      return;
    }
    auto res = std::make_shared<bhttp::response<bhttp::file_body>>();
    boost::system::error_code open_ec;
    res->body().open(file.path.c_str(), beast::file_mode::scan, open_ec);
    if (open_ec) {
      return Send(server_.ErrorFor(::motcua::Error{ErrorCode::kDataLoss, "file.missing",
                                                   open_ec.message(), {}},
                                   Current(), meta_.request_id),
                  keep_alive, head);
    }
    SetHeaders(*res, r, keep_alive);
    res->prepare_payload();
    Record(r, static_cast<size_t>(res->body().size()));
    file_response_ = res;
    Lowest().expires_after(server_.options().write_timeout);
    bhttp::async_write(stream_, *res,
                       [self = this->shared_from_this(), keep_alive](
                           boost::system::error_code ec, size_t) { self->OnWritten(ec, keep_alive); });
  }

  template <class Message>
  void SetHeaders(Message& res_ref, const Response& r, bool keep_alive) {
    auto* res = &res_ref;
    res->version(11);
    res->result(r.status);
    res->set(bhttp::field::content_type, r.content_type);
    res->set("X-Request-Id", meta_.request_id);
    res->set("Content-Security-Policy", kContentSecurityPolicy);
    res->set("X-Frame-Options", "DENY");
    res->set("X-Content-Type-Options", "nosniff");
    res->set("Referrer-Policy", "no-referrer");
    res->set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    res->set("Cross-Origin-Opener-Policy", "same-origin");
    res->set("Cross-Origin-Resource-Policy", "same-origin");
    if (meta_.tls) res->set("Strict-Transport-Security", kStrictTransportSecurity);
    bool has_cache_control = false;
    for (const auto& [name, value] : r.headers) {
      res->set(name, value);
      has_cache_control |= beast::iequals(name, "Cache-Control");
    }
    if (!has_cache_control) res->set(bhttp::field::cache_control, "no-store");
    res->keep_alive(keep_alive);
  }

  void OnWritten(boost::system::error_code ec, bool keep_alive) {
    busy_ = false;
    response_.reset();
    file_response_.reset();
    Lowest().expires_never();
    if (ec) return Close();
    // Stopping: close at once (lingering waits for the peer, which an idle keep-alive
    // client never ends). Otherwise linger so that a refused client reads its error.
    if (closing_ || server_.stopping()) return Close();
    if (!keep_alive) return LingerClose();
    WaitForRequest();
  }

  // The access-log line and the metrics of one response.
  void Record(const Response& r, size_t body_bytes) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const Request* req = Current();
    const std::string method = req ? std::string(Sv(req->method_string())) : "-";
    const std::string_view target = req ? Sv(req->target()) : std::string_view("-");
    const std::string_view route = r.route.empty() ? Metrics::kOtherRoute : r.route;
    server_.metrics().Observe(method, route, r.status, seconds);
    LogRecord line(r.status >= 500 ? Level::kError : Level::kInfo, "access");
    line.Str("request_id", meta_.request_id)
        .Str("method", method, 16)
        .Str("route", route)
        .Str("path", target.substr(0, target.find('?')))  // never the query string
        .Int("status", r.status)
        .Int("ms", static_cast<int64_t>(seconds * 1000))
        .Str("remote", meta_.remote_address)
        .Bool("tls", meta_.tls)
        .Int("bytes", static_cast<int64_t>(body_bytes));
    if (r.status >= 400 && r.body.size() < 4096 && r.content_type.starts_with("application/json")) {
      boost::system::error_code ec;
      const boost::json::value v = boost::json::parse(r.body, ec);
      const boost::json::value* key = !ec && v.is_object() ? v.get_object().if_contains("code") : nullptr;
      if (key && key->is_string()) {
        server_.metrics().CountError(key->get_string());
        line.Str("key", key->get_string(), 64);
      }
    }
    line.Emit();
  }

  void Close() {
    Disarm();
    boost::system::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    Lowest().socket().close(ec);
  }

  // Half-closes, then discards what the client is still sending (the rest of a refused body)
  // until it closes too or kLingerTimeout passes, so it sees our response rather than a reset.
  // Over TLS: close_notify, then wait (as long) for the client's.
  void LingerClose() {
    Lowest().expires_after(kLingerTimeout);
    if constexpr (kTls) {
      stream_.async_shutdown(
          [self = this->shared_from_this()](boost::system::error_code) { self->Close(); });
    } else {
      boost::system::error_code ec;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
      if (ec) return Close();
      Drain();
    }
  }
  void Drain() {
    Lowest().async_read_some(net::buffer(drain_),
                             [self = this->shared_from_this()](boost::system::error_code ec,
                                                               size_t) {
                               if (ec) return self->Close();
                               self->Drain();
                             });
  }

  Stream stream_;
  Server::Impl& server_;
  const uint64_t id_;
  net::ip::address peer_;
  net::steady_timer deadline_;
  uint64_t deadline_gen_ = 0;
  bool timed_out_ = false;  // the armed deadline fired and cancelled the read
  Phase phase_ = Phase::kHeader;
  bool tls_up_ = false;  // the TLS handshake completed
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // A streamed upload (StartUpload): the parser reading its body in chunks, the header as a
  // Request for the route, the staged blob, the chunk buffer (allocated on first use).
  static constexpr size_t kUploadChunk = 64 << 10;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> upload_parser_;
  std::optional<Request> upload_request_;
  std::optional<store::BlobWriter> upload_;
  std::unique_ptr<char[]> upload_buf_;
  RequestMeta meta_;
  std::chrono::steady_clock::time_point started_;
  std::shared_ptr<bhttp::response<bhttp::string_body>> response_;
  std::shared_ptr<bhttp::response<bhttp::file_body>> file_response_;
  std::array<char, 4096> drain_{};
  bool busy_ = false;     // a request is being answered
  bool closing_ = false;  // close after the current response
};

Result<void> Server::Impl::Start() {
  if (started_) return Fail(ErrorCode::kFailedPrecondition, "http.cannot_listen", "started twice");
  if (stop_pipe_[0] < 0) return Fail(ErrorCode::kUnavailable, "http.cannot_listen", "pipe failed");
  auto endpoint = ParseListen(options_.listen);
  if (!endpoint) return std::unexpected(endpoint.error());
  auto trusted = detail::AddressSet::Parse(options_.trusted_proxies);
  if (!trusted) return std::unexpected(trusted.error());
  trusted_proxies_ = std::move(*trusted);
  auto allow = detail::AddressSet::Parse(options_.metrics_allow);
  if (!allow) return std::unexpected(allow.error());
  metrics_allow_ = std::move(*allow);
  std::set<std::string> gauge_names;
  for (const MetricGauge& g : options_.gauges) {
    if (!Metrics::ValidName(g.name) || !g.value || !gauge_names.insert(g.name).second ||
        g.name.starts_with("motcua_http_")) {
      return Fail(ErrorCode::kInvalidArgument, "http.bad_metric_name", g.name);
    }
  }
  if (options_.tls_cert_file.empty() != options_.tls_key_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "http.bad_tls",
                "a certificate needs its key and a key its certificate");
  }
  if (!options_.tls_cert_file.empty()) {
    auto tls = LoadTls(options_.tls_cert_file, options_.tls_key_file);
    if (!tls) return std::unexpected(tls.error());
    tls_ = std::move(*tls);
  }
  auto messages = LoadMessages(options_.messages_file);
  if (!messages) return std::unexpected(messages.error());
  messages_ = std::move(*messages);
  api_ = std::make_unique<Api>(lifecycle_, accounts_, auth_, *messages_, options_.services);
  std::vector<std::string> routes = {std::string(kHealthRoute), std::string(kMetricsRoute)};
  for (const RouteInfo& r : api_->Routes()) routes.push_back(r.pattern);
  metrics_ = std::make_unique<Metrics>(routes, messages_->Keys(), options_.gauges, start_time_s_);
  static_files_ = std::make_unique<StaticFiles>(options_.static_dir);
  if (!options_.static_dir.empty() && !static_files_->has_root()) {
    LogRecord(Level::kWarn, "config")
        .Str("msg", "static directory not found; serving the built-in page")
        .Str("static_dir", options_.static_dir.string())
        .Emit();
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
  LogRecord(Level::kInfo, "start")
      .Str("listen", options_.listen)
      .Int("port", port_)
      .Bool("tls", tls_ != nullptr)
      .Int("threads", options_.threads)
      .Emit();
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
        LogRecord(Level::kError, "exception").Str("where", "io loop").Str("what", e.what()).Emit();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < options_.threads; ++i) threads.emplace_back(run);
  run();
  for (auto& t : threads) t.join();
  LogRecord(Level::kInfo, "stop").Emit();
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
    // Registered under mu_, started (and possibly released: ~Session takes mu_) outside it.
    std::function<void()> start;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const uint64_t id = ++next_session_;
      if (tls_) {
        auto s = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
            *this, id, std::move(socket), *tls_);
        sessions_[id] = s;
        start = [s] { s->Start(); };
      } else {
        auto s = std::make_shared<Session<beast::tcp_stream>>(*this, id, std::move(socket));
        sessions_[id] = s;
        start = [s] { s->Start(); };
      }
    }
    start();
  } else if (ec != net::error::operation_aborted) {
    // Out of descriptors and the like: keep accepting (the next attempt may succeed).
    LogRecord(Level::kWarn, "accept_failed").Str("error", ec.message()).Emit();
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
  LogRecord(Level::kInfo, "stopping").Emit();
  boost::system::error_code ec;
  acceptor_.close(ec);
  stop_reader_.close(ec);
  grace_timer_.expires_after(options_.shutdown_grace);
  grace_timer_.async_wait([this](boost::system::error_code e) {
    if (e == net::error::operation_aborted) return;
    LogRecord(Level::kWarn, "shutdown_grace_passed")
        .Str("msg", "closing remaining connections")
        .Emit();
    ioc_.stop();
  });
  std::vector<std::shared_ptr<SessionBase>> live;
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

Response Server::Impl::Health(const Request& req, const RequestMeta& meta) const {
  Response r;
  if (options_.ready && !options_.ready()) {
    r = ErrorFor(::motcua::Error{ErrorCode::kUnavailable, "http.not_ready", "ready() false", {}},
                 &req, meta.request_id);
  } else {
    r.body = R"({"status":"ok"})";
  }
  r.route = std::string(kHealthRoute);
  return r;
}

Response Server::Impl::MetricsPage(const Request& req, const RequestMeta& meta) const {
  // Not for the public: other clients are told there is nothing here, as for any unknown path.
  const auto client = detail::ParseAddress(meta.remote_address);
  Response r;
  if (!client || !metrics_allow_.Contains(*client)) {
    r = ErrorFor(::motcua::Error{ErrorCode::kNotFound, "http.not_found", "/metrics refused", {}},
                 &req, meta.request_id);
  } else {
    r.content_type = std::string(Metrics::kContentType);
    r.body = metrics_->Render();
  }
  r.route = std::string(kMetricsRoute);
  return r;
}

Response Server::Impl::Dispatch(const Request& req, const RequestMeta& meta) const {
  const std::string& request_id = meta.request_id;
  const std::string_view target = Sv(req.target());
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/api" || path.starts_with("/api/")) return api_->Handle(req, meta);
  const bool special = path == kHealthRoute || path == kMetricsRoute;
  if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
    Response r = ErrorFor(::motcua::Error{ErrorCode::kInvalidArgument,
                                          "http.method_not_allowed",
                                          std::string(Sv(req.method_string())),
                                          {}},
                          &req, request_id);
    r.headers.emplace_back("Allow", "GET, HEAD");
    r.route = special ? std::string(path) : std::string(Metrics::kStaticRoute);
    return r;
  }
  if (path == kHealthRoute) return Health(req, meta);
  if (path == kMetricsRoute) return MetricsPage(req, meta);
  auto r = static_files_->Serve(target);
  Response out = r ? std::move(*r) : ErrorFor(r.error(), &req, request_id);
  out.route = std::string(Metrics::kStaticRoute);
  return out;
}

Server::Server(app::Lifecycle& lifecycle, const Authenticator& auth, ServerOptions options,
               app::Accounts* accounts)
    : impl_(std::make_unique<Impl>(lifecycle, auth, std::move(options), accounts)) {}
Server::~Server() = default;
Result<void> Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace motcua::http
