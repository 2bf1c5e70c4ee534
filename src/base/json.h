// Parsing with limits, and small helpers to read typed fields out of Boost.JSON values with error
// values instead of exceptions (error key "json.bad_field" with the field name as parameter).
// Thread-safety: pure functions.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace motcua::json {

// Limits of Parse. The defaults are those of request bodies and of every document the project
// reads; stored documents are written by us and stay well inside them.
struct ParseOptions {
  // Nesting of arrays and objects; deeper documents are refused (json.too_deep) before they can
  // exhaust the stack of a recursive consumer.
  size_t max_depth = 32;
  // Boost.JSON (1.81) keeps the last of duplicate keys silently and has no option to refuse
  // them, so "amount": 1, "amount": 1000000 would mean whatever the last parser to look decided.
  bool allow_duplicate_keys = false;
};

// Parses one standard JSON document (no comments, no trailing commas, nothing after it).
// Errors, all kInvalidArgument: json.malformed (syntax, invalid UTF-8, empty input),
// json.too_deep (nesting beyond max_depth), json.duplicate_key (an object names a key twice),
// json.number_out_of_range (an integer literal outside int64/uint64, which Boost.JSON would
// silently turn into an inexact double, or a number beyond double's range, which would become
// infinity).
Result<boost::json::value> Parse(std::string_view text);
Result<boost::json::value> Parse(std::string_view text, const ParseOptions& options);

Result<const boost::json::object*> Object(const boost::json::value& v, std::string_view what);

Result<std::string> String(const boost::json::object& o, std::string_view key);
std::optional<std::string> OptString(const boost::json::object& o, std::string_view key);
Result<int64_t> Int(const boost::json::object& o, std::string_view key);
std::optional<int64_t> OptInt(const boost::json::object& o, std::string_view key);
Result<bool> Bool(const boost::json::object& o, std::string_view key);
bool OptBool(const boost::json::object& o, std::string_view key, bool fallback);
Result<const boost::json::array*> Array(const boost::json::object& o, std::string_view key);
Result<const boost::json::object*> Object(const boost::json::object& o, std::string_view key);

Error BadField(std::string_view key, std::string_view why);

}  // namespace motcua::json
