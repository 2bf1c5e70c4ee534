// The JSON API under /api/v1 (docs/api.md): a router (method + path with {name} segments,
// percent-decoded; 404 http.not_found, 405 http.method_not_allowed + Allow) and the handlers over
// app::Lifecycle. The actor always comes from the Authenticator, never the body; read access is
// checked here, action rights by the use cases. Thread-safety: Api::Handle is thread-safe.
#pragma once

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/actor.h"
#include "app/calendar_admin.h"
#include "app/documents.h"
#include "app/drafts.h"
#include "app/files.h"
#include "app/lifecycle.h"
#include "app/lookup.h"
#include "app/holdings.h"
#include "app/payments.h"
#include "app/pki.h"
#include "app/scans.h"
#include "base/error.h"
#include "http/auth.h"
#include "http/errors.h"
#include "store/blobs.h"

namespace motcua::http {

namespace beast_http = boost::beast::http;

// What the transport knows of a request beyond its bytes: the id for logs and replies, the
// peer's address (for throttling and the audit trail; the direct peer, or the forwarded client
// address when the server trusts a reverse proxy) and whether it came over TLS (Secure cookies).
struct RequestMeta {
  std::string request_id;
  std::string remote_address;
  bool tls = false;
  // POST /api/v1/files: the body, already streamed by the transport into a staged blob (then the
  // request's own body is empty). Null when the body is in the request (tests, no files service).
  store::BlobWriter* upload = nullptr;
};

// A response before serialisation.
struct Response {
  // The matched route's pattern ("/api/v1/dossiers/{code}"), empty when none matched: a label for
  // metrics that does not grow with the number of dossiers.
  std::string route;
  unsigned status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // A file streamed from disk instead of `body` (downloads); content_type applies.
  std::optional<store::BlobReader> file;
};

// Builds the JSON error response for `e` (RenderError + content type + headers).
Response ErrorResponse(const Error& e, const MessageCatalog& messages, Lang lang,
                       std::string_view request_id);

// What a handler sees of one request.
class Call {
 public:
  Call(const Request& raw, const RequestMeta& meta, const Authenticator& auth,
       beast_http::verb method, std::string_view route)
      : raw_(raw), meta_(meta), auth_(auth), method_(method), route_(route) {}

  // The actor behind the request's credentials, anonymous when none were presented (the use
  // case's permission check answers auth.missing where anonymous may not act). Errors: the
  // authenticator's (auth.invalid, auth.expired, auth.csrf…), and
  // auth.totp_enrolment_required (403) when a session that still has to enrol a second factor
  // asks for anything else. The result is computed once per call.
  Result<app::Actor> Actor();
  // The identity after a successful Actor() (session key, CSRF token, stage).
  const Identity& identity() const { return identity_; }
  // An anonymous actor carrying this request's address and id (public routes).
  app::Actor Anonymous() const;
  // The JSON object body: an empty body is {}; otherwise Content-Type must be application/json
  // (http.unsupported_media_type), the text must parse (json.malformed) and be an object
  // (json.bad_field "body").
  Result<boost::json::object> Body() const;
  // A path parameter ({code}) — always present when the route matched.
  const std::string& Param(const std::string& name) const { return params_.at(name); }
  // A query parameter, if given (decoded).
  const std::string* Query(const std::string& name) const;
  // Rejects query parameters not in `allowed` (http.bad_query).
  Result<void> OnlyQuery(std::initializer_list<std::string_view> allowed) const;

  const Request& raw() const { return raw_; }
  const RequestMeta& meta() const { return meta_; }
  std::string_view request_id() const { return meta_.request_id; }

 private:
  friend class Api;
  const Request& raw_;
  const RequestMeta& meta_;
  const Authenticator& auth_;
  beast_http::verb method_;
  std::string_view route_;
  bool resolved_ = false;
  Identity identity_;
  std::map<std::string, std::string> params_;
  std::map<std::string, std::string> query_;
};

struct Reply {
  unsigned status = 200;
  boost::json::value body;
  std::vector<std::pair<std::string, std::string>> headers;
  // A non-JSON body (a file download): sent as is with raw_content_type instead of `body`.
  std::optional<std::string> raw;
  std::string raw_content_type;
  // A file download streamed from disk (instead of `raw`), sent with raw_content_type.
  std::optional<store::BlobReader> file;
};
using Handler = std::function<Result<Reply>(Call&)>;

// A file download: the bytes with their type, as an attachment named `name` (RFC 6266 with an
// RFC 5987 UTF-8 name and an ASCII fallback), never cached by shared caches.
Reply Attachment(std::string bytes, std::string content_type, std::string_view name);
// The same, streamed from the blob's file rather than held in memory.
Reply Attachment(store::BlobReader file, std::string content_type, std::string_view name);
// 503 service.unavailable: the route's use case is not configured (tests that do not need it).
Error ServiceUnavailable(std::string_view what);

class Router {
 public:
  // `pattern` is an absolute path; a segment "{name}" captures one decoded segment.
  void Add(beast_http::verb method, std::string_view pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: no route for this method
    std::string pattern;               // the matched route's pattern
    std::map<std::string, std::string> params;
    std::vector<beast_http::verb> allowed;  // methods of the routes matching the path
  };
  // HEAD matches GET routes.
  Match Find(beast_http::verb method, const std::vector<std::string>& segments) const;

