#include "domain/account.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace motcua::domain {

namespace bj = boost::json;

namespace {

std::string Str(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : "";
}

bool Flag(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() && it->value().get_bool();
}

std::vector<std::string> Strings(const bj::object& o, std::string_view key) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_array()) return out;
  for (const auto& v : it->value().get_array()) {
    if (v.is_string()) out.emplace_back(v.get_string());
  }
  return out;
}

bj::array StringArray(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

Error Bad(std::string key, std::string_view why) {
  return Error{ErrorCode::kInvalidArgument, std::move(key), std::string(why), {}};
}

// Decodes UTF-8 to count code points; invalid sequences count one per byte (the JSON layer has
// already refused invalid UTF-8, so this only matters for direct callers).
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The commonest passwords that still pass the length rule (from public breach-corpus top lists);
// compared case-insensitively.
constexpr std::array<std::string_view, 24> kCommon{
    "1234567890",   "0123456789",  "12345678910", "123456789a",  "1234567890a", "qwertyuiop",
    "1q2w3e4r5t",   "1qaz2wsx3edc", "password12", "password123", "matkhau123",  "matkhau1234",
    "abc1234567",   "aa12345678",   "a123456789", "iloveyou12",  "zxcvbnm123",  "qwerty1234",
    "0987654321",   "1111111111",   "admin12345", "admin@123",   "abcd@1234",   "vietnam123",
};

}  // namespace

std::string_view AccountKindName(AccountKind k) {
  switch (k) {
    case AccountKind::kCitizen:
      return "citizen";
    case AccountKind::kOrganisation:
      return "organisation";
    case AccountKind::kOfficer:
      return "officer";
    case AccountKind::kService:
      return "service";
  }
  return "citizen";
}

Result<AccountKind> ParseAccountKind(std::string_view s) {
  for (AccountKind k : {AccountKind::kCitizen, AccountKind::kOrganisation, AccountKind::kOfficer,
                        AccountKind::kService}) {
    if (AccountKindName(k) == s) return k;
  }
  return Fail(Bad("account.bad_kind", s.substr(0, 32)));
}

bj::object Account::ToJson() const {
  bj::object o;
  o["id"] = id;
  o["kind"] = AccountKindName(kind);
  o["login"] = login;
  o["name"] = name;
  o["id_number"] = id_number;
  o["phone"] = phone;
  o["email"] = email;
  o["identity_level"] = identity_level;
  o["unit"] = unit;
  o["roles"] = StringArray(roles);
  o["disabled"] = disabled;
  o["password_set"] = password_set;
  o["totp_enrolled"] = totp_enrolled;
  o["created_at"] = created_at.us;
  o["last_login_at"] = last_login_at ? bj::value(last_login_at->us) : bj::value(nullptr);
  o["version"] = version;
  return o;
}

Result<Account> Account::FromJson(const bj::object& o) {
  Account a;
  a.id = Str(o, "id");
  if (a.id.empty()) return Fail(ErrorCode::kDataLoss, "account.bad_document", "no id");
  auto kind = ParseAccountKind(Str(o, "kind"));
  if (!kind) return Fail(ErrorCode::kDataLoss, "account.bad_document", "kind");
  a.kind = *kind;
  a.login = Str(o, "login");
  a.name = Str(o, "name");
  a.id_number = Str(o, "id_number");
  a.phone = Str(o, "phone");
  a.email = Str(o, "email");
  if (auto it = o.find("identity_level"); it != o.end() && it->value().is_int64()) {
    a.identity_level = static_cast<int>(it->value().get_int64());
  }
  a.unit = Str(o, "unit");
  a.roles = Strings(o, "roles");
  a.disabled = Flag(o, "disabled");
  a.password_set = Flag(o, "password_set");
  a.totp_enrolled = Flag(o, "totp_enrolled");
  if (auto it = o.find("created_at"); it != o.end() && it->value().is_int64()) {
    a.created_at.us = it->value().get_int64();
  }
  if (auto it = o.find("last_login_at"); it != o.end() && it->value().is_int64()) {
    a.last_login_at = Timestamp{it->value().get_int64()};
  }
  if (auto it = o.find("version"); it != o.end() && it->value().is_int64()) {
    a.version = it->value().get_int64();
  }
  return a;
}

namespace {

constexpr std::array<std::string_view, 16> kAccountEvents{
    "AccountRegistered", "OfficerAccountCreated", "ServiceAccountCreated", "AccountRolesChanged",
    "AccountDisabled",   "AccountEnabled",        "PasswordSet",           "TotpEnrolled",
    "TotpReset",         "LoginSucceeded",        "LoginFailed",           "LoggedOut",
    "PasswordResetRequested", "ApiTokenIssued",   "ApiTokenRevoked",       "AccountContactChanged",
};

}  // namespace

bool IsAccountEvent(std::string_view type) {
  return std::find(kAccountEvents.begin(), kAccountEvents.end(), type) != kAccountEvents.end();
}

