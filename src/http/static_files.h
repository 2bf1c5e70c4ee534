// Static files of the web front end (web/dist) for every non-/api path, GET and HEAD only. The
// path is percent-decoded and checked segment by segment ("..", ".", hidden names, encoded
// slashes and NUL are refused) and the resolved file must lie inside the canonical root, so no
// path a client chooses can reach a file outside it (symlinks included). Without a root, "/"
// is a small built-in Vietnamese page naming the API. Thread-safety: immutable; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/error.h"
#include "http/routes.h"

namespace motcua::http {

inline constexpr uintmax_t kMaxStaticFileBytes = 32u << 20;

class StaticFiles {
 public:
  // An empty or missing `root` serves only the built-in page at "/".
  explicit StaticFiles(const std::filesystem::path& root);

  // The response for a request target ("/app.js?v=3"). Errors: http.bad_request (unparsable
  // target), http.bad_path (a refused segment; 400), http.not_found (404).
  Result<Response> Serve(std::string_view target) const;
  bool has_root() const { return !root_.empty(); }

 private:
  std::filesystem::path root_;  // canonical, or empty
};

// Content-Type by file extension (html, js, css, svg, png, json, …; else octet-stream).
std::string_view ContentTypeFor(const std::filesystem::path& file);

// The built-in page served at "/" when there is no static root.
const std::string& BuiltInIndexHtml();

}  // namespace motcua::http
