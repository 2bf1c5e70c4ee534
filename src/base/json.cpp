#include "base/json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <cmath>
#include <vector>

namespace motcua::json {

Error BadField(std::string_view key, std::string_view why) {
  Error e{ErrorCode::kInvalidArgument, "json.bad_field", std::string(why), {}};
  e.With("field", std::string(key));
  return e;
}

namespace {

namespace bj = boost::json;

// Boost.JSON's own document builder (value_stack, as in boost::json::parse) plus two checks:
// every number that Boost.JSON returns as a double is looked at, and the members the parser saw
// are counted. value_stack silently keeps the last of duplicate keys, so each duplicate makes
// the built document hold fewer members than the parser counted — comparing the two totals
// detects duplicates without storing any key (a second pass over the finished tree, about as
// cheap as copying it; building member by member and checking each insertion cost twice as
// much as the whole parse).
class CheckingHandler {
 public:
  static constexpr size_t max_object_size = bj::object::max_size();
  static constexpr size_t max_array_size = bj::array::max_size();
  static constexpr size_t max_key_size = bj::string::max_size();
  static constexpr size_t max_string_size = bj::string::max_size();

  // `temp`: scratch space for the stack (the finished value uses the default resource).
  CheckingHandler(unsigned char* temp, size_t temp_size) : st({}, temp, temp_size) {}

  bj::value_stack st;

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code&) { return true; }
  bool on_object_end(size_t n, boost::system::error_code&) {
    members_ += n;
    st.push_object(n);
    return true;
  }
  bool on_array_begin(boost::system::error_code&) { return true; }
  bool on_array_end(size_t n, boost::system::error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(bj::string_view s, size_t, boost::system::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_key(bj::string_view s, size_t, boost::system::error_code&) {
    st.push_key(s);
    return true;
  }
  bool on_string_part(bj::string_view s, size_t, boost::system::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(bj::string_view s, size_t, boost::system::error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(bj::string_view s, boost::system::error_code&) {
    fraction_or_exponent_ |= s.find_first_of(".eE") != bj::string_view::npos;
    return true;
  }
  bool on_int64(int64_t i, bj::string_view, boost::system::error_code&) {
    fraction_or_exponent_ = false;
    st.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, bj::string_view, boost::system::error_code&) {
    fraction_or_exponent_ = false;
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, bj::string_view s, boost::system::error_code& ec) {
    const bool integer_literal =
        !fraction_or_exponent_ && s.find_first_of(".eE") == bj::string_view::npos;
    fraction_or_exponent_ = false;
    // An integer literal reaches on_double only when it overflows uint64/int64: the double
    // would be a different number. A fraction or exponent beyond double's range becomes inf.
    if (integer_literal || !std::isfinite(d)) {
      out_of_range_ = true;
      ec = bj::error::exception;  // any error stops the parser; out_of_range_ says why
      return false;
    }
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, boost::system::error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(boost::system::error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(bj::string_view, boost::system::error_code&) { return true; }
  bool on_comment(bj::string_view, boost::system::error_code&) { return true; }

  bool out_of_range() const { return out_of_range_; }
  size_t members() const { return members_; }

 private:
  size_t members_ = 0;  // object members as the parser saw them
  bool fraction_or_exponent_ = false;  // across the parts of one number
  bool out_of_range_ = false;
};

// Object members in the finished tree (iteratively: the depth limit is the caller's choice).
size_t CountMembers(const bj::value& root) {
  size_t n = 0;
  std::vector<const bj::value*> todo{&root};
  while (!todo.empty()) {
    const bj::value* v = todo.back();
    todo.pop_back();
    if (const bj::object* o = v->if_object()) {
      n += o->size();
      for (const auto& kv : *o) {
        if (kv.value().is_structured()) todo.push_back(&kv.value());
      }
    } else if (const bj::array* a = v->if_array()) {
      for (const bj::value& x : *a) {
        if (x.is_structured()) todo.push_back(&x);
      }
    }
  }
  return n;
}

}  // namespace

Result<boost::json::value> Parse(std::string_view text) { return Parse(text, ParseOptions{}); }

Result<boost::json::value> Parse(std::string_view text, const ParseOptions& options) {
  bj::parse_options opt;  // standard JSON; Boost.JSON refuses invalid UTF-8 by default
  opt.max_depth = options.max_depth;
  unsigned char temp[4096];  // as boost::json::parse: small documents need no scratch allocation
  bj::basic_parser<CheckingHandler> parser(opt, temp, sizeof temp);
  parser.handler().st.reset();
  boost::system::error_code ec;
  const size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = bj::error::extra_data;
  if (parser.handler().out_of_range()) {
    return Fail(ErrorCode::kInvalidArgument, "json.number_out_of_range",
                "a number is outside the range of int64, uint64 or double");
  }
  if (ec == bj::error::too_deep) {
    return Fail(ErrorCode::kInvalidArgument, "json.too_deep",
                "nesting deeper than " + std::to_string(options.max_depth));
  }
  if (ec) return Fail(ErrorCode::kInvalidArgument, "json.malformed", ec.message());
  bj::value v = parser.handler().st.release();
  if (!options.allow_duplicate_keys && CountMembers(v) != parser.handler().members()) {
    return Fail(ErrorCode::kInvalidArgument, "json.duplicate_key",
                "an object names the same key twice");
  }
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
