#include "domain/codes.h"

#include <cstdio>

#include "base/json.h"

namespace motcua::domain {

Result<CodeRule> CodeRule::Create(std::string pattern, std::string counter_scope) {
  if (counter_scope != "unit_year" && counter_scope != "unit_day") {
    return Fail(ErrorCode::kInvalidArgument, "codes.bad_pattern", "counter " + counter_scope);
  }
  if (counter_scope == "unit_day" && pattern.find("{yymmdd}") == std::string::npos &&
      (pattern.find("{dd}") == std::string::npos || pattern.find("{mm}") == std::string::npos)) {
    return Fail(ErrorCode::kInvalidArgument, "codes.bad_pattern", "a daily counter needs the date");
  }
  const bool has_unit = pattern.find("{unit}") != std::string::npos;
  const bool has_year = pattern.find("{yy") != std::string::npos;
  const bool has_seq = pattern.find("{seq") != std::string::npos;
  if (!has_unit || !has_year || !has_seq) {
    return Fail(ErrorCode::kInvalidArgument, "codes.bad_pattern", pattern);
  }
  CodeRule r;
  r.pattern_ = std::move(pattern);
  r.per_day_ = counter_scope == "unit_day";
  // Reject unknown placeholders up front.
  if (auto probe = r.Format("U", {2025, 1, 1}, 1); !probe) return std::unexpected(probe.error());
  return r;
}

Result<CodeRule> CodeRule::FromJson(const boost::json::value& doc, std::string_view kind) {
  auto root = json::Object(doc, "codes");
  if (!root) return std::unexpected(root.error());
  auto entry = json::Object(**root, kind);
  if (!entry) return std::unexpected(entry.error());
  auto pattern = json::String(**entry, "pattern");
  if (!pattern) return std::unexpected(pattern.error());
  auto rule = Create(*pattern, json::OptString(**entry, "counter").value_or("unit_year"));
  if (rule) rule->kind_ = std::string(kind);
  return rule;
}

std::string CodeRule::CounterKey(std::string_view unit, CivilDate date) const {
  // Appended piece by piece: g++ 12 -O2 reports a false -Wrestrict on chained operator+ here.
  std::string key = kind_;
  key.append("/").append(unit).append("/").append(std::to_string(date.year));
  if (per_day_) key.append("/").append(FormatIsoDate(date));
  return key;
}

Result<std::string> CodeRule::Format(std::string_view unit, CivilDate date, int64_t n) const {
  std::string out;
  char buf[32];
  for (size_t i = 0; i < pattern_.size();) {
    if (pattern_[i] != '{') {
      out.push_back(pattern_[i++]);
      continue;
    }
    const size_t close = pattern_.find('}', i);
    if (close == std::string::npos)
      return Fail(ErrorCode::kInvalidArgument, "codes.bad_pattern", pattern_);
    const std::string_view name(pattern_.data() + i + 1, close - i - 1);
    if (name == "unit") {
      out += unit;
    } else if (name == "yyyy") {
      std::snprintf(buf, sizeof buf, "%04d", date.year);
      out += buf;
    } else if (name == "yy") {
      std::snprintf(buf, sizeof buf, "%02d", date.year % 100);
      out += buf;
    } else if (name == "mm") {
      std::snprintf(buf, sizeof buf, "%02d", date.month);
      out += buf;
    } else if (name == "dd") {
      std::snprintf(buf, sizeof buf, "%02d", date.day);
      out += buf;
    } else if (name == "yymmdd") {
      std::snprintf(buf, sizeof buf, "%02d%02d%02d", date.year % 100, date.month, date.day);
      out += buf;
    } else if (name == "seq4" || name == "seq5" || name == "seq6") {
      const int width = name.back() - '0';
      int64_t limit = 1;
      for (int k = 0; k < width; ++k) limit *= 10;
      if (n <= 0 || n >= limit)
        return Fail(ErrorCode::kResourceExhausted, "codes.sequence_overflow");
      std::string digits = std::to_string(n);
      out.append(static_cast<size_t>(width) - digits.size(), '0');
      out += digits;
    } else {
      return Fail(ErrorCode::kInvalidArgument, "codes.bad_pattern", std::string(name));
    }
    i = close + 1;
  }
  return out;
}

}  // namespace motcua::domain
