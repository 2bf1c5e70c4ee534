#include "http/openapi.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "base/json.h"

#ifndef MOTCUA_HTTP_DEFAULT_DATA_DIR
#define MOTCUA_HTTP_DEFAULT_DATA_DIR "data"
#endif

namespace motcua::http {

namespace bj = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSchemaRef = "#/components/schemas/";
constexpr std::string_view kParameterRef = "#/components/parameters/";

Error DocError(std::string key, std::string_view route, std::string detail) {
  Error e{ErrorCode::kInternal, std::move(key), std::move(detail), {}};
  e.With("route", std::string(route.substr(0, 120)));
  return e;
}

Error BadDocs(std::string_view route, std::string detail) {
  return DocError("openapi.bad_route_docs", route, std::move(detail));
}

// A non-empty string member, or nullptr.
const bj::string* Text(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (!v || !v->is_string() || v->get_string().empty()) return nullptr;
  return &v->get_string();
}

// The {name} segments of a pattern, in order.
std::vector<std::string> PathParams(std::string_view pattern) {
  std::vector<std::string> out;
  size_t open = pattern.find('{');
  while (open != std::string_view::npos) {
    const size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    out.emplace_back(pattern.substr(open + 1, close - open - 1));
    open = pattern.find('{', close);
  }
  return out;
}

// The error body of RenderError (errors.cpp): {code, message, request_id, params?}.
bj::object ErrorSchema() {
  return bj::object{
      {"type", "object"},
      {"description",
       "Mọi lỗi / every error. `code` là khóa ổn định / is the stable key to program against; "
       "`message` is from data/messages.json in Vietnamese, or English when Accept-Language "
       "prefers it; `params` (only when present) fill the message's placeholders."},
      {"properties",
       bj::object{
           {"code", bj::object{{"type", "string"}, {"example", "dossier.illegal_transition"}}},
           {"message", bj::object{{"type", "string"}}},
           {"request_id", bj::object{{"type", "string"}, {"description", "also in X-Request-Id"}}},
           {"params", bj::object{{"type", "object"},
                                 {"additionalProperties", bj::object{{"type", "string"}}}}}}},
      {"required", bj::array{"code", "message", "request_id"}},
      {"additionalProperties", false}};
}

bj::object SecuritySchemes() {
  return bj::object{
      {"bearerAuth",
       bj::object{{"type", "http"},
                  {"scheme", "bearer"},
                  {"description",
                   "Khóa API / API token \"mct_…\" issued by POST /api/v1/tokens: "
                   "`Authorization: Bearer mct_…`. A token acts only within its scopes "
                   "(dossiers:read, dossiers:write, accounts:read, accounts:write, audit:read, "
                   "indicators:read, events:read, payments:reconcile) and never for session-only operations."}}},
      {"cookieAuth",
       bj::object{{"type", "apiKey"},
                  {"in", "cookie"},
                  {"name", "motcua_session"},
                  {"description",
                   "Phiên đăng nhập / session cookie set by POST /api/v1/session (HttpOnly, "
                   "SameSite=Strict). Over TLS its name is \"__Host-motcua_session\" (with Secure "
                   "and Path=/). Every cookie-authenticated write (any method but GET, HEAD, "
                   "OPTIONS) must send the session's csrf_token in the X-CSRF-Token header, and "
                   "an Origin header if sent must be this server's; otherwise 403 auth.csrf."}}}};
}

bj::object CsrfParameter() {
  return bj::object{
      {"name", "X-CSRF-Token"},
      {"in", "header"},
      {"required", false},
      {"description",
       "Bắt buộc khi xác thực bằng cookie phiên / required when authenticated by the session "
       "cookie: the csrf_token returned at sign-in (403 auth.csrf otherwise). Not used with "
       "bearer tokens."},
      {"schema", bj::object{{"type", "string"}}}};
}

std::string StatusDescription(int64_t status) {
  switch (status) {
    case 200:
      return "Thành công / OK";
    case 201:
      return "Đã tạo / Created";
    case 202:
      return "Đã tiếp nhận yêu cầu / Accepted";
    case 204:
      return "Thành công, không có nội dung / No content";
    case 303:
      return "Chuyển hướng / See other";
    case 400:
      return "Yêu cầu không hợp lệ / Invalid request (json.bad_field, json.malformed, "
             "http.bad_query, …)";
    case 401:
      return "Chưa đăng nhập hoặc thông tin xác thực không hợp lệ / Not signed in, or the "
             "credential is unknown or expired (auth.missing, auth.invalid, auth.expired, …)";
    case 403:
      return "Không có quyền / Not allowed (auth.forbidden, auth.csrf, auth.scope_missing, "
             "auth.disabled, …)";
    case 404:
      return "Không tìm thấy / Not found";
    case 409:
      return "Xung đột với trạng thái hiện tại / Conflicts with the current state "
             "(dossier.illegal_transition, account.exists, …), or the store is busy (store.busy, "
             "with Retry-After)";
    case 413:
      return "Nội dung quá lớn / Body too large (http.body_too_large, file.too_large, "
             "document.too_large)";
    case 415:
      return "Nội dung không phải application/json / Body is not application/json "
             "(http.unsupported_media_type)";
    case 422:
      return "Tệp không xử lý được / Unprocessable file (pdf.not_pdf, pdf.damaged, "
             "pdf.unsupported)";
    case 429:
      return "Quá nhiều lần thử / Too many attempts (auth.throttled; params.retry_after seconds)";
    case 503:
      return "Dịch vụ tạm thời không khả dụng / Temporarily unavailable "
             "(auth.accounts_unavailable, store.unavailable, notify.unavailable)";
    default:
      return {};
  }
}

bj::object ErrorResponseObject(int64_t status) {
  bj::object r{{"description", StatusDescription(status)},
               {"content",
                bj::object{{"application/json",
                            bj::object{{"schema", bj::object{{"$ref", "#/components/schemas/Error"}}}}}}}};
  if (status == 409) {
    r["headers"] = bj::object{
        {"Retry-After",
         bj::object{{"description", "with store.busy: retry after this many seconds"},
                    {"schema", bj::object{{"type", "integer"}}}}}};
  }
  return r;
}

// A query parameter entry: {"name", "type", "description", format?, enum?, minimum?, maximum?,
// default?, maxLength?}.
Result<bj::object> QueryParameter(const bj::value& v, std::string_view route) {
  const bj::object* q = v.if_object();
  if (!q) return Fail(BadDocs(route, "query entry is not an object"));
  const bj::string* name = Text(*q, "name");
  const bj::string* type = Text(*q, "type");
  const bj::string* description = Text(*q, "description");
  if (!name || !type || !description) {
    return Fail(BadDocs(route, "query entry needs name, type and description"));
  }
  if (*type != "string" && *type != "integer" && *type != "boolean") {
    return Fail(BadDocs(route, "query " + std::string(*name) + ": type string|integer|boolean"));
  }
  bj::object schema{{"type", *type}};
  for (const auto& [k, val] : *q) {
    if (k == "name" || k == "type" || k == "description") continue;
    if (k != "format" && k != "enum" && k != "minimum" && k != "maximum" && k != "default" &&
        k != "maxLength") {
      return Fail(BadDocs(route, "query " + std::string(*name) + ": unknown key " +
                                     std::string(k)));
    }
    schema[k] = val;
  }
  return bj::object{{"name", *name},
                    {"in", "query"},
                    {"required", false},
                    {"description", *description},
                    {"schema", std::move(schema)}};
}

// Whether the body schema (possibly a $ref into `schemas`) requires any field.
bool BodyRequired(const bj::object& body, const bj::object& schemas) {
  const bj::object* s = &body;
  if (const bj::string* ref = Text(body, "$ref"); ref && ref->starts_with(kSchemaRef)) {
    const bj::value* target = schemas.if_contains(ref->subview(kSchemaRef.size()));
    if (!target || !target->is_object()) return false;
    s = &target->get_object();
  }
  const bj::value* req = s->if_contains("required");
  return req && req->is_array() && !req->get_array().empty();
}

Result<bj::object> Responses(const bj::object& doc, std::string_view route) {
  const bj::value* sv = doc.if_contains("success");
  const bj::object* success = sv ? sv->if_object() : nullptr;
  const bj::value* status = success ? success->if_contains("status") : nullptr;
  // 303 See Other: a route whose answer is a redirection (the payer's return from the gateway).
  if (!status || !status->is_int64() ||
      ((status->get_int64() < 200 || status->get_int64() > 299) && status->get_int64() != 303)) {
    return Fail(BadDocs(route, "success.status must be a 2xx integer or 303"));
  }
  const int64_t code = status->get_int64();
  bj::object ok{{"description", StatusDescription(code).empty() ? std::string("OK")
                                                                 : StatusDescription(code)}};
  if (const bj::value* schema = success->if_contains("schema")) {
    if (!schema->is_string() || schema->get_string().empty()) {
      return Fail(BadDocs(route, "success.schema must name a schema"));
    }
    if (code == 204) return Fail(BadDocs(route, "a 204 response has no body"));
    ok["content"] = bj::object{
        {"application/json",
         bj::object{{"schema", bj::object{{"$ref", std::string(kSchemaRef) +
                                                       std::string(schema->get_string())}}}}}};
  }
  // A response that is not JSON (a file download): its media types, as binary strings.
  if (const bj::value* media = success->if_contains("media")) {
    if (!media->is_array() || media->get_array().empty() || success->contains("schema")) {
      return Fail(BadDocs(route, "success.media must be a non-empty array, without schema"));
    }
    bj::object content;
    for (const bj::value& t : media->get_array()) {
      if (!t.is_string()) return Fail(BadDocs(route, "success.media lists media types"));
      content[t.get_string()] =
          bj::object{{"schema", bj::object{{"type", "string"}, {"format", "binary"}}}};
    }
    ok["content"] = std::move(content);
  }
  if (const bj::value* headers = success->if_contains("headers")) {
    if (!headers->is_object()) return Fail(BadDocs(route, "success.headers must be an object"));
    bj::object out;
    for (const auto& [name, desc] : headers->get_object()) {
      if (!desc.is_string()) return Fail(BadDocs(route, "header descriptions are strings"));
      out[name] = bj::object{{"description", desc}, {"schema", bj::object{{"type", "string"}}}};
    }
    ok["headers"] = std::move(out);
  }
  bj::object responses;
  responses[std::to_string(code)] = std::move(ok);
  const bj::value* errors = doc.if_contains("errors");
  if (!errors || !errors->is_array()) return Fail(BadDocs(route, "errors must be an array"));
  for (const bj::value& e : errors->get_array()) {
    if (!e.is_int64() || StatusDescription(e.get_int64()).empty() || e.get_int64() < 400) {
      return Fail(BadDocs(route, "errors: 400, 401, 403, 404, 409, 413, 415, 422, 429 or 503"));
    }
    const std::string key = std::to_string(e.get_int64());
    if (responses.contains(key)) return Fail(BadDocs(route, "errors: " + key + " repeated"));
    responses[key] = ErrorResponseObject(e.get_int64());
  }
  // Whatever the route: 405 and 413/431 from the transport, 500 for a bug or a corrupt store.
  responses["default"] = bj::object{
      {"description", "Lỗi khác / Other errors (405, 413, 431, 500…), same body"},
      {"content",
       bj::object{{"application/json",
                   bj::object{{"schema", bj::object{{"$ref", "#/components/schemas/Error"}}}}}}}};
  return responses;
}

Result<bj::object> Operation(const RouteInfo& route, const bj::object& doc,
                             const bj::object& schemas, const std::set<std::string>& tags) {
  const std::string key = RouteKey(route);
  const bj::string* operation_id = Text(doc, "operationId");
  const bj::string* tag = Text(doc, "tag");
  const bj::string* summary_vi = Text(doc, "summary_vi");
  const bj::string* summary_en = Text(doc, "summary_en");
  const bj::string* permission = Text(doc, "permission");
  const bj::string* auth = Text(doc, "auth");
  if (!operation_id || !tag || !summary_vi || !summary_en || !permission || !auth) {
    return Fail(BadDocs(key, "needs operationId, tag, summary_vi, summary_en, permission, auth"));
  }
  if (!tags.contains(std::string(*tag))) return Fail(BadDocs(key, "unknown tag"));
  static const std::set<std::string, std::less<>> kKnownKeys = {
      "operationId", "tag",   "summary_vi", "summary_en", "permission", "auth",
      "path",        "query", "body",       "success",    "errors",     "raw_body"};
  for (const auto& [k, v] : doc) {
    if (!kKnownKeys.contains(std::string_view(k))) {
      return Fail(BadDocs(key, "unknown key " + std::string(k)));
    }
  }

  bj::object op{{"operationId", *operation_id},
                {"tags", bj::array{*tag}},
                {"summary", std::string(*summary_vi) + " — " + std::string(*summary_en)},
                {"x-summary-vi", *summary_vi},
                {"x-summary-en", *summary_en},
                {"x-permission", *permission},
                {"x-auth", *auth}};

  std::string auth_text;
  bj::array security;
  if (*auth == "public") {
    auth_text = "không cần đăng nhập / no credential needed";
  } else if (*auth == "session_or_token") {
    auth_text = "phiên đăng nhập hoặc khóa API / session cookie or API token";
    security.push_back(bj::object{{"bearerAuth", bj::array{}}});
    security.push_back(bj::object{{"cookieAuth", bj::array{}}});
  } else if (*auth == "session") {
    auth_text = "chỉ phiên đăng nhập / session cookie only (API tokens are refused)";
    security.push_back(bj::object{{"cookieAuth", bj::array{}}});
  } else {
    return Fail(BadDocs(key, "auth: public, session_or_token or session"));
  }
  op["security"] = std::move(security);
  op["description"] = std::string(*summary_en) + ".\n\nQuyền / permission: `" +
                      std::string(*permission) + "`. Xác thực / authentication: " + auth_text +
                      ".";

  bj::array parameters;
  // Path parameters: exactly the pattern's, each described.
  const std::vector<std::string> names = PathParams(route.pattern);
  const bj::value* path = doc.if_contains("path");
  if (path && !path->is_object()) return Fail(BadDocs(key, "path must be an object"));
  const size_t described = path ? path->get_object().size() : 0;
  if (described != names.size()) {
    return Fail(BadDocs(key, "path must describe exactly the pattern's parameters"));
  }
  for (const std::string& name : names) {
    const bj::value* d = path->get_object().if_contains(name);
    if (!d || !d->is_string() || d->get_string().empty()) {
      return Fail(BadDocs(key, "path parameter " + name + " is not described"));
    }
    parameters.push_back(bj::object{{"name", name},
                                    {"in", "path"},
                                    {"required", true},
                                    {"description", *d},
                                    {"schema", bj::object{{"type", "string"}, {"minLength", 1}}}});
  }
  if (const bj::value* query = doc.if_contains("query")) {
    if (!query->is_array()) return Fail(BadDocs(key, "query must be an array"));
    std::set<std::string> seen;
    for (const bj::value& q : query->get_array()) {
      auto p = QueryParameter(q, key);
      if (!p) return std::unexpected(p.error());
      if (!seen.insert(std::string(p->at("name").get_string())).second) {
        return Fail(BadDocs(key, "query parameter repeated"));
      }
      parameters.push_back(std::move(*p));
    }
  }
  // A cookie-authenticated write needs the CSRF header; public writes never authenticate.
  if (route.method != beast_http::verb::get && *auth != "public") {
    parameters.push_back(
        bj::object{{"$ref", std::string(kParameterRef) + "CsrfToken"}});
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);

  if (const bj::value* body = doc.if_contains("body")) {
    if (!body->is_object()) return Fail(BadDocs(key, "body must be a schema object"));
    if (route.method == beast_http::verb::get) return Fail(BadDocs(key, "a GET takes no body"));
    op["requestBody"] = bj::object{
        {"required", BodyRequired(body->get_object(), schemas)},
        {"content", bj::object{{"application/json", bj::object{{"schema", *body}}}}}};
  }
  // A body that is not JSON (a file upload): the media types it may take, as binary strings.
  if (const bj::value* raw = doc.if_contains("raw_body")) {
    if (!raw->is_array() || raw->get_array().empty() || doc.contains("body")) {
      return Fail(BadDocs(key, "raw_body must be a non-empty array of media types, without body"));
    }
    bj::object content;
    for (const bj::value& t : raw->get_array()) {
      if (!t.is_string()) return Fail(BadDocs(key, "raw_body lists media types"));
      content[t.get_string()] =
          bj::object{{"schema", bj::object{{"type", "string"}, {"format", "binary"}}}};
    }
    op["requestBody"] = bj::object{{"required", true}, {"content", std::move(content)}};
  }
  auto responses = Responses(doc, key);
  if (!responses) return std::unexpected(responses.error());
  op["responses"] = std::move(*responses);
  return op;
}

// Every "$ref" anywhere in `v` must name a component of `components`.
Result<void> CheckRefs(const bj::value& v, const bj::object& components) {
  if (const bj::array* a = v.if_array()) {
    for (const bj::value& x : *a) {
      if (auto r = CheckRefs(x, components); !r) return r;
    }
    return {};
  }
  const bj::object* o = v.if_object();
  if (!o) return {};
  for (const auto& [k, x] : *o) {
    if (k == "$ref") {
      if (!x.is_string()) return Fail(BadDocs("$ref", "not a string"));
      const std::string_view ref = x.get_string();
      bool found = false;
      for (auto [prefix, section] : {std::pair{kSchemaRef, "schemas"},
                                     std::pair{kParameterRef, "parameters"}}) {
        if (!ref.starts_with(prefix)) continue;
        const bj::value* s = components.if_contains(section);
        found = s && s->is_object() && s->get_object().contains(ref.substr(prefix.size()));
      }
      if (!found) return Fail(BadDocs(ref, "$ref names no component"));
      continue;
    }
    if (auto r = CheckRefs(x, components); !r) return r;
  }
  return {};
}

std::string Bilingual(const bj::object& o) {
  const bj::string* vi = Text(o, "description_vi");
  const bj::string* en = Text(o, "description_en");
  if (!vi || !en) return {};
  return std::string(*vi) + "\n\n" + std::string(*en);
}

}  // namespace

