// Small helpers to read typed fields out of Boost.JSON values with error values instead of
// exceptions (error key "json.bad_field" with the field name as parameter).
// Thread-safety: pure functions.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace motcua::json {

Result<boost::json::value> Parse(std::string_view text);
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
