#include "http/detail/log.h"

#include <cstdio>
#include <mutex>

namespace motcua::http::detail {

namespace {
std::mutex& LogMutex() {
  static std::mutex mu;
  return mu;
}
}  // namespace

void LogLine(std::string_view line) {
  std::string out(line);
  out.push_back('\n');
  std::lock_guard<std::mutex> lock(LogMutex());
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

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

}  // namespace motcua::http::detail
