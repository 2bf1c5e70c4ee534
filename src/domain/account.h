// Accounts: citizens and organisations who register themselves, officers created by
// administrators and attached to one unit with roles, and service accounts behind API tokens.
// The account's public state is folded from its event stream ("account/<id>"); credentials
// (password hashes, TOTP seeds, session and token digests) never enter the log — they live in
// the store's secrets table (store.h SecretRow). Input rules (logins, phones, e-mail, password
// policy) are here so that every entry point applies the same ones. Pure; thread-safe values.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/event.h"
#include "base/time.h"

namespace motcua::domain {

enum class AccountKind { kCitizen, kOrganisation, kOfficer, kService };
std::string_view AccountKindName(AccountKind k);  // "citizen", "organisation", "officer", "service"
Result<AccountKind> ParseAccountKind(std::string_view s);

// Identity assurance: 1 = self-registered (ID number not verified), 2 = verified against the
// national e-ID (VNeID level 2) — the field is ready for that login (Decree 69/2024).
inline constexpr int kIdentityLevelSelf = 1;
inline constexpr int kIdentityLevelVerified = 2;

struct Account {
  std::string id;
  AccountKind kind = AccountKind::kCitizen;
  std::string login;  // normalised: citizens' ID number / organisations' tax code / officers' name
  std::string name;
  std::string id_number;  // citizens and organisations (tax code); empty for officers
  std::string phone;
  std::string email;
  int identity_level = kIdentityLevelSelf;
  std::string unit;                // officers and services
  std::vector<std::string> roles;  // held in `unit`
  bool disabled = false;
  bool password_set = false;
  bool totp_enrolled = false;
  Timestamp created_at;
  std::optional<Timestamp> last_login_at;
  int64_t version = 0;  // events in the stream

  // Officers must pass a second factor before their session is opened.
  bool RequiresTotp() const { return kind == AccountKind::kOfficer; }

  boost::json::object ToJson() const;
  static Result<Account> FromJson(const boost::json::object& o);
};

// Folds one event of the account's stream. Unknown types: projection.unknown_event (kDataLoss).
Result<void> ApplyAccountEvent(Account& a, const Event& e);
// Whether an event type belongs to account streams.
bool IsAccountEvent(std::string_view type);

// Officer login names: 3–64 characters of a–z, 0–9, '.', '_', '-', starting with a letter
// (account.bad_login). Returns the lower-cased name.
Result<std::string> NormaliseOfficerLogin(std::string_view login);
// Vietnamese mobile numbers: 10 digits starting 03/05/07/08/09, or +84 followed by 9 digits
// (account.bad_phone). Returns the 0-prefixed 10-digit form.
Result<std::string> NormalisePhone(std::string_view phone);
// A plausible address: one '@', non-empty local part and a dotted domain, at most 254 bytes,
// printable ASCII (account.bad_email). Returns it lower-cased.
Result<std::string> NormaliseEmail(std::string_view email);
// Password policy (NIST SP 800-63B style: length, not composition): 10–128 characters (code
// points), not one of the commonest passwords, not containing the login or the ID number.
// Errors: account.weak_password with a "rule" parameter (too_short, too_long, common,
// contains_login).
Result<void> CheckPasswordPolicy(std::string_view password, std::string_view login,
                                 std::string_view id_number);

}  // namespace motcua::domain