Result<void> ApplyAccountEvent(Account& a, const Event& e) {
  const bj::object& p = e.payload;
  if (e.type == "AccountRegistered" || e.type == "OfficerAccountCreated" ||
      e.type == "ServiceAccountCreated") {
    a = Account{};
    a.id = e.stream.substr(e.stream.find('/') + 1);
    auto kind = ParseAccountKind(Str(p, "kind"));
    if (!kind) return Fail(ErrorCode::kDataLoss, "projection.bad_event", e.type);
    a.kind = *kind;
    a.login = Str(p, "login");
    a.name = Str(p, "name");
    a.id_number = Str(p, "id_number");
    a.phone = Str(p, "phone");
    a.email = Str(p, "email");
    if (auto it = p.find("identity_level"); it != p.end() && it->value().is_int64()) {
      a.identity_level = static_cast<int>(it->value().get_int64());
    }
    a.unit = Str(p, "unit");
    a.roles = Strings(p, "roles");
    a.created_at = e.at;
  } else if (e.type == "AccountRolesChanged") {
    a.unit = Str(p, "unit");
    a.roles = Strings(p, "roles");
  } else if (e.type == "AccountDisabled") {
    a.disabled = true;
  } else if (e.type == "AccountEnabled") {
    a.disabled = false;
  } else if (e.type == "PasswordSet") {
    a.password_set = true;
  } else if (e.type == "TotpEnrolled") {
    a.totp_enrolled = true;
  } else if (e.type == "TotpReset") {
    a.totp_enrolled = false;
  } else if (e.type == "LoginSucceeded") {
    a.last_login_at = e.at;
  } else if (e.type == "AccountContactChanged") {
    a.phone = Str(p, "phone");
    a.email = Str(p, "email");
  } else if (!IsAccountEvent(e.type)) {
    return Fail(ErrorCode::kDataLoss, "projection.unknown_event", e.type);
  }
  ++a.version;
  return {};
}

Result<std::string> NormaliseOfficerLogin(std::string_view login) {
  std::string s = Lower(login);
  if (s.size() < 3 || s.size() > 64) return Fail(Bad("account.bad_login", "length"));
  if (!(s[0] >= 'a' && s[0] <= 'z')) return Fail(Bad("account.bad_login", "first character"));
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '-';
    if (!ok) return Fail(Bad("account.bad_login", "character"));
  }
  return s;
}

Result<std::string> NormalisePhone(std::string_view phone) {
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c == ' ' || c == '.' || c == '-') continue;
    if (c == '+' && i == 0) {
      plus = true;
      continue;
    }
    if (c < '0' || c > '9') return Fail(Bad("account.bad_phone", "character"));
    digits += c;
  }
  if (plus) {
    if (!digits.starts_with("84") || digits.size() != 11) {
      return Fail(Bad("account.bad_phone", "length"));
    }
    // "84xxxxxxxxx" → "0xxxxxxxxx" in place (GCC 12 at -O3 misreports "0" + substr as an
    // overlapping memcpy, -Wrestrict).
    digits.erase(0, 1);
    digits[0] = '0';
  }
  if (digits.size() != 10 || digits[0] != '0') return Fail(Bad("account.bad_phone", "length"));
  if (std::string_view("35789").find(digits[1]) == std::string_view::npos) {
    return Fail(Bad("account.bad_phone", "prefix"));
  }
  return digits;
}

Result<std::string> NormaliseEmail(std::string_view email) {
  if (email.empty() || email.size() > 254) return Fail(Bad("account.bad_email", "length"));
  for (unsigned char c : email) {
    if (c <= 0x20 || c >= 0x7f) return Fail(Bad("account.bad_email", "character"));
  }
  const size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return Fail(Bad("account.bad_email", "@"));
  }
  const std::string_view domain = email.substr(at + 1);
  const size_t dot = domain.find('.');
  if (dot == 0 || dot == std::string_view::npos || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return Fail(Bad("account.bad_email", "domain"));
  }
  return Lower(email);
}

Result<void> CheckPasswordPolicy(std::string_view password, std::string_view login,
                                 std::string_view id_number) {
  auto weak = [](std::string_view rule) {
    Error e = Bad("account.weak_password", rule);
    e.With("rule", std::string(rule));
    return e;
  };
  const size_t n = CodePoints(password);
  if (n < 10) return Fail(weak("too_short"));
  if (n > 128) return Fail(weak("too_long"));
  const std::string lower = Lower(password);
  if (std::find(kCommon.begin(), kCommon.end(), lower) != kCommon.end()) {
    return Fail(weak("common"));
  }
  // One repeated character ("aaaaaaaaaa") is as weak as a common password.
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; })) {
    return Fail(weak("common"));
  }
  if ((login.size() >= 3 && lower.find(Lower(login)) != std::string::npos) ||
      (id_number.size() >= 6 && lower.find(Lower(id_number)) != std::string::npos)) {
    return Fail(weak("contains_login"));
  }
  return {};
}

}  // namespace motcua::domain
