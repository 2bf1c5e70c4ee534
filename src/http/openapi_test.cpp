// The OpenAPI document against the router: every registered route is documented and nothing else
// is (and BuildOpenApi refuses either divergence), operations are complete (both summaries,
// unique operationId, every path parameter declared), the served document through Api::Handle,
// permissions that exist in the permission table, and the documented request bodies and query
// parameters checked against the handlers themselves on a real store: a body holding every
// documented field gets past the handler's strict field reader, one holding an undocumented
// field does not, and documented query parameters are not refused.
#include "http/openapi.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <set>

#include "app/accounts.h"
#include "app/lifecycle.h"
#include "domain/access.h"
#include "http/auth.h"
#include "http/errors.h"
#include "http/routes.h"
#include "store/testing.h"

namespace motcua::http {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;
using beast_http::verb;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".") / "data";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> TemplateParams(const std::string& pattern) {
  std::vector<std::string> out;
  for (size_t open = pattern.find('{'); open != std::string::npos;
       open = pattern.find('{', open + 1)) {
    out.push_back(pattern.substr(open + 1, pattern.find('}', open) - open - 1));
  }
  return out;
}

// A value that satisfies `schema` (example, enum, default, then by type), resolving $ref.
bj::value Sample(const bj::value& schema, const bj::object& schemas) {
  const bj::object& s = schema.as_object();
  if (const bj::value* ref = s.if_contains("$ref")) {
    const std::string_view r = ref->as_string();
    return Sample(schemas.at(r.substr(r.rfind('/') + 1)), schemas);
  }
  if (const bj::value* v = s.if_contains("example")) return *v;
  if (const bj::value* v = s.if_contains("enum")) return v->as_array().at(0);
  if (const bj::value* v = s.if_contains("default")) return *v;
  const std::string_view type = s.at("type").as_string();
  if (type == "object") {
    bj::object o;
    if (const bj::value* props = s.if_contains("properties")) {
      for (const auto& [k, p] : props->as_object()) o[k] = Sample(p, schemas);
    }
    return o;
  }
  if (type == "array") return bj::array{Sample(s.at("items"), schemas)};
  if (type == "boolean") return false;
  if (type == "integer") {
    const bj::value* min = s.if_contains("minimum");
    return min ? *min : bj::value(1);
  }
  const bj::value* format = s.if_contains("format");
  if (format && format->as_string() == "date") return "2026-03-02";
  if (format && format->as_string() == "date-time") return "2026-03-02T02:00:00Z";  // no "+": a query would read it as a space
  return "x";
}

