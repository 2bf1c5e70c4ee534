// Minimal HTTP/1.1 plumbing for the stand-in gateway and its test (Boost.Beast, plain TCP, no
// TLS): a one-request client with a deadline, and a single-threaded server that hands every
// request to one handler. Not for the production server (src/http has the hardened one).
// Thread-safety: HttpCall is reentrant; an HttpServer runs on the thread that calls Run(), and
// Stop() may be called from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace motcua::pay::standin {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct HttpReply {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string Header(std::string_view name) const;  // case-insensitive, first; empty if none
};

// Sends one request to an http:// URL and reads the answer (connection closed afterwards).
// Error standin.http_failed (kUnavailable) when the URL is not http://host:port/…, the connection
// fails or closes early, or `timeout` passes.
Result<HttpReply> HttpCall(std::string_view method, std::string_view url, std::string body = {},
                           const std::vector<std::pair<std::string, std::string>>& headers = {},
                           std::chrono::milliseconds timeout = std::chrono::seconds(5));

// A response with a body and a content type.
Response MakeResponse(unsigned status, std::string body,
                      std::string_view content_type = "text/plain; charset=utf-8");

class HttpServer {
 public:
  // nullopt: close the connection without answering (tests use it to simulate failures).
  using Handler = std::function<std::optional<Response>(const Request&)>;

  // Binds host:port (port 0: any free port). Error standin.cannot_listen (kUnavailable).
  static Result<std::unique_ptr<HttpServer>> Listen(const std::string& host, uint16_t port,
                                                    Handler handler);
  ~HttpServer();

  uint16_t port() const { return port_; }
  // Serves until Stop().
  void Run();
  void Stop();

 private:
  HttpServer(Handler handler);
  void Accept();

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Handler handler_;
  uint16_t port_ = 0;
};

}  // namespace motcua::pay::standin
