#include "pay/config.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "base/json.h"

namespace motcua::pay {
namespace {

constexpr std::string_view kSchema = "motcua.payment/1";

std::unexpected<Error> BadConfig(std::string field, std::string why) {
  Error e{ErrorCode::kInvalidArgument, "payment.bad_config", field + ": " + why, {}};
  e.With("field", std::move(field));
  return Fail(std::move(e));
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsAlnum(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
      return false;
    }
  }
  return true;
}

bool IsHttpUrl(std::string_view s) {
  return (s.starts_with("http://") && s.size() > 7) || (s.starts_with("https://") && s.size() > 8);
}

// "section.key": a field's name in errors (built, so that it does not read as an error key).
std::string Path(std::string_view section, std::string_view key) {
  return std::string(section) + "." + std::string(key);
}

// A non-empty string member; `path` names it in errors.
Result<std::string> Field(const boost::json::object& o, std::string_view key,
                          const std::string& path) {
  auto v = json::String(o, key);
  if (!v) return BadConfig(path, v.error().detail);
  if (v->empty()) return BadConfig(path, "empty");
  return v;
}

}  // namespace

Result<PaymentConfig> PaymentConfigFromJson(const boost::json::value& v) {
  if (!v.is_object()) return BadConfig("(document)", "not an object");
  const boost::json::object& root = v.get_object();
  auto schema = Field(root, "schema", "schema");
  if (!schema) return Fail(schema.error());
  if (*schema != kSchema) return BadConfig("schema", "not motcua.payment/1");
  const auto* gateway = root.if_contains("gateway");
  if (gateway == nullptr || !gateway->is_object()) return BadConfig("gateway", "not an object");
  const auto* bank = root.if_contains("bank");
  if (bank == nullptr || !bank->is_object()) return BadConfig("bank", "not an object");
  const boost::json::object& g = gateway->get_object();
  const boost::json::object& b = bank->get_object();

  PaymentConfig c;
  const std::pair<const char*, std::string*> gateway_fields[] = {
      {"url", &c.gateway.url},
      {"tmn_code", &c.gateway.tmn_code},
      {"hash_secret", &c.gateway.hash_secret},
      {"platform", &c.platform},
      {"ipn_url", &c.ipn_url},
      {"return_url", &c.return_url}};
  for (const auto& [key, target] : gateway_fields) {
    auto s = Field(g, key, Path("gateway", key));
    if (!s) return Fail(s.error());
    *target = std::move(*s);
  }
  const std::pair<const char*, std::string*> bank_fields[] = {
      {"bin", &c.bank.bin},
      {"account", &c.bank.account},
      {"account_name", &c.bank.account_name},
      {"notify_url", &c.bank.notify_url},
      {"notify_secret", &c.bank.notify_secret}};
  for (const auto& [key, target] : bank_fields) {
    auto s = Field(b, key, Path("bank", key));
    if (!s) return Fail(s.error());
    *target = std::move(*s);
  }
  for (const auto& [path, url] : {std::pair{Path("gateway", "url"), &c.gateway.url},
                                  std::pair{Path("gateway", "ipn_url"), &c.ipn_url},
                                  std::pair{Path("gateway", "return_url"), &c.return_url},
                                  std::pair{Path("bank", "notify_url"), &c.bank.notify_url}}) {
    if (!IsHttpUrl(*url)) return BadConfig(path, "not an http:// or https:// URL");
  }
  if (!IsAlnum(c.gateway.tmn_code) || c.gateway.tmn_code.size() > 32) {
    return BadConfig(Path("gateway", "tmn_code"), "not 1..32 of [0-9A-Za-z]");
  }
  if (c.platform != "national" && c.platform != "province") {
    return BadConfig(Path("gateway", "platform"), "not national|province");
  }
  if (c.bank.bin.size() != 6 || !IsDigits(c.bank.bin))
    return BadConfig(Path("bank", "bin"), "not 6 digits");
  if (!IsAlnum(c.bank.account) || c.bank.account.size() > 19) {
    return BadConfig(Path("bank", "account"), "not 1..19 of [0-9A-Za-z]");
  }
  for (char ch : c.bank.account_name) {
    if (ch < 0x20 || ch > 0x7E)
      return BadConfig(Path("bank", "account_name"), "not printable ASCII");
  }
  return c;
}

Result<PaymentConfig> LoadPaymentConfig(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Fail(ErrorCode::kUnavailable, "payment.config_unreadable",
                "cannot stat " + path.string());
  }
  if ((st.st_mode & 077) != 0) {
    return Fail(ErrorCode::kFailedPrecondition, "payment.config_permissions",
                path.string() + " is accessible to group or others (want mode 0600)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kUnavailable, "payment.config_unreadable",
                "cannot read " + path.string());
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = json::Parse(ss.str());
  if (!doc) return BadConfig("(document)", "not JSON: " + doc.error().key);
  return PaymentConfigFromJson(*doc);
}

std::string PaymentConfigJson(const PaymentConfig& c) {
  boost::json::object g{{"url", c.gateway.url},
                        {"tmn_code", c.gateway.tmn_code},
                        {"hash_secret", c.gateway.hash_secret},
                        {"platform", c.platform},
                        {"ipn_url", c.ipn_url},
                        {"return_url", c.return_url}};
  boost::json::object b{{"bin", c.bank.bin},
                        {"account", c.bank.account},
                        {"account_name", c.bank.account_name},
                        {"notify_url", c.bank.notify_url},
                        {"notify_secret", c.bank.notify_secret}};
  boost::json::object root{{"schema", kSchema}, {"gateway", std::move(g)}, {"bank", std::move(b)}};
  return boost::json::serialize(root);
}

}  // namespace motcua::pay