// A query value as text.
std::string QueryText(const bj::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return bj::serialize(v);
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = store::testing::TempStore::Create("sqlite");
    ASSERT_TRUE(t.has_value()) << t.error().ToString();
    temp_ = std::move(*t);
    auto s = temp_->Open({.create = true});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    auto from_data = app::Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
    ASSERT_TRUE(from_data.has_value()) << from_data.error().ToString();
    ASSERT_TRUE(app::ImportCatalog(*store_, **from_data, clock_.Now()).has_value());
    auto c = app::Catalog::Load(*store_, DataDir());
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    catalog_ = *c;
    lifecycle_ = std::make_unique<app::Lifecycle>(*store_, catalog_, clock_);
    spool_ = fs::temp_directory_path() / ("motcua-openapi-" + std::to_string(::getpid()));
    notifier_ = std::make_unique<app::SpoolNotifier>(spool_);
    auto key = secure::SecretKey::FromBytes(std::string(32, 'k'));
    ASSERT_TRUE(key.has_value());
    app::AccountsOptions o;
    o.password_cost = secure::kTesting;
    accounts_ = std::make_unique<app::Accounts>(*store_, catalog_, clock_, std::move(*key),
                                                *notifier_, o);
    auto messages = MessageCatalog::Load(DataDir() / "messages.json");
    ASSERT_TRUE(messages.has_value()) << messages.error().ToString();
    messages_ = std::make_unique<MessageCatalog>(std::move(*messages));
    auto auth = TokenFileAuthenticator::FromJson(bj::object{{"tokens", bj::array{}}});
    ASSERT_TRUE(auth.has_value()) << auth.error().ToString();
    auth_ = std::move(*auth);
    blobs_ = std::make_unique<app::BlobStore>(spool_ / "files");
    files_ = std::make_unique<app::Files>(*store_, *blobs_, lifecycle_->access(), clock_);
    drafts_ = std::make_unique<app::Drafts>(*store_, lifecycle_->access(), clock_);
    auto lookup_key = secure::SecretKey::FromBytes(std::string(32, 'l'));
    ASSERT_TRUE(lookup_key.has_value());
    lookup_key_ = std::make_unique<secure::SecretKey>(std::move(*lookup_key));
    lookup_ = std::make_unique<app::Lookup>(*store_, catalog_, clock_, *lookup_key_);
    calendar_ = std::make_unique<app::CalendarAdmin>(*store_, catalog_, lifecycle_->access(), clock_);
    pki_ = std::make_unique<app::Pki>(*store_, lifecycle_->access(), clock_, *lookup_key_,
                                      app::PkiOptions{sign::KeyAlgorithm::kEcP256, "motcua", "", "", 20});
    auto templates = app::LoadResultTemplates(DataDir() / "results" / "templates.json");
    ASSERT_TRUE(templates.has_value()) << templates.error().ToString();
    documents_ = std::make_unique<app::Documents>(*store_, catalog_, *pki_, *blobs_,
                                                  lifecycle_->access(), clock_, std::move(*templates),
                                                  app::DocumentOptions{});
    pay::PaymentConfig pc;
    pc.gateway = {"http://127.0.0.1:9/paymentv2/vpcpay.html", "MOTCUA01", "openapi-secret"};
    pc.platform = "province";
    pc.bank = {"970415", "0011001932418", "KHO BAC", "http://localhost/x", "openapi-bank"};
    payments_ = std::make_unique<app::Payments>(*lifecycle_, pc, documents_.get());
    scans_ = std::make_unique<app::Scans>(*store_, *lifecycle_, clock_);
    holdings_ = std::make_unique<app::Holdings>(*store_, lifecycle_->access(), clock_);
    api_ = std::make_unique<Api>(*lifecycle_, accounts_.get(), *auth_, *messages_,
                                 ApiServices{files_.get(), drafts_.get(), lookup_.get(),
                                             calendar_.get(), pki_.get(), documents_.get(),
                                             payments_.get(), holdings_.get(), scans_.get()});

    auto docs = LoadRouteDocs(DataDir() / "api" / "routes.json");
    ASSERT_TRUE(docs.has_value()) << docs.error().ToString();
    docs_ = std::move(*docs);
    auto built = BuildOpenApi(api_->Routes(), docs_);
    ASSERT_TRUE(built.has_value()) << built.error().ToString() << " " << built.error().Param("route");
    doc_ = std::move(*built);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(spool_, ec);
  }

  // The operation object for a route, or nullptr.
  const bj::object* OperationOf(const RouteInfo& r) const {
    const bj::value* item = doc_.at("paths").as_object().if_contains(r.pattern);
    if (!item) return nullptr;
    const bj::value* op = item->as_object().if_contains(Lower(beast_http::to_string(r.method)));
    return op ? &op->as_object() : nullptr;
  }

  Response Send(verb method, const std::string& target, const std::string& body = {}) const {
    Request req{method, target, 11};
    req.set(beast_http::field::host, "localhost");
    if (!body.empty()) {
      req.set(beast_http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    const RequestMeta meta{"openapi-test", "127.0.0.1", false};
    return api_->Handle(req, meta);
  }

  // The route's pattern with every {param} replaced by a placeholder value.
  static std::string Concrete(const std::string& pattern) {
    std::string path = pattern;
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{')) {
      path.replace(open, path.find('}', open) - open + 1, "X1");
    }
    return path;
  }

  FixedClock clock_{FromVietnamLocal({2026, 3, 2}, 9 * 60)};
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const app::Catalog> catalog_;
  fs::path spool_;
  std::unique_ptr<app::SpoolNotifier> notifier_;
  std::unique_ptr<app::Accounts> accounts_;
  std::unique_ptr<app::Lifecycle> lifecycle_;
  std::unique_ptr<MessageCatalog> messages_;
  std::unique_ptr<TokenFileAuthenticator> auth_;
  std::unique_ptr<app::BlobStore> blobs_;
  std::unique_ptr<app::Files> files_;
  std::unique_ptr<app::Drafts> drafts_;
  std::unique_ptr<secure::SecretKey> lookup_key_;
  std::unique_ptr<app::Lookup> lookup_;
  std::unique_ptr<app::CalendarAdmin> calendar_;
  std::unique_ptr<app::Pki> pki_;
  std::unique_ptr<app::Documents> documents_;
  std::unique_ptr<app::Payments> payments_;
  std::unique_ptr<app::Holdings> holdings_;
  std::unique_ptr<app::Scans> scans_;
  std::unique_ptr<Api> api_;
  bj::value docs_;
  bj::object doc_;
};

TEST_F(OpenApiTest, EveryRouteIsDocumentedAndNothingElse) {
  const std::vector<RouteInfo> routes = api_->Routes();
  ASSERT_FALSE(routes.empty());
  std::set<std::string> expected;
  for (const RouteInfo& r : routes) {
    EXPECT_NE(OperationOf(r), nullptr) << RouteKey(r) << " is missing from the document";
    expected.insert(Lower(beast_http::to_string(r.method)) + " " + r.pattern);
  }
  std::set<std::string> documented;
  for (const auto& [path, item] : doc_.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      documented.insert(std::string(method) + " " + std::string(path));
    }
  }
  EXPECT_EQ(documented, expected);
  EXPECT_EQ(docs_.at("routes").as_object().size(), routes.size());
  std::cout << "[ openapi  ] " << routes.size() << " routes documented in "
            << doc_.at("paths").as_object().size() << " paths\n";
}

