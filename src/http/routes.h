// The JSON API under /api/v1 (docs/api.md): a router (method + path with {name} segments,
// percent-decoded; 404 http.not_found, 405 http.method_not_allowed + Allow) and the handlers over
// app::Lifecycle. The actor always comes from the Authenticator, never the body; read access is
// checked here, action rights by the use cases. Thread-safety: Api::Handle is thread-safe.
#pragma once

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/actor.h"
#include "app/lifecycle.h"
#include "base/error.h"
#include "http/auth.h"
#include "http/errors.h"

namespace motcua::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;

// A response before serialisation.
struct Response {
  unsigned status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Builds the JSON error response for `e` (RenderError + content type + headers).
Response ErrorResponse(const Error& e, const MessageCatalog& messages, Lang lang,
                       std::string_view request_id);

// What a handler sees of one request.
class Call {
 public:
  Call(const Request& raw, std::string_view request_id, const Authenticator& auth)
      : raw_(raw), request_id_(request_id), auth_(auth) {}

  // The authenticated actor (auth.missing / auth.invalid otherwise).
  Result<app::Actor> Actor() const;
  // The JSON object body: an empty body is {}; otherwise Content-Type must be application/json
  // (http.unsupported_media_type), the text must parse (json.malformed) and be an object
  // (json.bad_field "body").
  Result<boost::json::object> Body() const;
  // A path parameter ({code}) — always present when the route matched.
  const std::string& Param(const std::string& name) const { return params_.at(name); }
  // A query parameter, if given (decoded).
  const std::string* Query(const std::string& name) const;

  const Request& raw() const { return raw_; }
  std::string_view request_id() const { return request_id_; }

 private:
  friend class Api;
  const Request& raw_;
  std::string_view request_id_;
  const Authenticator& auth_;
  std::map<std::string, std::string> params_;
  std::map<std::string, std::string> query_;
};

struct Reply {
  unsigned status = 200;
  boost::json::value body;
  std::vector<std::pair<std::string, std::string>> headers;
};
using Handler = std::function<Result<Reply>(Call&)>;

class Router {
 public:
  // `pattern` is an absolute path; a segment "{name}" captures one decoded segment.
  void Add(beast_http::verb method, std::string_view pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: no route for this method
    std::map<std::string, std::string> params;
    std::vector<beast_http::verb> allowed;  // methods of the routes matching the path
  };
  // HEAD matches GET routes.
  Match Find(beast_http::verb method, const std::vector<std::string>& segments) const;

 private:
  struct Route {
    beast_http::verb method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

// "GET, HEAD, POST" for an Allow header.
std::string AllowHeader(const std::vector<beast_http::verb>& methods);

class Api {
 public:
  Api(app::Lifecycle& lifecycle, const Authenticator& auth, const MessageCatalog& messages);

  // Serves one /api/ request; never throws for bad input (errors become JSON responses).
  Response Handle(const Request& req, std::string_view request_id) const;

 private:
  void AddRoutes();
  Result<Reply> Health(Call& c) const;
  Result<Reply> ListProcedures(Call& c) const;
  Result<Reply> GetProcedure(Call& c) const;
  Result<Reply> ListUnits(Call& c) const;
  Result<Reply> Submit(Call& c) const;
  Result<Reply> ListDossiers(Call& c) const;
  Result<Reply> GetDossier(Call& c) const;
  // The shared shape of POST /dossiers/{code}/<action>: authenticate, read the body, run.
  using Action = std::function<Result<domain::Dossier>(const app::Actor&, const std::string& code,
                                                       const boost::json::object& body)>;
  Result<Reply> Act(Call& c, const Action& action) const;
  Reply DossierReply(const domain::Dossier& d, unsigned status) const;

  app::Lifecycle& lifecycle_;
  const Authenticator& auth_;
  const MessageCatalog& messages_;
  Router router_;
};

}  // namespace motcua::http
