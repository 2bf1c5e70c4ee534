// Log lines of the HTTP layer on stderr: one write per line so that lines from concurrent
// connections never interleave. Callers must not pass bodies, tokens or ID numbers; Sanitize
// escapes control characters so that a client-chosen path cannot forge a log line.
// Thread-safety: thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace motcua::http::detail {

// Writes `line` plus a newline to stderr atomically with respect to other LogLine calls.
void LogLine(std::string_view line);

// Printable ASCII kept, everything else (control bytes, quotes, non-ASCII) as \xHH; cut to
// `max_bytes` with a trailing "…" marker.
std::string Sanitize(std::string_view s, size_t max_bytes = 200);

}  // namespace motcua::http::detail