TEST_F(OpenApiTest, DivergenceIsAnError) {
  // A route the documentation does not know.
  std::vector<RouteInfo> more = api_->Routes();
  more.push_back({verb::get, "/api/v1/not-documented"});
  auto r = BuildOpenApi(more, docs_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "openapi.route_undocumented");
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_EQ(r.error().Param("route"), "GET /api/v1/not-documented");

  // The same pattern with another method is another route.
  more = api_->Routes();
  more.push_back({verb::delete_, "/api/v1/health"});
  r = BuildOpenApi(more, docs_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "openapi.route_undocumented");
  EXPECT_EQ(r.error().Param("route"), "DELETE /api/v1/health");

  // A documentation entry without its route.
  bj::value extra = docs_;
  extra.at("routes").as_object()["POST /api/v1/ghost"] = docs_.at("routes").at("GET /api/v1/health");
  r = BuildOpenApi(api_->Routes(), extra);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "openapi.doc_without_route");
  EXPECT_EQ(r.error().Param("route"), "POST /api/v1/ghost");

  // A route removed from the router leaves its entry stale.
  std::vector<RouteInfo> fewer = api_->Routes();
  const std::string dropped = RouteKey(fewer.back());
  fewer.pop_back();
  r = BuildOpenApi(fewer, docs_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "openapi.doc_without_route");
  EXPECT_EQ(r.error().Param("route"), dropped);

  // The keys are in the message catalogue (vi and en).
  for (const char* key :
       {"openapi.route_undocumented", "openapi.doc_without_route", "openapi.bad_route_docs"}) {
    EXPECT_TRUE(messages_->Has(key)) << key;
  }
}

TEST_F(OpenApiTest, MalformedEntriesAreRefused) {
  auto broken = [&](auto&& edit) {
    bj::value d = docs_;
    edit(d.at("routes").as_object());
    auto r = BuildOpenApi(api_->Routes(), d);
    return r.has_value() ? std::string("built") : r.error().key + " " + r.error().Param("route");
  };
  const std::string kDossier = "GET /api/v1/dossiers/{code}";
  EXPECT_EQ(broken([&](bj::object& o) { o[kDossier].as_object().erase("summary_en"); }),
            "openapi.bad_route_docs " + kDossier);
  EXPECT_EQ(broken([&](bj::object& o) { o[kDossier].as_object()["auth"] = "maybe"; }),
            "openapi.bad_route_docs " + kDossier);
  EXPECT_EQ(broken([&](bj::object& o) { o[kDossier].as_object().erase("path"); }),
            "openapi.bad_route_docs " + kDossier);
  EXPECT_EQ(broken([&](bj::object& o) {
              o[kDossier].as_object()["path"] = bj::object{{"id", "wrong name"}};
            }),
            "openapi.bad_route_docs " + kDossier);
  EXPECT_EQ(broken([&](bj::object& o) {
              o[kDossier].as_object()["operationId"] = o["GET /api/v1/health"].at("operationId");
            }),
            "openapi.bad_route_docs " + kDossier);
  EXPECT_EQ(broken([&](bj::object& o) {
              o["POST /api/v1/dossiers"].as_object()["body"] =
                  bj::object{{"$ref", "#/components/schemas/NoSuchSchema"}};
            }),
            "openapi.bad_route_docs #/components/schemas/NoSuchSchema");
  EXPECT_EQ(broken([&](bj::object& o) { o[kDossier].as_object()["errors"] = bj::array{418}; }),
            "openapi.bad_route_docs " + kDossier);
  EXPECT_EQ(broken([](bj::object&) {}), "built");
}

