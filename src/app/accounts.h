// Accounts, sign-in and credentials: citizens' self-registration, officers created by unit
// administrators, passwords (Argon2id), TOTP second factor (required for officers), sessions,
// single-use password-reset tokens, API tokens with scopes for machine clients, and login
// throttling per account and per address. Every change is an event of the account's stream
// ("account/<id>") appended with its audit record in one durable transaction; secrets go to the
// store's secrets table only as hashes or sealed (secretbox) values, never to the log.
//
// Bearer values handed out: session tokens "<account id>.<random>", reset tokens likewise, API
// tokens "mct_<random>"; stored under SHA-256 digests. Idle session expiry is tracked in memory
// (a restart gives every live session a fresh idle period; the absolute expiry is durable).
// Thread-safety: thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/access.h"
#include "app/actor.h"
#include "app/catalog.h"
#include "base/error.h"
#include "base/time.h"
#include "domain/account.h"
#include "secure/password.h"
#include "secure/secretbox.h"
#include "store/store.h"

namespace motcua::app {

// Delivers messages to account holders (password reset links, TOTP reset notices). Issue #11
// brings SMTP and SMS; until then SpoolNotifier writes each message to a spool directory that an
// operator (or the delivery process) reads.
class Notifier {
 public:
  virtual ~Notifier();
  // `template_key` names a message in the catalogue ("notify.password_reset"); params fill it.
  virtual Result<void> Send(const domain::Account& to, std::string_view template_key,
                            const boost::json::object& params) = 0;
};

// One JSON file per message in `dir` (created 0700; files 0600), named by time and a counter.
class SpoolNotifier final : public Notifier {
 public:
  explicit SpoolNotifier(std::filesystem::path dir) : dir_(std::move(dir)) {}
  Result<void> Send(const domain::Account& to, std::string_view template_key,
                    const boost::json::object& params) override;

 private:
  std::filesystem::path dir_;
  std::mutex mu_;
  uint64_t counter_ = 0;
};

// Failed sign-ins counted in memory, per account and per client address.
class LoginThrottle {
 public:
  struct Options {
    int account_free_failures = 5;            // then the account locks, doubling each time
    int64_t account_base_lock_s = 60;         // first lock
    int64_t account_max_lock_s = 60 * 60;     // cap
    int address_max_failures = 30;            // per window, then the address waits
    int64_t window_s = 15 * 60;
    size_t max_entries = 200'000;             // memory bound (oldest entries dropped)
  };
  LoginThrottle() : LoginThrottle(Options{}) {}
  explicit LoginThrottle(Options o) : o_(o) {}
  // Seconds to wait before another attempt, or 0 when allowed.
  int64_t RetryAfter(std::string_view account_key, std::string_view address, Timestamp now);
  void Failed(std::string_view account_key, std::string_view address, Timestamp now);
  void Succeeded(std::string_view account_key);

 private:
  struct Counter {
    int failures = 0;
    Timestamp first;
    Timestamp last;
  };
  void Bound();
  Options o_;
  std::mutex mu_;
  std::map<std::string, Counter, std::less<>> accounts_;
  std::map<std::string, Counter, std::less<>> addresses_;
};

struct AccountsOptions {
  secure::PasswordCost password_cost = secure::kInteractive;
  int64_t session_idle_s = 30 * 60;
  int64_t session_absolute_s = 12 * 60 * 60;
  int64_t reset_ttl_s = 30 * 60;
  int totp_window = 1;  // accepted clock skew, in 30-second steps each side
  std::string totp_issuer = "motcua";
  LoginThrottle::Options throttle;
  int max_concurrent_hashes = 2;  // Argon2id memory bound (64 MiB each at kInteractive)
};

struct Registration {
  domain::AccountKind kind = domain::AccountKind::kCitizen;
  std::string id_number;  // CCCD for citizens, tax code for organisations
  std::string name;
  std::string phone;
  std::string email;
  std::string password;
};

struct NewOfficer {
  std::string login;
  std::string name;
  std::string unit;
  std::vector<std::string> roles;
  std::string email;
  std::string phone;
  std::string password;  // initial password (the officer changes it); policy applies
};

struct LoginRequest {
  std::string login;
  std::string password;
  std::string totp;  // required for officers who have enrolled
};

struct SessionGrant {
  std::string token;  // the cookie value (bearer secret: never logged)
  std::string csrf;   // echoed by the client in X-CSRF-Token on cookie-authenticated writes
  Timestamp expires_at;
  // "full", or "totp_enrolment": an officer who has not enrolled a second factor yet may only
  // enrol it (then the session becomes full), read the session, or sign out.
  std::string stage;
};

struct LoginOutcome {
  domain::Account account;
  SessionGrant session;
};

// What a presented credential resolves to.
struct Resolved {
  Actor actor;
  domain::Account account;
  std::string csrf;             // sessions only
  std::string stage = "full";   // sessions only
  std::string session_key;      // sessions only: the secrets-table key (for logout)
};

struct TotpSetup {
  std::string secret;  // Base32, shown once for manual entry
  std::string uri;     // otpauth:// for a QR code
};

struct IssuedToken {
  std::string token;  // shown once
  std::string token_id;
  domain::Account service;
};

class Accounts {
 public:
  Accounts(store::Store& store, std::shared_ptr<const Catalog> catalog, const Clock& clock,
           secure::SecretKey key, Notifier& notifier, AccountsOptions options);
  ~Accounts();

