// The one place where error values meet HTTP: ErrorCode (plus a few http.* keys) → status, and
// the client body {"code", "message", "request_id", "params"} with the message taken from the
// Vietnamese/English catalogue data/messages.json ({"<key>": {"vi": "…", "en": "…"}}, {param}
// placeholders). `detail` never reaches the client: it is logged with the request id.
// Thread-safety: MessageCatalog is immutable after loading; all functions are thread-safe.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace motcua::http {

enum class Lang { kVi, kEn };

// Vietnamese unless the Accept-Language header gives English a higher weight than Vietnamese
// ("en-US,en;q=0.9" → kEn; "vi,en;q=0.8" → kVi; "fr" → kVi). Malformed parts are ignored.
Lang PreferredLanguage(std::string_view accept_language);

// The HTTP status of an error: InvalidArgument 400, NotFound 404, AlreadyExists 409,
// FailedPrecondition 409, Aborted 409, Unavailable 503, PermissionDenied 403, Unauthenticated 401,
// ResourceExhausted 429, DeadlineExceeded 504, DataLoss 500, Internal 500; keys of the transport
// override it (http.body_too_large 413, http.headers_too_large 431, http.method_not_allowed 405,
// http.unsupported_media_type 415).
unsigned HttpStatus(const Error& e);

// Catalogue key of the generic message for a code: "error.invalid_argument", …
std::string GenericKey(ErrorCode code);

class MessageCatalog {
 public:
  // Reads the catalogue file. Errors: data.unreadable (kUnavailable), json.malformed, or
  // http.bad_message_catalogue (kInvalidArgument) naming the offending key in the detail — every
  // entry needs non-empty "vi" and "en" strings.
  static Result<MessageCatalog> Load(const std::filesystem::path& file);
  static Result<MessageCatalog> FromJson(const boost::json::value& doc);
  // Only the generic per-code messages, compiled in: the fallback when no file can be found.
  static MessageCatalog BuiltIn();

  bool Has(std::string_view key) const { return entries_.find(key) != entries_.end(); }
  // The message for `key` in `lang` with {name} placeholders replaced by the params' values;
  // nullopt if the key is not in the catalogue.
  std::optional<std::string> Find(
      std::string_view key, Lang lang,
      const std::vector<std::pair<std::string, std::string>>& params = {}) const;
  size_t size() const { return entries_.size(); }
  std::vector<std::string> Keys() const;
  // The raw templates of a key (for the catalogue's own tests).
  std::optional<std::pair<std::string, std::string>> Templates(std::string_view key) const;

 private:
  struct Entry {
    std::string vi;
    std::string en;
  };
  std::map<std::string, Entry, std::less<>> entries_;
};

// Replaces {name} with the value of param `name`; unknown placeholders stay as written.
std::string Substitute(std::string_view tmpl,
                       const std::vector<std::pair<std::string, std::string>>& params);

struct ErrorReply {
  unsigned status = 500;
  std::string body;                                          // JSON text
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Retry-After
};

// Renders `e` for the client and writes one log line (request id, key, code, sanitised detail;
// a key missing from the catalogue is logged as such and answered with the generic message).
ErrorReply RenderError(const Error& e, const MessageCatalog& messages, Lang lang,
                       std::string_view request_id);

}  // namespace motcua::http
