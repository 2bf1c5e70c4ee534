#include "http/auth.h"

#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>

#include "base/json.h"
#include "http/detail/log.h"
#include "http/routes.h"

namespace motcua::http {

namespace bj = boost::json;

Authenticator::~Authenticator() = default;

namespace {

constexpr size_t kMinTokenLength = 16;
constexpr size_t kMaxTokenLength = 512;

Error BadFile(std::string detail) {
  return Error{ErrorCode::kInvalidArgument, "auth.bad_token_file", std::move(detail), {}};
}

}  // namespace

std::string_view BearerToken(std::string_view h) {
  while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
  while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.remove_suffix(1);
  if (h.size() < 7) return {};
  static constexpr std::string_view kScheme = "bearer ";
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char c = static_cast<char>(h[i] >= 'A' && h[i] <= 'Z' ? h[i] - 'A' + 'a' : h[i]);
    if (c != kScheme[i]) return {};
  }
  h.remove_prefix(kScheme.size());
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  if (h.find_first_of(" \t") != std::string_view::npos) return {};
  return h;
}

bool ConstantTimeEquals(std::string_view presented, std::string_view expected) {
  // Loops over the presented token only, reading the expected one modulo its length, so the time
  // reveals neither the expected length nor the position of the first difference.
  volatile unsigned char diff = presented.size() == expected.size() ? 0 : 1;
  if (expected.empty()) return false;
  for (size_t i = 0; i < presented.size(); ++i) {
    diff = diff | static_cast<unsigned char>(presented[i] ^ expected[i % expected.size()]);
  }
  return diff == 0;
}

Result<std::unique_ptr<TokenFileAuthenticator>> TokenFileAuthenticator::Load(
    const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(ErrorCode::kUnavailable, "data.unreadable", file.string());
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    detail::LogLine("warning: token file " + detail::Sanitize(file.string()) +
                    " is accessible by group or others; it should be mode 0600");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  auto doc = json::Parse(ss.str());
  if (!doc) return Fail(ErrorCode::kInvalidArgument, "json.malformed", file.string());
  auto a = FromJson(*doc);
  if (!a) {
    Error e = a.error();
    e.detail = file.string() + ": " + e.detail;
    return std::unexpected(e);
  }
  return a;
}

Result<std::unique_ptr<TokenFileAuthenticator>> TokenFileAuthenticator::FromJson(
    const bj::value& doc) {
  const bj::object* root = doc.if_object();
  const bj::value* list = root ? root->if_contains("tokens") : nullptr;
  if (!list || !list->is_array()) return Fail(BadFile("expected {\"tokens\": [...]}"));
  std::unique_ptr<TokenFileAuthenticator> auth(new TokenFileAuthenticator());
  std::set<std::string> seen;
  size_t index = 0;
  for (const bj::value& v : list->get_array()) {
    const std::string where = "tokens[" + std::to_string(index++) + "]";
    const bj::object* o = v.if_object();
    if (!o) return Fail(BadFile(where + ": not an object"));
    auto token = json::String(*o, "token");
    auto kind = json::String(*o, "kind");
    auto id = json::String(*o, "id");
    if (!token || !kind || !id) return Fail(BadFile(where + ": token, kind and id are required"));
    if (token->size() < kMinTokenLength || token->size() > kMaxTokenLength ||
        token->find_first_of(" \t\r\n") != std::string::npos) {
      return Fail(BadFile(where + ": token must be 16..512 characters without spaces"));
    }
    if (!seen.insert(*token).second) return Fail(BadFile(where + ": duplicate token"));
    Entry e;
    e.token = std::move(*token);
    e.actor.id = std::move(*id);
    e.actor.unit = json::OptString(*o, "unit").value_or("");
    if (*kind == "officer") {
      e.actor.kind = app::Actor::Kind::kOfficer;
      if (e.actor.unit.empty()) return Fail(BadFile(where + ": an officer needs a unit"));
    } else if (*kind == "citizen") {
      e.actor.kind = app::Actor::Kind::kCitizen;
      e.actor.unit.clear();  // citizens act for no unit
    } else {
      // Never "system": the system actor bypasses unit checks and is not for HTTP clients.
      return Fail(BadFile(where + ": kind must be officer or citizen"));
    }
    if (e.actor.id.empty()) return Fail(BadFile(where + ": empty id"));
    if (const bj::value* roles = o->if_contains("roles")) {
      if (!roles->is_array()) return Fail(BadFile(where + ": roles must be an array"));
      for (const bj::value& r : roles->get_array()) {
        if (!r.is_string()) return Fail(BadFile(where + ": roles must be strings"));
        e.actor.roles.emplace_back(r.get_string());
      }
    }
    auth->entries_.push_back(std::move(e));
  }
  return auth;
}

