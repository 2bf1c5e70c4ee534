#include "http/auth.h"

#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>

#include "base/json.h"
#include "http/detail/log.h"

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

Result<app::Actor> TokenFileAuthenticator::Authenticate(std::string_view header) const {
  const std::string_view token = BearerToken(header);
  if (token.empty()) return Fail(ErrorCode::kUnauthenticated, "auth.missing");
  const Entry* found = nullptr;
  for (const Entry& e : entries_) {
    // No early exit: every entry is compared.
    if (ConstantTimeEquals(token, e.token)) found = &e;
  }
  if (!found) return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
  return found->actor;
}

}  // namespace motcua::http
