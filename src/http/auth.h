// Authentication at the HTTP edge: turns a request's credentials (API token or session cookie)
// into an app::Actor. Handlers always take the actor from here, never from a request body.
// TokenFileAuthenticator (static bearer tokens from a 0600 JSON file) remains for the server's
// transport tests only.
// Thread-safety: Authenticate is const and thread-safe; the token table is immutable.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http.hpp>

#include "app/accounts.h"
#include "app/actor.h"
#include "base/error.h"

namespace motcua::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

struct RequestMeta;

// Who a request comes from, as far as its credentials say.
struct Identity {
  app::Actor actor;  // Kind::kAnonymous when no credential was presented
  // Sessions only:
  std::string session_key;  // the secrets-table key (for sign-out)
  std::string csrf;
  std::string stage;  // "full" or "totp_enrolment"
};

class Authenticator {
 public:
  virtual ~Authenticator();
  // The identity behind a request's credentials: an "Authorization: Bearer" API token, else the
  // session cookie, else anonymous (the use case then decides whether anonymous may act).
  // Errors: auth.invalid / auth.expired (kUnauthenticated → 401) for a presented credential that
  // is unknown or expired, auth.disabled (403), auth.csrf (403) for a cookie-authenticated
  // unsafe request (not GET/HEAD/OPTIONS) without the session's X-CSRF-Token or from another
  // origin. The actor carries the request's address and id for the audit trail.
  virtual Result<Identity> Authenticate(const Request& req, const RequestMeta& meta) const = 0;
};

// The session cookie's name: "__Host-motcua_session" over TLS (the prefix makes browsers insist
// on Secure, Path=/ and no Domain), "motcua_session" otherwise (plain-HTTP development).
std::string_view SessionCookieName(bool tls);
// "Set-Cookie" values that open and end a session.
std::string SessionCookie(std::string_view token, int64_t max_age_s, bool tls);
std::string ClearSessionCookie(bool tls);
// The value of cookie `name` in a Cookie header, or empty.
std::string_view CookieValue(std::string_view cookie_header, std::string_view name);

// Credentials checked against the accounts (app/accounts.h).
class AccountAuthenticator final : public Authenticator {
 public:
  explicit AccountAuthenticator(app::Accounts& accounts) : accounts_(accounts) {}
  Result<Identity> Authenticate(const Request& req, const RequestMeta& meta) const override;

 private:
  app::Accounts& accounts_;
};

// {"tokens": [{"token": "…", "kind": "officer"|"citizen", "id": "…", "unit": "…",
//              "roles": ["one_stop_officer", …]}]}
// Tokens are compared in constant time (every entry is examined, whatever matches).
class TokenFileAuthenticator final : public Authenticator {
 public:
  // Reads and validates the file. Errors: data.unreadable (kUnavailable), json.malformed,
  // auth.bad_token_file (kInvalidArgument; the detail names the entry and the problem: tokens
  // shorter than 16 characters, duplicates, unknown kinds, officers without a unit). Warns on
  // stderr if the file is readable by group or others.
  static Result<std::unique_ptr<TokenFileAuthenticator>> Load(const std::filesystem::path& file);
  static Result<std::unique_ptr<TokenFileAuthenticator>> FromJson(const boost::json::value& doc);

  Result<Identity> Authenticate(const Request& req, const RequestMeta& meta) const override;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string token;
    app::Actor actor;
  };
  TokenFileAuthenticator() = default;
  std::vector<Entry> entries_;
};

// The token of an "Authorization: Bearer <token>" header value (scheme case-insensitive), or
// empty if the header is not a bearer credential.
std::string_view BearerToken(std::string_view authorization_header);

// Equality of two byte strings in time that depends only on `presented`'s length.
bool ConstantTimeEquals(std::string_view presented, std::string_view expected);

}  // namespace motcua::http
