#include "base/json.h"

namespace motcua::json {

Error BadField(std::string_view key, std::string_view why) {
  Error e{ErrorCode::kInvalidArgument, "json.bad_field", std::string(why), {}};
  e.With("field", std::string(key));
  return e;
}

Result<boost::json::value> Parse(std::string_view text) {
  boost::system::error_code ec;
  boost::json::parse_options opt;
  opt.max_depth = 32;
  boost::json::value v = boost::json::parse(text, ec, {}, opt);
  if (ec) return Fail(ErrorCode::kInvalidArgument, "json.malformed", ec.message());
  return v;
}

Result<const boost::json::object*> Object(const boost::json::value& v, std::string_view what) {
  if (!v.is_object()) return Fail(BadField(what, "not an object"));
  return &v.get_object();
}

Result<std::string> String(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return Fail(BadField(key, "missing"));
  if (!it->value().is_string()) return Fail(BadField(key, "not a string"));
  return std::string(it->value().get_string());
}

std::optional<std::string> OptString(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

Result<int64_t> Int(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return Fail(BadField(key, "missing"));
  if (it->value().is_int64()) return it->value().get_int64();
  if (it->value().is_uint64() && it->value().get_uint64() <= INT64_MAX)
    return static_cast<int64_t>(it->value().get_uint64());
  return Fail(BadField(key, "not an integer"));
}

std::optional<int64_t> OptInt(const boost::json::object& o, std::string_view key) {
  auto r = Int(o, key);
  if (!r) return std::nullopt;
  return *r;
}

Result<bool> Bool(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return Fail(BadField(key, "missing"));
  if (!it->value().is_bool()) return Fail(BadField(key, "not a boolean"));
  return it->value().get_bool();
}

bool OptBool(const boost::json::object& o, std::string_view key, bool fallback) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_bool()) return fallback;
  return it->value().get_bool();
}

Result<const boost::json::array*> Array(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return Fail(BadField(key, "missing"));
  if (!it->value().is_array()) return Fail(BadField(key, "not an array"));
  return &it->value().get_array();
}

Result<const boost::json::object*> Object(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return Fail(BadField(key, "missing"));
  if (!it->value().is_object()) return Fail(BadField(key, "not an object"));
  return &it->value().get_object();
}

}  // namespace motcua::json
