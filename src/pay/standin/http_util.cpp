#include "pay/standin/http_util.h"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/url/parse.hpp>
#include <exception>

namespace motcua::pay::standin {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr size_t kBodyLimit = 1u << 20;

std::unexpected<Error> HttpFailed(std::string detail) {
  return Fail(ErrorCode::kUnavailable, "standin.http_failed", std::move(detail));
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// One connection: reads requests, answers each through the handler, until the peer closes,
// asks to close, the handler declines to answer, or 30 s pass without a request.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServer::Handler& handler)
      : stream_(std::move(socket)), handler_(handler) {}

  void Read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == beast::error::timeout) {
      Close();
      return;
    }
    if (ec) {
      response_ = MakeResponse(400, "bad request\n");
      response_.keep_alive(false);
      Write();
      return;
    }
    Request req = parser_->release();
    std::optional<Response> res;
    try {
      res = handler_(req);
    } catch (const std::exception& e) {
      res = MakeResponse(500, "internal error\n");
    }
    if (!res) {
      Close();
      return;
    }
    response_ = std::move(*res);
    response_.version(req.version());
    response_.keep_alive(req.keep_alive() && response_.keep_alive());
    response_.prepare_payload();
    Write();
  }

  void Write() {
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec || !self->response_.keep_alive()) {
                          self->Close();
                          return;
                        }
                        self->Read();
                      });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  const HttpServer::Handler& handler_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
};

}  // namespace

std::string HttpReply::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return {};
}

Response MakeResponse(unsigned status, std::string body, std::string_view content_type) {
  Response res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Result<HttpReply> HttpCall(std::string_view method, std::string_view url, std::string body,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::chrono::milliseconds timeout) {
  auto u = boost::urls::parse_uri(url);
  if (!u || u->scheme() != "http" || u->host().empty()) return HttpFailed("not an http:// URL");
  const std::string host(u->host());
  const std::string port = u->has_port() ? std::string(u->port()) : "80";
  std::string target(u->encoded_path());
  if (target.empty()) target = "/";
  if (u->has_query()) target += "?" + std::string(u->encoded_query());
  const http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown) return HttpFailed("unknown method");

  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto endpoints = resolver.resolve(host, port, ec);
  if (ec) return HttpFailed("cannot resolve host: " + ec.message());

  Request req{verb, target, 11};
  req.set(http::field::host, host + ":" + port);
  req.set(http::field::user_agent, "motcua-gateway-standin");
  req.set(http::field::connection, "close");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  req.prepare_payload();

  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(4u << 20);
  beast::error_code result = net::error::operation_aborted;
  const char* stage = "connect";
  stream.expires_after(timeout);
  stream.async_connect(endpoints, [&](beast::error_code e1, const tcp::endpoint&) {
    if (e1) {
      result = e1;
      return;
    }
    stage = "write";
    http::async_write(stream, req, [&](beast::error_code e2, size_t) {
      if (e2) {
        result = e2;
        return;
      }
      stage = "read";
      http::async_read(stream, buffer, parser, [&](beast::error_code e3, size_t) { result = e3; });
    });
  });
  ioc.run();
  if (result) return HttpFailed(std::string(stage) + ": " + result.message());
  HttpReply reply;
  const auto& res = parser.get();
  reply.status = static_cast<int>(res.result_int());
  reply.body = res.body();
  for (const auto& field : res) {
    reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return reply;
}

HttpServer::HttpServer(Handler handler) : acceptor_(ioc_), handler_(std::move(handler)) {}

HttpServer::~HttpServer() = default;

Result<std::unique_ptr<HttpServer>> HttpServer::Listen(const std::string& host, uint16_t port,
                                                       Handler handler) {
  std::unique_ptr<HttpServer> s(new HttpServer(std::move(handler)));
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable, "standin.cannot_listen", "not an IP address: " + host);
  }
  const tcp::endpoint endpoint(address, port);
  s->acceptor_.open(endpoint.protocol(), ec);
  if (!ec) s->acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s->acceptor_.bind(endpoint, ec);
  if (!ec) s->acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "standin.cannot_listen", ec.message());
  s->port_ = s->acceptor_.local_endpoint().port();
  s->Accept();
  return s;
}

void HttpServer::Accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) std::make_shared<Session>(std::move(socket), handler_)->Read();
    Accept();
  });
}

void HttpServer::Run() { ioc_.run(); }

void HttpServer::Stop() { ioc_.stop(); }

}  // namespace motcua::pay::standin