 private:
  struct Route {
    beast_http::verb method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
  friend class Api;
};

// "GET, HEAD, POST" for an Allow header.
std::string AllowHeader(const std::vector<beast_http::verb>& methods);

// One route as the router knows it: for the OpenAPI check and the authorisation matrix.
struct RouteInfo {
  beast_http::verb method;
  std::string pattern;
};

// The use cases behind the web front end's routes (files, drafts, public lookup, calendar). A
// null member makes its routes answer 503 service.unavailable (tests that do not need them).
struct ApiServices {
  app::Files* files = nullptr;
  app::Drafts* drafts = nullptr;
  app::Lookup* lookup = nullptr;
  app::CalendarAdmin* calendar = nullptr;
  app::Pki* pki = nullptr;
  app::Documents* documents = nullptr;
  app::Payments* payments = nullptr;
  app::Holdings* holdings = nullptr;
  app::Scans* scans = nullptr;
};

class Api {
 public:
  Api(app::Lifecycle& lifecycle, app::Accounts* accounts, const Authenticator& auth,
      const MessageCatalog& messages, ApiServices services = {});

  // Serves one /api/ request; never throws for bad input (errors become JSON responses).
  Response Handle(const Request& req, const RequestMeta& meta) const;
  // Every route, in registration order.
  std::vector<RouteInfo> Routes() const;

 private:
  void AddRoutes();
  void AddAccountRoutes();
  Result<Reply> Health(Call& c) const;
  Result<Reply> OpenApi(Call& c) const;
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

  // Accounts, sessions, tokens, audit (account_routes.cpp).
  Result<Reply> Login(Call& c) const;
  Result<Reply> GetSession(Call& c) const;
  Result<Reply> Logout(Call& c) const;
  Result<Reply> Register(Call& c) const;
  Result<Reply> RequestReset(Call& c) const;
  Result<Reply> CompleteReset(Call& c) const;
  Result<Reply> ChangePassword(Call& c) const;
  Result<Reply> BeginTotp(Call& c) const;
  Result<Reply> ConfirmTotp(Call& c) const;
  Result<Reply> ListOfficers(Call& c) const;
  Result<Reply> CreateOfficer(Call& c) const;
  Result<Reply> GetAccount(Call& c) const;
  Result<Reply> SetRoles(Call& c) const;
  Result<Reply> Disable(Call& c) const;
  Result<Reply> Enable(Call& c) const;
  Result<Reply> ResetTotp(Call& c) const;
  Result<Reply> IssueToken(Call& c) const;
  Result<Reply> RevokeToken(Call& c) const;
  Result<Reply> QueryAudit(Call& c) const;
  Result<Reply> VerifyAudit(Call& c) const;
  Result<app::Accounts*> RequireAccounts() const;

  // The web front end's routes (portal_routes.cpp).
  void AddPortalRoutes();
  Result<Reply> UploadFile(Call& c) const;
  Result<Reply> DownloadOwnFile(Call& c) const;
  Result<Reply> DownloadDossierFile(Call& c) const;
  Result<Reply> ListDrafts(Call& c) const;
  Result<Reply> SaveDraft(Call& c) const;
  Result<Reply> DeleteDraft(Call& c) const;
  Result<Reply> LookupStatus(Call& c) const;
  Result<Reply> Calendar(Call& c) const;
  Result<Reply> SetCalendarDay(Call& c) const;
  Result<Reply> ClearCalendarDay(Call& c) const;

  // Signatures and electronic results (document_routes.cpp).
  void AddDocumentRoutes();
  Result<Reply> VerifyUpload(Call& c) const;
  Result<Reply> VerifyCode(Call& c) const;
  Result<Reply> CaCertificates(Call& c) const;
  Result<Reply> Crl(Call& c) const;
  Result<Reply> ListCertificates(Call& c) const;
  Result<Reply> IssueCertificate(Call& c) const;
  Result<Reply> RevokeCertificate(Call& c) const;
  Result<Reply> SignDocument(Call& c) const;
  Result<Reply> DossierResult(Call& c) const;
  Result<Reply> DossierReceipt(Call& c) const;

  // The applicant's data store and the digitisation figures (holding_routes.cpp).
  void AddHoldingRoutes();
  Result<Reply> ListOwnHoldings(Call& c) const;
  Result<Reply> OwnHoldingFile(Call& c) const;
  Result<Reply> ListApplicantHoldings(Call& c) const;
  Result<Reply> DigitisationFigures(Call& c) const;

  // Counter digitisation: OCR results, confirmed fields, search (scan_routes.cpp).
  void AddScanRoutes();
  Result<Reply> OwnFileOcr(Call& c) const;
  Result<Reply> DossierFileOcr(Call& c) const;
  Result<Reply> ConfirmFileFields(Call& c) const;
  Result<Reply> SearchScans(Call& c) const;

  // Fees and payments (payment_routes.cpp).
  void AddPaymentRoutes();
  Result<Reply> StartPayment(Call& c) const;
  Result<Reply> PaymentVietQr(Call& c) const;
  Result<Reply> PaymentReceipt(Call& c) const;
  Result<Reply> PayCash(Call& c) const;
  Result<Reply> WaiveFees(Call& c) const;
  Result<Reply> RefundPayment(Call& c) const;
  Result<Reply> GatewayIpn(Call& c) const;
  Result<Reply> GatewayReturn(Call& c) const;
  Result<Reply> BankNotify(Call& c) const;
  Result<Reply> Reconcile(Call& c) const;
  Result<Reply> GetReconciliation(Call& c) const;

  app::Lifecycle& lifecycle_;
  app::Accounts* accounts_;  // null: account routes answer http.not_found-like unavailable
  const Authenticator& auth_;
  const MessageCatalog& messages_;
  ApiServices services_;
  Router router_;
};

}  // namespace motcua::http