TEST_F(OpenApiTest, OperationsAreComplete) {
  std::set<std::string> operation_ids;
  for (const RouteInfo& r : api_->Routes()) {
    const bj::object* op = OperationOf(r);
    ASSERT_NE(op, nullptr) << RouteKey(r);
    SCOPED_TRACE(RouteKey(r));
    for (const char* key : {"x-summary-vi", "x-summary-en", "summary", "operationId"}) {
      ASSERT_TRUE(op->contains(key)) << key;
      EXPECT_FALSE(op->at(key).as_string().empty()) << key;
    }
    EXPECT_NE(op->at("x-summary-vi"), op->at("x-summary-en"));
    EXPECT_TRUE(operation_ids.insert(std::string(op->at("operationId").as_string())).second)
        << "operationId repeated";
    ASSERT_TRUE(op->contains("responses"));
    bool has_success = false;
    for (const auto& [status, resp] : op->at("responses").as_object()) {
      has_success |= status.starts_with("2") || status == "303";
    }
    EXPECT_TRUE(has_success);

    // Path parameters: exactly the template's, required.
    std::set<std::string> declared;
    if (const bj::value* params = op->if_contains("parameters")) {
      for (const bj::value& p : params->as_array()) {
        const bj::object& po = p.as_object();
        if (po.contains("$ref")) continue;
        if (po.at("in").as_string() != "path") continue;
        EXPECT_TRUE(po.at("required").as_bool()) << po.at("name");
        declared.insert(std::string(po.at("name").as_string()));
      }
    }
    const std::vector<std::string> names = TemplateParams(r.pattern);
    EXPECT_EQ(declared, std::set<std::string>(names.begin(), names.end()));

    // A POST says what it takes; a GET takes nothing.
    if (r.method == verb::post) {
      EXPECT_TRUE(op->contains("requestBody"));
    }
    if (r.method == verb::get) {
      EXPECT_FALSE(op->contains("requestBody"));
    }
  }
  const bj::object& components = doc_.at("components").as_object();
  EXPECT_TRUE(components.at("securitySchemes").as_object().contains("bearerAuth"));
  EXPECT_EQ(components.at("securitySchemes").at("cookieAuth").at("name"), "motcua_session");
  // The Error schema names exactly the fields RenderError writes.
  const bj::object& error = components.at("schemas").at("Error").as_object();
  std::set<std::string> fields;
  for (const auto& [k, v] : error.at("properties").as_object()) fields.insert(std::string(k));
  EXPECT_EQ(fields, (std::set<std::string>{"code", "message", "request_id", "params"}));
}

TEST_F(OpenApiTest, ErrorSchemaMatchesARealErrorBody) {
  // An error with params, rendered by the server's one renderer.
  Response r = Send(verb::get, "/api/v1/dossiers?limit=0");
  ASSERT_EQ(r.status, 400u);
  const bj::object body = bj::parse(r.body).as_object();
  const bj::object& schema = doc_.at("components").at("schemas").at("Error").as_object();
  for (const bj::value& req : schema.at("required").as_array()) {
    EXPECT_TRUE(body.contains(req.as_string())) << req;
  }
  for (const auto& [k, v] : body) {
    EXPECT_TRUE(schema.at("properties").as_object().contains(k)) << k << " is not documented";
  }
}

TEST_F(OpenApiTest, ServedThroughTheApi) {
  Response r = Send(verb::get, "/api/openapi.json");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, "/api/openapi.json");
  auto served = bj::parse(r.body);
  EXPECT_EQ(served.at("openapi"), "3.0.3");
  EXPECT_EQ(served.at("info").at("title"), "motcua");
  // The server found the same routes.json as this test reads.
  EXPECT_TRUE(served == bj::value(doc_)) << "the served document is not the one built from "
                                          << DataDir() / "api" / "routes.json";
  bool cacheable = false;
  for (const auto& [name, value] : r.headers) {
    cacheable |= name == "Cache-Control" && value.starts_with("public");
  }
  EXPECT_TRUE(cacheable);
  // Served again from the cache, identical.
  EXPECT_EQ(Send(verb::get, "/api/openapi.json").body, r.body);
}