std::string RouteKey(const RouteInfo& route) {
  return std::string(beast_http::to_string(route.method)) + " " + route.pattern;
}

Result<bj::object> BuildOpenApi(const std::vector<RouteInfo>& routes, const bj::value& route_docs) {
  const bj::object* root = route_docs.if_object();
  const bj::value* rv = root ? root->if_contains("routes") : nullptr;
  const bj::object* docs = rv ? rv->if_object() : nullptr;
  if (!docs) return Fail(BadDocs("routes.json", "no \"routes\" object"));

  // Divergence first: it is the mistake this document exists to catch.
  std::set<std::string> keys;
  for (const RouteInfo& r : routes) {
    const std::string key = RouteKey(r);
    if (!docs->contains(key)) {
      return Fail(DocError("openapi.route_undocumented", key, "no entry in routes.json"));
    }
    keys.insert(key);
  }
  for (const auto& [key, v] : *docs) {
    if (!keys.contains(std::string(key))) {
      return Fail(DocError("openapi.doc_without_route", key, "the router has no such route"));
    }
  }

  const bj::value* iv = root->if_contains("info");
  const bj::object* info_doc = iv ? iv->if_object() : nullptr;
  const bj::string* version = info_doc ? Text(*info_doc, "version") : nullptr;
  const std::string description = info_doc ? Bilingual(*info_doc) : std::string();
  if (!version || description.empty()) {
    return Fail(BadDocs("info", "needs version, description_vi and description_en"));
  }

  bj::array tags;
  std::set<std::string> tag_names;
  const bj::value* tv = root->if_contains("tags");
  if (!tv || !tv->is_array()) return Fail(BadDocs("tags", "not an array"));
  for (const bj::value& t : tv->get_array()) {
    const bj::object* o = t.if_object();
    const bj::string* name = o ? Text(*o, "name") : nullptr;
    if (!name || Bilingual(*o).empty() || !tag_names.insert(std::string(*name)).second) {
      return Fail(BadDocs("tags", "each tag needs a unique name and both descriptions"));
    }
    tags.push_back(bj::object{{"name", *name}, {"description", Bilingual(*o)}});
  }

  bj::object schemas;
  if (const bj::value* sv = root->if_contains("schemas")) {
    if (!sv->is_object()) return Fail(BadDocs("schemas", "not an object"));
    schemas = sv->get_object();
  }
  if (schemas.contains("Error")) return Fail(BadDocs("Error", "the Error schema is built in"));
  schemas["Error"] = ErrorSchema();

  bj::object paths;
  std::set<std::string> operation_ids;
  for (const RouteInfo& r : routes) {
    const std::string key = RouteKey(r);
    const bj::object* doc = docs->at(key).if_object();
    if (!doc) return Fail(BadDocs(key, "entry is not an object"));
    auto op = Operation(r, *doc, schemas, tag_names);
    if (!op) return std::unexpected(op.error());
    if (!operation_ids.insert(std::string(op->at("operationId").get_string())).second) {
      return Fail(BadDocs(key, "operationId repeated"));
    }
    std::string method(beast_http::to_string(r.method));
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bj::value& item = paths[r.pattern];
    if (!item.is_object()) item = bj::object{};
    if (item.get_object().contains(method)) return Fail(BadDocs(key, "route registered twice"));
    item.get_object()[method] = std::move(*op);
  }

  bj::object components{{"schemas", std::move(schemas)},
                        {"securitySchemes", SecuritySchemes()},
                        {"parameters", bj::object{{"CsrfToken", CsrfParameter()}}}};
  bj::object out{
      {"openapi", "3.0.3"},
      {"info", bj::object{{"title", "motcua"},
                          {"version", *version},
                          {"description", description}}},
      {"servers", bj::array{bj::object{{"url", "/"}}}},
      {"tags", std::move(tags)},
      {"paths", std::move(paths)},
      {"components", std::move(components)}};
  if (auto refs = CheckRefs(out, out.at("components").get_object()); !refs) {
    return std::unexpected(refs.error());
  }
  return out;
}

