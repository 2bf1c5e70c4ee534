#include "http/detail/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <utility>
#include <vector>

namespace motcua::http::detail {

namespace {

std::mutex& LogMutex() {
  static std::mutex mu;
  return mu;
}

std::function<void(std::string_view)>& Sink() {  // guarded by LogMutex()
  static std::function<void(std::string_view)> sink;
  return sink;
}

void Write(std::string out) {
  std::lock_guard<std::mutex> lock(LogMutex());
  if (Sink()) return Sink()(out);
  out.push_back('\n');
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

// Appends `s` as a JSON string; `s` is already printable ASCII without quotes or backslashes
// (Sanitize), except for the key names and event words written by the code itself.
void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(ch) < 0x20) {
      out += "?";  // never produced by Sanitize; keeps the line valid JSON regardless
      continue;
    }
    out.push_back(ch);
  }
  out.push_back('"');
}

// Masks before cutting: a 12-digit number cut to its first 8 digits would escape the mask.
std::string Clean(std::string_view value, size_t max_bytes) {
  return Sanitize(MaskDigits(value), max_bytes);
}

// "2026-03-03T02:00:00.123Z"
std::string NowIso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];  // room for any int values, so that -Wformat-truncation is satisfied at -O2
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

bool IsWordChar(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool IsDigits(std::string_view s) {
  return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

LogRecord::LogRecord(Level level, std::string_view event) {
  out_ = "{\"ts\":\"" + NowIso8601() + "\",\"level\":\"" + std::string(LevelName(level)) +
         "\",\"event\":";
  AppendJsonString(out_, Clean(event, 40));
}

LogRecord& LogRecord::Str(std::string_view key, std::string_view value, size_t max_bytes) {
  out_.push_back(',');
  AppendJsonString(out_, key);
  out_.push_back(':');
  AppendJsonString(out_, Clean(value, max_bytes));
  return *this;
}

LogRecord& LogRecord::Int(std::string_view key, int64_t value) {
  out_.push_back(',');
  AppendJsonString(out_, key);
  out_ += ":" + std::to_string(value);
  return *this;
}

LogRecord& LogRecord::Bool(std::string_view key, bool value) {
  out_.push_back(',');
  AppendJsonString(out_, key);
  out_ += value ? ":true" : ":false";
  return *this;
}

std::string LogRecord::Json() const { return out_ + "}"; }

void LogRecord::Emit() const { Write(Json()); }

std::string LegacyLineToJson(std::string_view line) {
  // `word key=value key="value"…`; quoted values come from Sanitize and hold no '"'.
  std::string_view rest = line;
  size_t w = 0;
  while (w < rest.size() && IsWordChar(rest[w])) ++w;
  const std::string_view event = rest.substr(0, w);
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  bool structured = w > 0 && (w == rest.size() || rest[w] == ' ');
  rest.remove_prefix(w);
  while (structured && !rest.empty()) {
    if (rest[0] != ' ') {
      structured = false;
      break;
    }
    rest.remove_prefix(1);
    size_t k = 0;
    while (k < rest.size() && IsWordChar(rest[k])) ++k;
    if (k == 0 || k >= rest.size() || rest[k] != '=') {
      structured = false;
      break;
    }
    const std::string_view key = rest.substr(0, k);
    rest.remove_prefix(k + 1);
    std::string_view value;
    if (!rest.empty() && rest[0] == '"') {
      const size_t close = rest.find('"', 1);
      if (close == std::string_view::npos) {
        structured = false;
        break;
      }
      value = rest.substr(1, close - 1);
      rest.remove_prefix(close + 1);
    } else {
      const size_t end = rest.find(' ');
      value = rest.substr(0, end);
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    }
    fields.emplace_back(key, value);
  }
  Level level = Level::kInfo;
  if (line.starts_with("warning")) level = Level::kWarn;
  if (event == "error" || event == "exception") {
    level = Level::kError;
    for (const auto& [k, v] : fields) {
      if (k == "status" && IsDigits(v) && std::stoll(std::string(v)) < 500) level = Level::kInfo;
    }
  }
  if (!structured) {
    return LogRecord(level, "message").Str("msg", line, 1000).Json();
  }
  LogRecord r(level, event);
  for (const auto& [k, v] : fields) {
    if (IsDigits(v) && v.size() < 9) {
      r.Int(k, std::stoll(std::string(v)));
    } else {
      r.Str(k, v, 1000);
    }
  }
  return r.Json();
}

void LogLine(std::string_view line) { Write(LegacyLineToJson(line)); }

std::string Sanitize(std::string_view s, size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    if (out.size() >= max_bytes) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out.push_back(ch);
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string MaskDigits(std::string_view s) {
  std::string out(s);
  size_t i = 0;
  while (i < out.size()) {
    if (out[i] < '0' || out[i] > '9') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < out.size() && out[j] >= '0' && out[j] <= '9') ++j;
    if (const size_t run = j - i; run >= 9 && run <= 12) {
      for (size_t k = i; k < j - 3; ++k) out[k] = '*';
    }
    i = j;
  }
  return out;
}

void SetLogSink(std::function<void(std::string_view line)> sink) {
  std::lock_guard<std::mutex> lock(LogMutex());
  Sink() = std::move(sink);
}

}  // namespace motcua::http::detail
