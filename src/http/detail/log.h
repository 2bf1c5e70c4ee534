// Log lines of the HTTP layer: one JSON object per line on stderr ({"ts", "level", "event", …}),
// one write per line so that lines from concurrent connections never interleave. Personal data
// never reaches the log: every string value has runs of 9–12 digits (ID numbers, phone numbers)
// masked and control bytes escaped; callers must not pass bodies, query strings, cookies or
// credentials at all.
// Thread-safety: thread-safe (one mutex around the sink).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace motcua::http::detail {

enum class Level { kInfo, kWarn, kError };

// One structured line: LogRecord(Level::kInfo, "access").Str("method", "GET").Int("status",
// 200).Emit(). Keys are fixed names chosen by the code; values are cleaned (Sanitize, then
// MaskDigits) and JSON-escaped.
class LogRecord {
 public:
  LogRecord(Level level, std::string_view event);
  LogRecord& Str(std::string_view key, std::string_view value, size_t max_bytes = 200);
  LogRecord& Int(std::string_view key, int64_t value);
  LogRecord& Bool(std::string_view key, bool value);
  // The JSON text (without the newline).
  std::string Json() const;
  void Emit() const;

 private:
  std::string out_;  // the object so far, without its closing brace
};

// Free-form lines of older callers ("error request_id=… status=400 key=… detail=\"…\"",
// "warning: …") become JSON too: a line of the form `word key=value key="value"…` gives
// {"event": word, key: value…} (digit-only values as numbers), anything else
// {"event": "message", "msg": line}. Level: "warn" for a "warning" line, "error" for an
// "error"/"exception" line unless it carries a status below 500, "info" otherwise.
void LogLine(std::string_view line);
// What LogLine writes (for tests).
std::string LegacyLineToJson(std::string_view line);

// Printable ASCII kept, everything else (control bytes, quotes, backslashes, non-ASCII) as \xHH;
// cut to `max_bytes` with a trailing "..." marker.
std::string Sanitize(std::string_view s, size_t max_bytes = 200);

// Every maximal run of 9 to 12 ASCII digits — the length of CMND/CCCD numbers and of phone
// numbers — becomes asterisks but for its last 3 digits ("012345678901" → "*********901").
// Shorter runs (dates, codes, counters) and longer ones (microsecond timestamps) stay.
std::string MaskDigits(std::string_view s);

// Where lines go: stderr unless a sink is installed (tests read the log through it). Pass an
// empty function to restore stderr.
void SetLogSink(std::function<void(std::string_view line)> sink);

}  // namespace motcua::http::detail