Result<bj::value> LoadRouteDocs(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(ErrorCode::kUnavailable, "data.unreadable", file.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  auto doc = json::Parse(ss.str());
  if (!doc) {
    Error e = doc.error();
    e.detail = file.string() + ": " + e.detail;
    return std::unexpected(e);
  }
  return std::move(*doc);
}

fs::path FindRouteDocs() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("MOTCUA_DATA_DIR"); env && *env) {
    candidates.push_back(fs::path(env) / "api" / "routes.json");
  }
  candidates.push_back(fs::path("data") / "api" / "routes.json");
  candidates.push_back(fs::path(MOTCUA_HTTP_DEFAULT_DATA_DIR) / "api" / "routes.json");
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::exists(p, ec)) return p;
  }
  return candidates.back();
}

namespace {

// The served document, built once per process: the routes are fixed when an Api is constructed
// and routes.json is read at the first request. A failure is not kept, so a fixed file is picked
// up by the next request. The route keys are kept beside the document so that an Api with other
// routes (a test's) never receives a document built for different ones.
class DocumentCache {
 public:
  Result<std::shared_ptr<const bj::value>> Get(const std::vector<RouteInfo>& routes) {
    std::string routes_key;
    for (const RouteInfo& r : routes) routes_key += RouteKey(r) + "\n";
    std::lock_guard lock(mu_);
    if (doc_ && routes_key_ == routes_key) return doc_;
    auto docs = LoadRouteDocs(FindRouteDocs());
    if (!docs) return std::unexpected(docs.error());
    auto built = BuildOpenApi(routes, *docs);
    if (!built) return std::unexpected(built.error());
    doc_ = std::make_shared<const bj::value>(std::move(*built));
    routes_key_ = std::move(routes_key);
    return doc_;
  }

 private:
  std::mutex mu_;
  std::shared_ptr<const bj::value> doc_;  // guarded by mu_
  std::string routes_key_;                // guarded by mu_
};

}  // namespace

Result<Reply> Api::OpenApi(Call&) const {
  static DocumentCache cache;
  auto doc = cache.Get(Routes());
  if (!doc) return std::unexpected(doc.error());
  // Public by design (it describes the API, no data); it changes only with a new release.
  return Reply{200, **doc, {{"Cache-Control", "public, max-age=300"}}};
}

}  // namespace motcua::http
