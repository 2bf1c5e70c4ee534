// Authentication at the HTTP edge: turns the Authorization header into an app::Actor. Handlers
// always take the actor from here, never from a request body. TokenFileAuthenticator is the
// stand-in until accounts and sessions arrive (issue #4): static bearer tokens from a JSON file
// written by the demo generator (mode 0600, random tokens, never in the repository).
// Thread-safety: Authenticate is const and thread-safe; the token table is immutable.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "base/error.h"

namespace motcua::http {

class Authenticator {
 public:
  virtual ~Authenticator();
  // The actor for an "Authorization" header value. Errors (kUnauthenticated → 401):
  // auth.missing (no header or not a Bearer credential), auth.invalid (unknown token).
  virtual Result<app::Actor> Authenticate(std::string_view authorization_header) const = 0;
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

  Result<app::Actor> Authenticate(std::string_view authorization_header) const override;
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