  // --- Public by design.
  Result<domain::Account> Register(const Actor& who, const Registration& r);
  // Errors: auth.bad_credentials (401; same for unknown login and wrong password),
  // auth.totp_required (401: resend with the code), auth.totp_invalid (401), auth.disabled (403),
  // auth.throttled (429, parameter retry_after seconds).
  Result<LoginOutcome> Login(const Actor& who, const LoginRequest& req);
  // Always succeeds for a well-formed login, whether or not it exists (no account enumeration);
  // when it exists and has an e-mail or phone, a single-use token valid reset_ttl_s is sent.
  Result<void> RequestPasswordReset(const Actor& who, std::string_view login);
  // Errors: auth.reset_invalid (unknown, used or expired token), account.weak_password.
  // Every session of the account ends.
  Result<void> CompletePasswordReset(const Actor& who, std::string_view token,
                                     std::string_view new_password);

  // --- Credentials presented with a request. Errors: auth.invalid (401), auth.expired (401),
  // auth.disabled (403).
  Result<Resolved> ResolveSession(std::string_view token);
  Result<Resolved> ResolveApiToken(std::string_view token);

  // --- One's own account.
  Result<void> Logout(const Actor& who, std::string_view session_key);
  Result<void> ChangePassword(const Actor& who, std::string_view old_password,
                              std::string_view new_password);
  Result<TotpSetup> BeginTotp(const Actor& who);
  // Confirms the pending secret with a current code; the session (if any) becomes full.
  Result<void> ConfirmTotp(const Actor& who, std::string_view code, std::string_view session_key);

  // --- Administration (checked against account.* rows of the permission table).
  Result<domain::Account> CreateOfficer(const Actor& admin, const NewOfficer& o);
  Result<domain::Account> SetRoles(const Actor& admin, const std::string& id,
                                   const std::string& unit, const std::vector<std::string>& roles);
  Result<domain::Account> SetDisabled(const Actor& admin, const std::string& id, bool disabled,
                                      const std::string& reason);
  Result<domain::Account> ResetTotp(const Actor& admin, const std::string& id);
  Result<domain::Account> Get(const Actor& who, const std::string& id);
  // Accounts (officers and services) within the admin's reach, in id order after `after`.
  Result<std::vector<domain::Account>> List(const Actor& admin, const std::string& after,
                                            int limit);

  // --- API tokens (api_token.manage): a service account with roles at a unit, plus scopes.
  Result<IssuedToken> IssueApiToken(const Actor& admin, const std::string& name,
                                    const std::string& unit, const std::vector<std::string>& roles,
                                    const std::vector<std::string>& scopes,
                                    std::optional<Timestamp> expires_at);
  Result<void> RevokeApiToken(const Actor& admin, const std::string& token_id);

  // The actor an account acts as (officers act for their unit with their roles).
  static Actor ActorFor(const domain::Account& a);

  const Access& access() const { return access_; }
  const Clock& clock() const { return clock_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  store::Store& store_;
  std::shared_ptr<const Catalog> catalog_;
  const Clock& clock_;
  Access access_;
};

}  // namespace motcua::app