TEST_F(OpenApiTest, PermissionsExistInThePermissionTable) {
  static const std::set<std::string> kAuth = {"public", "session_or_token", "session"};
  for (const auto& [key, entry] : docs_.at("routes").as_object()) {
    const std::string_view permission = entry.at("permission").as_string();
    EXPECT_TRUE(permission == "public" || domain::IsKnownAction(permission))
        << key << ": " << permission << " is not a row of the permission table";
    const std::string auth(entry.at("auth").as_string());
    EXPECT_TRUE(kAuth.contains(auth)) << key;
    // A public route needs no credential; a permission row for anonymous callers is public.
    if (permission != "public" && auth != "public") {
      bool open = false;
      for (const domain::Permission& p : domain::PermissionTable()) {
        open |= p.action == permission && p.scope == domain::Scope::kPublic;
      }
      EXPECT_FALSE(open) << key << ": " << permission << " is public in the table";
    }
  }
}

// The documented body against the handler: every documented field is accepted (no json.bad_field)
// and an undocumented one is refused. Anonymous calls: the field reader runs before the
// permission check, which then refuses.
TEST_F(OpenApiTest, DocumentedBodiesAreWhatHandlersAccept) {
  const bj::object& schemas = doc_.at("components").at("schemas").as_object();
  int checked = 0;
  for (const RouteInfo& r : api_->Routes()) {
    const bj::object* op = OperationOf(r);
    ASSERT_NE(op, nullptr);
    const bj::value* rb = op->if_contains("requestBody");
    if (!rb) continue;
    SCOPED_TRACE(RouteKey(r));
    // A bank's credit notification is JSON read as signed bytes, not through the field reader:
    // its signature decides first (payments_test, payment_routes_test).
    if (RouteKey(r) == "POST /api/v1/payments/bank/notify") continue;
    // An upload's body is the file itself (checked by the files and documents tests), not JSON.
    if (!rb->at("content").as_object().contains("application/json")) {
      static const std::set<std::string> kRaw = {"POST /api/v1/files", "POST /api/v1/verify",
                                                 "POST /api/v1/documents/sign",
                                                 "POST /api/v1/payments/reconciliations"};
      EXPECT_TRUE(kRaw.contains(RouteKey(r))) << RouteKey(r);
      continue;
    }
    const bj::value& schema = rb->at("content").at("application/json").at("schema");
    const std::string target = Concrete(r.pattern);

    const bj::value full = Sample(schema, schemas);
    Response accepted = Send(r.method, target, full.as_object().empty() ? "" : bj::serialize(full));
    // Success (202 for a reset request) or a refusal after the field reader.
    if (accepted.status >= 400) {
      const bj::value a = bj::parse(accepted.body);
      EXPECT_NE(a.as_object().at("code"), "json.bad_field")
          << bj::serialize(full) << " → " << accepted.body;
      EXPECT_NE(a.as_object().at("code"), "http.unsupported_media_type");
    }

    Response refused = Send(r.method, target, R"({"zz_undocumented": 1})");
    const bj::value f = bj::parse(refused.body);
    EXPECT_EQ(refused.status, 400u) << refused.body;
    EXPECT_EQ(f.as_object().at("code"), "json.bad_field") << refused.body;
    ++checked;
  }
  EXPECT_GT(checked, 20);
}

TEST_F(OpenApiTest, DocumentedQueryParametersAreAccepted) {
  int checked = 0;
  for (const RouteInfo& r : api_->Routes()) {
    const bj::object* op = OperationOf(r);
    ASSERT_NE(op, nullptr);
    const bj::value* params = op->if_contains("parameters");
    if (!params) continue;
    std::string query;
    for (const bj::value& p : params->as_array()) {
      const bj::object& po = p.as_object();
      if (po.contains("$ref") || po.at("in") != "query") continue;
      query += (query.empty() ? "?" : "&") + std::string(po.at("name").as_string()) + "=" +
               QueryText(Sample(po.at("schema"), {}));
    }
    if (query.empty()) continue;
    SCOPED_TRACE(RouteKey(r) + query);
    // Aimed at the handler with every documented parameter at once.
    Response res = Send(r.method, Concrete(r.pattern) + query);
    if (res.status >= 400) {
      EXPECT_NE(bj::parse(res.body).at("code"), "http.bad_query") << res.body;
    }
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

}  // namespace
}  // namespace motcua::http