Result<Identity> TokenFileAuthenticator::Authenticate(const Request& req,
                                                      const RequestMeta& meta) const {
  auto it = req.find(beast_http::field::authorization);
  Identity id;
  id.actor = app::Actor::Anonymous();
  if (it != req.end()) {
    const std::string_view token =
        BearerToken(std::string_view(it->value().data(), it->value().size()));
    if (token.empty()) return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
    const Entry* found = nullptr;
    for (const Entry& e : entries_) {
      // No early exit: every entry is compared.
      if (ConstantTimeEquals(token, e.token)) found = &e;
    }
    if (!found) return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
    id.actor = found->actor;
    id.actor.via = "token";
  }
  id.actor.address = meta.remote_address;
  id.actor.request_id = meta.request_id;
  return id;
}

// ---------------------------------------------------------------------------------------------
// Sessions and API tokens.

std::string_view SessionCookieName(bool tls) {
  return tls ? "__Host-motcua_session" : "motcua_session";
}

std::string SessionCookie(std::string_view token, int64_t max_age_s, bool tls) {
  std::string c = std::string(SessionCookieName(tls)) + "=" + std::string(token) +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s);
  if (tls) c += "; Secure";
  return c;
}

std::string ClearSessionCookie(bool tls) {
  std::string c = std::string(SessionCookieName(tls)) +
                  "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  if (tls) c += "; Secure";
  return c;
}

std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (pair.substr(0, eq) == name) {
      std::string_view v = pair.substr(eq + 1);
      while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
      return v;
    }
  }
  return {};
}

namespace {

std::string_view Field(const Request& req, beast_http::field f) {
  auto it = req.find(f);
  return it == req.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

std::string_view Field(const Request& req, std::string_view name) {
  auto it = req.find(boost::beast::string_view(name.data(), name.size()));
  return it == req.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

bool Unsafe(beast_http::verb v) {
  return v != beast_http::verb::get && v != beast_http::verb::head &&
         v != beast_http::verb::options;
}

// Whether an Origin header names this server: scheme://host[:port] equal to what the Host header
// says. A browser sends Origin on every cross-origin request and on same-origin POSTs.
bool SameOrigin(std::string_view origin, std::string_view host, bool tls) {
  const std::string expected = std::string(tls ? "https://" : "http://") + std::string(host);
  return origin == expected;
}

}  // namespace

Result<Identity> AccountAuthenticator::Authenticate(const Request& req,
                                                    const RequestMeta& meta) const {
  Identity id;
  const std::string_view authz = Field(req, beast_http::field::authorization);
  if (!authz.empty()) {
    const std::string_view token = BearerToken(authz);
    if (token.empty()) return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
    auto r = accounts_.ResolveApiToken(token);
    if (!r) return std::unexpected(r.error());
    id.actor = std::move(r->actor);
  } else {
    std::string_view cookie = CookieValue(Field(req, beast_http::field::cookie),
                                          SessionCookieName(meta.tls));
    if (cookie.empty()) {
      id.actor = app::Actor::Anonymous();
    } else {
      auto r = accounts_.ResolveSession(cookie);
      if (!r) return std::unexpected(r.error());
      if (Unsafe(req.method())) {
        // A cookie travels with every request the browser makes, whoever made the page: writes
        // must prove they come from our own pages (the token is only readable by them).
        const std::string_view presented = Field(req, "X-CSRF-Token");
        const std::string_view origin = Field(req, beast_http::field::origin);
        if (presented.empty() || !ConstantTimeEquals(presented, r->csrf) ||
            (!origin.empty() &&
             !SameOrigin(origin, Field(req, beast_http::field::host), meta.tls))) {
          return Fail(ErrorCode::kPermissionDenied, "auth.csrf");
        }
      }
      id.actor = std::move(r->actor);
      id.session_key = std::move(r->session_key);
      id.csrf = std::move(r->csrf);
      id.stage = std::move(r->stage);
    }
  }
  id.actor.address = meta.remote_address;
  id.actor.request_id = meta.request_id;
  return id;
}

}  // namespace motcua::http
