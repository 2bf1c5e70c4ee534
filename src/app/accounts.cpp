#include "app/accounts.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <set>

#include "app/audit.h"
#include "app/projection.h"
#include "base/json.h"
#include "domain/identity.h"
#include "secure/random.h"
#include "secure/totp.h"

namespace motcua::app {

namespace bj = boost::json;
namespace fs = std::filesystem;
using domain::Account;
using domain::AccountKind;

constexpr int64_t kMicros = 1'000'000;

Notifier::~Notifier() = default;

// ---------------------------------------------------------------------------------------------
// SpoolNotifier.

Result<void> SpoolNotifier::Send(const Account& to, std::string_view template_key,
                                 const bj::object& params) {
  std::lock_guard lock(mu_);
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "notify.unavailable", ec.message());
  fs::permissions(dir_, fs::perms::owner_all, ec);
  bj::object msg{{"template", template_key},
                 {"account", to.id},
                 {"name", to.name},
                 {"email", to.email},
                 {"phone", to.phone},
                 {"params", params}};
  char name[64];
  std::snprintf(name, sizeof name, "%d-%06llu.json", static_cast<int>(::getpid()),
                static_cast<unsigned long long>(++counter_));
  const fs::path tmp = dir_ / (std::string(name) + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "notify.unavailable", "open");
  const std::string text = bj::serialize(msg) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(ErrorCode::kUnavailable, "notify.unavailable", "write");
  fs::rename(tmp, dir_ / name, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "notify.unavailable", ec.message());
  return {};
}

// ---------------------------------------------------------------------------------------------
// LoginThrottle.

int64_t LoginThrottle::RetryAfter(std::string_view account_key, std::string_view address,
                                  Timestamp now) {
  std::lock_guard lock(mu_);
  int64_t wait = 0;
  if (auto it = accounts_.find(account_key); it != accounts_.end()) {
    const Counter& c = it->second;
    if (now.us - c.last.us > o_.window_s * kMicros) {
      accounts_.erase(it);
    } else if (c.failures >= o_.account_free_failures) {
      const int over = std::min(c.failures - o_.account_free_failures, 20);
      const int64_t lock_s = std::min(o_.account_base_lock_s << over, o_.account_max_lock_s);
      const int64_t until = c.last.us + lock_s * kMicros;
      if (until > now.us) wait = std::max(wait, (until - now.us + kMicros - 1) / kMicros);
    }
  }
  if (auto it = addresses_.find(address); it != addresses_.end()) {
    const Counter& c = it->second;
    const int64_t window_end = c.first.us + o_.window_s * kMicros;
    if (window_end <= now.us) {
      addresses_.erase(it);
    } else if (c.failures >= o_.address_max_failures) {
      wait = std::max(wait, (window_end - now.us + kMicros - 1) / kMicros);
    }
  }
  return wait;
}

void LoginThrottle::Failed(std::string_view account_key, std::string_view address,
                           Timestamp now) {
  std::lock_guard lock(mu_);
  auto bump = [&](auto& map, std::string_view key) {
    auto it = map.find(key);
    if (it == map.end()) it = map.emplace(std::string(key), Counter{0, now, now}).first;
    ++it->second.failures;
    it->second.last = now;
  };
  if (!account_key.empty()) bump(accounts_, account_key);
  if (!address.empty()) bump(addresses_, address);
  Bound();
}

void LoginThrottle::Succeeded(std::string_view account_key) {
  std::lock_guard lock(mu_);
  if (auto it = accounts_.find(account_key); it != accounts_.end()) accounts_.erase(it);
}

void LoginThrottle::Bound() {
  // Under a flood of distinct keys, forget the stalest entries rather than grow without bound.
  for (auto* map : {&accounts_, &addresses_}) {
    while (map->size() > o_.max_entries) {
      auto oldest = std::min_element(map->begin(), map->end(), [](const auto& a, const auto& b) {
        return a.second.last < b.second.last;
      });
      map->erase(oldest);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Accounts.

namespace {

Error Invalid(std::string key, std::string_view detail = {}) {
  return Error{ErrorCode::kInvalidArgument, std::move(key), std::string(detail), {}};
}

Error BadCredentials() { return Error{ErrorCode::kUnauthenticated, "auth.bad_credentials", {}, {}}; }

// A counting semaphore for Argon2id: each hash takes mem_bytes of memory.
class HashGate {
 public:
  explicit HashGate(int n) : free_(std::max(n, 1)) {}
  template <typename F>
  auto Run(F&& f) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return free_ > 0; });
      --free_;
    }
    struct Release {
      HashGate* g;
      ~Release() {
        {
          std::lock_guard lock(g->mu_);
          ++g->free_;
        }
        g->cv_.notify_one();
      }
    } release{this};
    return f();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;
};

std::string NewAccountId() { return "u" + secure::Sha256Hex(secure::RandomBytes(16)).substr(0, 16); }

Result<Account> ParseAccount(const store::CatalogRow& row) {
  auto doc = json::Parse(row.doc);
  if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", row.key);
  return Account::FromJson(doc->get_object());
}

bj::object ParseDoc(const std::string& text) {
  auto v = json::Parse(text);
  if (!v || !v->is_object()) return {};
  return std::move(v->get_object());
}

int64_t IntOf(const bj::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_int64() ? it->value().get_int64() : 0;
}

std::string StrOf(const bj::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : "";
}

// The part of a bearer value "<account id>.<random>" before the dot.
std::string_view AccountPart(std::string_view token) {
  const size_t dot = token.find('.');
  return dot == std::string_view::npos ? std::string_view() : token.substr(0, dot);
}

std::string SecretKeyFor(std::string_view account_id, std::string_view token) {
  return std::string(account_id) + ":" + secure::Sha256Hex(token);
}

// Login names as typed: citizens and organisations sign in with their ID number / tax code,
// officers with their login name.
std::string NormaliseLoginInput(std::string_view login) {
  std::string s;
  for (char c : login) {
    if (c == ' ') continue;
    s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

}  // namespace

struct Accounts::Impl {
  AccountsOptions options;
  secure::SecretKey key;
  Notifier& notifier;
  LoginThrottle throttle;
  HashGate gate;
  std::string dummy_hash;  // verified against when the login is unknown (equal timing)
  std::mutex mu;
  std::map<std::string, Timestamp, std::less<>> last_seen;  // session key → last use

  Impl(AccountsOptions o, secure::SecretKey k, Notifier& n)
      : options(std::move(o)),
        key(std::move(k)),
        notifier(n),
        throttle(options.throttle),
        gate(options.max_concurrent_hashes) {}
};

Accounts::Accounts(store::Store& store, std::shared_ptr<const Catalog> catalog,
                   const Clock& clock, secure::SecretKey key, Notifier& notifier,
                   AccountsOptions options)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(key), notifier)),
      store_(store),
      catalog_(catalog),
      clock_(clock),
      access_(std::move(catalog), clock) {
  auto dummy = secure::HashPassword("motcua-dummy-password-for-timing", impl_->options.password_cost);
  if (dummy) impl_->dummy_hash = std::move(*dummy);
}

Accounts::~Accounts() = default;

Actor Accounts::ActorFor(const Account& a) {
  Actor actor;
  actor.account = a.id;
  switch (a.kind) {
    case AccountKind::kCitizen:
    case AccountKind::kOrganisation:
      actor.kind = Actor::Kind::kCitizen;
      actor.id = a.id_number;
      break;
    case AccountKind::kOfficer:
      actor.kind = Actor::Kind::kOfficer;
      actor.id = a.login;
      actor.unit = a.unit;
      actor.roles = a.roles;
      break;
    case AccountKind::kService:
      actor.kind = Actor::Kind::kService;
      actor.id = a.login;
      actor.unit = a.unit;
      actor.roles = a.roles;
      break;
  }
  return actor;
}

namespace {

// Appends events to an account stream and projects them, then the audit record; all in tx.
Result<Account> AppendAccountEvents(store::Tx& tx, const Actor& actor, const std::string& id,
                                    std::vector<NewEvent> events, const std::string& action,
                                    const std::string& unit, Timestamp now) {
  int64_t first = 0, last = 0;
  for (NewEvent& n : events) {
    n.stream = "account/" + id;
    n.actor = actor.Ref();
    n.at = now;
    n.unit = unit;
    auto e = tx.Append(std::move(n));
    if (!e) return std::unexpected(e.error());
    if (first == 0) first = e->seq;
    last = e->seq;
    if (auto r = Project(tx, *e, false); !r) return std::unexpected(r.error());
  }
  if (auto r = AuditInTx(tx, actor, {action, "account/" + id, unit}, now, first, last); !r) {
    return std::unexpected(r.error());
  }
  auto row = tx.GetCatalog("account", id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail(ErrorCode::kDataLoss, "projection.missing_account", id);
  return ParseAccount(**row);
}

NewEvent Ev(std::string type, bj::object payload) {
  NewEvent e;
  e.type = std::move(type);
  e.payload = std::move(payload);
  return e;
}

bj::array StringArray(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

// --- Lookup helpers (free of access checks).

static Result<std::optional<Account>> FindById(store::Store& store, std::string_view id) {
  auto row = store.GetCatalog("account", id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Account>();
  auto a = ParseAccount(**row);
  if (!a) return std::unexpected(a.error());
  return std::optional<Account>(std::move(*a));
}

static Result<std::optional<Account>> FindByLogin(store::Store& store, std::string_view login) {
  auto row = store.GetCatalog("account_login", login);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Account>();
  const bj::object doc = ParseDoc((*row)->doc);
  return FindById(store, StrOf(doc, "id"));
}

Result<Account> Accounts::Register(const Actor& who, const Registration& r) {
  if (auto ok = access_.Check(who, "account.register", {}); !ok) return std::unexpected(ok.error());
  if (r.kind != AccountKind::kCitizen && r.kind != AccountKind::kOrganisation) {
    return Fail(Invalid("account.bad_kind", domain::AccountKindName(r.kind)));
  }
  auto id_number = domain::ValidateIdNumber(
      r.kind == AccountKind::kCitizen ? domain::IdKind::kCitizenId : domain::IdKind::kTaxCode,
      r.id_number);
  if (!id_number) return std::unexpected(id_number.error());
  std::string name = r.name;
  if (name.empty() || name.size() > 200) return Fail(json::BadField("name", "1..200 bytes"));
  std::string phone, email;
  if (!r.phone.empty()) {
    auto p = domain::NormalisePhone(r.phone);
    if (!p) return std::unexpected(p.error());
    phone = *p;
  }
  if (!r.email.empty()) {
    auto e = domain::NormaliseEmail(r.email);
    if (!e) return std::unexpected(e.error());
    email = *e;
  }
  if (phone.empty() && email.empty()) return Fail(Invalid("account.contact_required"));
  const std::string login = NormaliseLoginInput(*id_number);
  if (auto p = domain::CheckPasswordPolicy(r.password, login, *id_number); !p) {
    return std::unexpected(p.error());
  }
  auto phc = impl_->gate.Run(
      [&] { return secure::HashPassword(r.password, impl_->options.password_cost); });
  if (!phc) return std::unexpected(phc.error());
  const Timestamp now = clock_.Now();
  const std::string id = NewAccountId();
  Account out;
  auto w = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto taken = tx.GetCatalog("account_login", login);
    if (!taken) return std::unexpected(taken.error());
    if (*taken) return Fail(ErrorCode::kAlreadyExists, "account.exists");
    std::vector<NewEvent> events;
    events.push_back(Ev("AccountRegistered",
                        bj::object{{"kind", domain::AccountKindName(r.kind)},
                                   {"login", login},
                                   {"name", name},
                                   {"id_number", *id_number},
                                   {"phone", phone},
                                   {"email", email},
                                   {"identity_level", domain::kIdentityLevelSelf},
                                   {"address", who.address}}));
    events.push_back(Ev("PasswordSet", bj::object{{"reason", "initial"}}));
    auto a = AppendAccountEvents(tx, who, id, std::move(events), "account.register", "", now);
    if (!a) return std::unexpected(a.error());
    if (auto s = tx.PutSecret({"password", id, bj::serialize(bj::object{{"phc", *phc}}), {}}); !s)
      return s;
    out = std::move(*a);
    return {};
  });
  if (!w) return std::unexpected(w.error());
  return out;
}

Result<LoginOutcome> Accounts::Login(const Actor& who, const LoginRequest& req) {
  const Timestamp now = clock_.Now();
  const std::string login = NormaliseLoginInput(req.login);
  if (login.empty() || login.size() > 64 || req.password.size() > 1024) {
    return Fail(BadCredentials());
  }
  const AuditRecord audit{"session.create", "login/" + domain::MaskIdentifier(login), ""};
  if (const int64_t wait = impl_->throttle.RetryAfter(login, who.address, now); wait > 0) {
    Error e{ErrorCode::kResourceExhausted, "auth.throttled", {}, {}};
    e.With("retry_after", std::to_string(wait));
    return Fail(e);
  }
  auto found = FindByLogin(store_, login);
  if (!found) return std::unexpected(found.error());
  auto failed = [&](const std::string& id, std::string_view reason, Error e) -> Error {
    impl_->throttle.Failed(login, who.address, now);
    if (id.empty()) {
      (void)AuditRejected(store_, who, audit, now, e);
    } else {
      (void)store_.Write([&](store::Tx& tx) -> Result<void> {
        std::vector<NewEvent> ev;
        ev.push_back(Ev("LoginFailed", bj::object{{"reason", reason}, {"address", who.address}}));
        auto a = AppendAccountEvents(tx, who, id, std::move(ev), "session.create", "", now);
        if (!a) return std::unexpected(a.error());
        return {};
      });
    }
    return e;
  };
  if (!*found) {
    // Same work as a real check, so that timing does not tell which logins exist.
    (void)secure::VerifyPassword(impl_->dummy_hash, req.password);
    return Fail(failed("", "unknown_login", BadCredentials()));
  }
  const Account& a = **found;
  auto pw = store_.GetSecret("password", a.id);
  if (!pw) return std::unexpected(pw.error());
  const std::string phc = *pw ? StrOf(ParseDoc((*pw)->doc), "phc") : impl_->dummy_hash;
  const bool good = impl_->gate.Run([&] { return secure::VerifyPassword(phc, req.password); });
  if (!good || !*pw) return Fail(failed(a.id, "bad_password", BadCredentials()));
  if (a.disabled) {
    return Fail(failed(a.id, "disabled", Error{ErrorCode::kPermissionDenied, "auth.disabled", {}, {}}));
  }
  // Second factor.
  std::optional<int64_t> totp_counter;
  std::string stage = "full";
  bj::object totp_doc;
  if (a.totp_enrolled) {
    auto t = store_.GetSecret("totp", a.id);
    if (!t) return std::unexpected(t.error());
    if (!*t) return Fail(ErrorCode::kDataLoss, "auth.totp_missing", a.id);
    totp_doc = ParseDoc((*t)->doc);
    if (req.totp.empty()) {
      // Not a failure: the client asks for the code and sends everything again.
      return Fail(ErrorCode::kUnauthenticated, "auth.totp_required");
    }
    auto seed = impl_->key.Open(StrOf(totp_doc, "sealed"), "totp/" + a.id);
    if (!seed) return std::unexpected(seed.error());
    totp_counter = secure::VerifyTotp(*seed, req.totp, now.us / kMicros,
                                      impl_->options.totp_window, IntOf(totp_doc, "last_counter"));
    if (!totp_counter) {
      return Fail(failed(a.id, "bad_totp",
                         Error{ErrorCode::kUnauthenticated, "auth.totp_invalid", {}, {}}));
    }
  } else if (a.RequiresTotp()) {
    stage = "totp_enrolment";
  }
  impl_->throttle.Succeeded(login);
  // Upgrade the stored hash when the configured cost changed.
  std::optional<std::string> rehash;
  if (secure::NeedsRehash(phc, impl_->options.password_cost)) {
    auto h = impl_->gate.Run(
        [&] { return secure::HashPassword(req.password, impl_->options.password_cost); });
    if (h) rehash = std::move(*h);
  }
  SessionGrant grant;
  grant.token = a.id + "." + secure::RandomToken(32);
  grant.csrf = secure::RandomToken(24);
  grant.stage = stage;
  grant.expires_at = Timestamp{now.us + impl_->options.session_absolute_s * kMicros};
  const std::string key = SecretKeyFor(a.id, grant.token);
  const std::string session_id = key.substr(key.size() - 12);
  Account updated;
  auto w = store_.Write([&](store::Tx& tx) -> Result<void> {
    std::vector<NewEvent> ev;
    ev.push_back(Ev("LoginSucceeded", bj::object{{"session", session_id},
                                                 {"address", who.address},
                                                 {"second_factor", totp_counter.has_value()},
                                                 {"stage", stage}}));
    Actor self = ActorFor(a);
    self.address = who.address;
    self.request_id = who.request_id;
    self.via = "session";
    auto u = AppendAccountEvents(tx, self, a.id, std::move(ev), "session.create", a.unit, now);
    if (!u) return std::unexpected(u.error());
    updated = std::move(*u);
    bj::object doc{{"account", a.id},
                   {"created", now.us},
                   {"expires", grant.expires_at.us},
                   {"csrf", grant.csrf},
                   {"stage", stage},
                   {"session", session_id}};
    if (auto s = tx.PutSecret({"session", key, bj::serialize(doc), grant.expires_at}); !s) return s;
    if (totp_counter) {
      totp_doc["last_counter"] = *totp_counter;
      if (auto s = tx.PutSecret({"totp", a.id, bj::serialize(totp_doc), {}}); !s) return s;
    }
    if (rehash) {
      if (auto s = tx.PutSecret({"password", a.id, bj::serialize(bj::object{{"phc", *rehash}}), {}});
          !s) {
        return s;
      }
    }
    return {};
  });
  if (!w) return std::unexpected(w.error());
  {
    std::lock_guard lock(impl_->mu);
    impl_->last_seen[key] = now;
  }
  return LoginOutcome{std::move(updated), std::move(grant)};
}

Result<Resolved> Accounts::ResolveSession(std::string_view token) {
  const std::string_view id = AccountPart(token);
  if (id.empty() || token.size() > 200) return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
  const std::string key = SecretKeyFor(id, token);
  auto row = store_.GetSecret("session", key);
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
  const bj::object doc = ParseDoc((*row)->doc);
  const Timestamp now = clock_.Now();
  bool idle_expired = false;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->last_seen.find(key);
    if (it == impl_->last_seen.end()) {
      impl_->last_seen[key] = now;  // first use since a restart
    } else if (now.us - it->second.us > impl_->options.session_idle_s * kMicros) {
      idle_expired = true;
      impl_->last_seen.erase(it);
    } else {
      it->second = now;
    }
  }
  if (idle_expired || IntOf(doc, "expires") <= now.us) {
    (void)store_.Write([&](store::Tx& tx) -> Result<void> {
      auto d = tx.DeleteSecret("session", key);
      if (!d) return std::unexpected(d.error());
      return {};
    });
    return Fail(ErrorCode::kUnauthenticated, "auth.expired");
  }
  auto a = FindById(store_, StrOf(doc, "account"));
  if (!a) return std::unexpected(a.error());
  if (!*a) return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
  if ((*a)->disabled) return Fail(ErrorCode::kPermissionDenied, "auth.disabled");
  Resolved r;
  r.account = std::move(**a);
  r.actor = ActorFor(r.account);
  r.actor.via = "session";
  r.csrf = StrOf(doc, "csrf");
  r.stage = StrOf(doc, "stage");
  r.session_key = key;
  return r;
}

Result<Resolved> Accounts::ResolveApiToken(std::string_view token) {
  if (!token.starts_with("mct_") || token.size() > 200) {
    return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
  }
  auto row = store_.GetSecret("api_token", secure::Sha256Hex(token));
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
  const bj::object doc = ParseDoc((*row)->doc);
  const int64_t expires = IntOf(doc, "expires");
  if (expires != 0 && expires <= clock_.Now().us) {
    return Fail(ErrorCode::kUnauthenticated, "auth.expired");
  }
  auto a = FindById(store_, StrOf(doc, "account"));
  if (!a) return std::unexpected(a.error());
  if (!*a) return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
  if ((*a)->disabled) return Fail(ErrorCode::kPermissionDenied, "auth.disabled");
  Resolved r;
  r.account = std::move(**a);
  r.actor = ActorFor(r.account);
  r.actor.via = "token";
  r.actor.token = true;
  if (auto it = doc.find("scopes"); it != doc.end() && it->value().is_array()) {
    for (const auto& s : it->value().get_array()) {
      if (s.is_string()) r.actor.scopes.emplace_back(s.get_string());
    }
  }
  return r;
}

Result<void> Accounts::Logout(const Actor& who, std::string_view session_key) {
  if (auto ok = access_.Check(who, "session.delete", {}); !ok) return std::unexpected(ok.error());
  const Timestamp now = clock_.Now();
  {
    std::lock_guard lock(impl_->mu);
    impl_->last_seen.erase(std::string(session_key));
  }
  return store_.Write([&](store::Tx& tx) -> Result<void> {
    auto row = tx.GetSecret("session", session_key);
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
    const bj::object doc = ParseDoc((*row)->doc);
    auto d = tx.DeleteSecret("session", session_key);
    if (!d) return std::unexpected(d.error());
    std::vector<NewEvent> ev;
    ev.push_back(Ev("LoggedOut", bj::object{{"session", StrOf(doc, "session")}}));
    auto a = AppendAccountEvents(tx, who, StrOf(doc, "account"), std::move(ev), "session.delete",
                                 who.unit, now);
    if (!a) return std::unexpected(a.error());
    return {};
  });
}

namespace {

// Deletes every session of an account inside tx (password changed or reset, account disabled).
Result<void> EndSessions(store::Store& store, store::Tx& tx, const std::string& id) {
  for (;;) {
    auto rows = store.ListSecrets("session", id + ":", 1000);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) {
      auto d = tx.DeleteSecret("session", r.key);
      if (!d) return std::unexpected(d.error());
    }
    if (rows->size() < 1000) return {};
    // ListSecrets reads committed rows; more than 1000 live sessions is not a real case, but
    // stop rather than loop on rows this transaction has already deleted.
    return {};
  }
}

}  // namespace

Result<void> Accounts::ChangePassword(const Actor& who, std::string_view old_password,
                                      std::string_view new_password) {
  if (auto ok = access_.Check(who, "account.change_password", {}); !ok) {
    return std::unexpected(ok.error());
  }
  auto a = FindById(store_, who.account);
  if (!a) return std::unexpected(a.error());
  if (!*a) return Fail(ErrorCode::kNotFound, "account.not_found");
  auto pw = store_.GetSecret("password", who.account);
  if (!pw) return std::unexpected(pw.error());
  const std::string phc = *pw ? StrOf(ParseDoc((*pw)->doc), "phc") : impl_->dummy_hash;
  const bool good = impl_->gate.Run([&] { return secure::VerifyPassword(phc, old_password); });
  if (!good || !*pw) return Fail(BadCredentials());
  if (auto p = domain::CheckPasswordPolicy(new_password, (*a)->login, (*a)->id_number); !p) {
    return std::unexpected(p.error());
  }
  auto h = impl_->gate.Run(
      [&] { return secure::HashPassword(new_password, impl_->options.password_cost); });
  if (!h) return std::unexpected(h.error());
  const Timestamp now = clock_.Now();
  return store_.Write([&](store::Tx& tx) -> Result<void> {
    if (auto s = tx.PutSecret({"password", who.account, bj::serialize(bj::object{{"phc", *h}}), {}});
        !s) {
      return s;
    }
    std::vector<NewEvent> ev;
    ev.push_back(Ev("PasswordSet", bj::object{{"reason", "change"}}));
    auto u = AppendAccountEvents(tx, who, who.account, std::move(ev), "account.change_password",
                                 who.unit, now);
    if (!u) return std::unexpected(u.error());
    return {};
  });
}

Result<void> Accounts::RequestPasswordReset(const Actor& who, std::string_view login_in) {
  const std::string login = NormaliseLoginInput(login_in);
  if (login.empty() || login.size() > 64) return Fail(json::BadField("login", "1..64 bytes"));
  const Timestamp now = clock_.Now();
  // Throttled like sign-in: resets send messages, which must not become a flood.
  if (const int64_t wait = impl_->throttle.RetryAfter(login, who.address, now); wait > 0) {
    Error e{ErrorCode::kResourceExhausted, "auth.throttled", {}, {}};
    e.With("retry_after", std::to_string(wait));
    return Fail(e);
  }
  auto found = FindByLogin(store_, login);
  if (!found) return std::unexpected(found.error());
  if (!*found || (*found)->disabled || ((*found)->email.empty() && (*found)->phone.empty())) {
    return {};  // nothing to say: the answer is the same either way
  }
  const Account& a = **found;
  const std::string token = a.id + "." + secure::RandomToken(32);
  const Timestamp expires{now.us + impl_->options.reset_ttl_s * kMicros};
  auto w = store_.Write([&](store::Tx& tx) -> Result<void> {
    bj::object doc{{"account", a.id}, {"expires", expires.us}};
    if (auto s = tx.PutSecret({"reset", SecretKeyFor(a.id, token), bj::serialize(doc), expires});
        !s) {
      return s;
    }
    std::vector<NewEvent> ev;
    ev.push_back(Ev("PasswordResetRequested",
                    bj::object{{"address", who.address}, {"expires", expires.us}}));
    auto u = AppendAccountEvents(tx, who, a.id, std::move(ev), "password_reset.request", "", now);
    if (!u) return std::unexpected(u.error());
    return {};
  });
  if (!w) return std::unexpected(w.error());
  // Counted as an attempt so that one address cannot mail a thousand accounts.
  impl_->throttle.Failed("", who.address, now);
  return impl_->notifier.Send(
      a, "notify.password_reset",
      bj::object{{"token", token}, {"expires", FormatIsoUtc(expires)}});
}

Result<void> Accounts::CompletePasswordReset(const Actor& who, std::string_view token,
                                             std::string_view new_password) {
  const std::string_view id = AccountPart(token);
  const Timestamp now = clock_.Now();
  if (id.empty() || token.size() > 200) return Fail(ErrorCode::kInvalidArgument, "auth.reset_invalid");
  const std::string key = SecretKeyFor(id, token);
  auto row = store_.GetSecret("reset", key);
  if (!row) return std::unexpected(row.error());
  if (!*row || IntOf(ParseDoc((*row)->doc), "expires") <= now.us) {
    impl_->throttle.Failed("", who.address, now);
    return Fail(ErrorCode::kInvalidArgument, "auth.reset_invalid");
  }
  auto a = FindById(store_, id);
  if (!a) return std::unexpected(a.error());
  if (!*a) return Fail(ErrorCode::kInvalidArgument, "auth.reset_invalid");
  if (auto p = domain::CheckPasswordPolicy(new_password, (*a)->login, (*a)->id_number); !p) {
    return std::unexpected(p.error());
  }
  auto h = impl_->gate.Run(
      [&] { return secure::HashPassword(new_password, impl_->options.password_cost); });
  if (!h) return std::unexpected(h.error());
  const std::string account_id(id);
  return store_.Write([&](store::Tx& tx) -> Result<void> {
    // Single use: the row is deleted in the same transaction that sets the password; a second
    // request finds nothing (and a concurrent one fails on the recheck here).
    auto gone = tx.DeleteSecret("reset", key);
    if (!gone) return std::unexpected(gone.error());
    if (!*gone) return Fail(ErrorCode::kInvalidArgument, "auth.reset_invalid");
    if (auto s = tx.PutSecret({"password", account_id, bj::serialize(bj::object{{"phc", *h}}), {}});
        !s) {
      return s;
    }
    if (auto s = EndSessions(store_, tx, account_id); !s) return s;
    std::vector<NewEvent> ev;
    ev.push_back(Ev("PasswordSet", bj::object{{"reason", "reset"}}));
    auto u = AppendAccountEvents(tx, who, account_id, std::move(ev), "password_reset.complete",
                                 "", now);
    if (!u) return std::unexpected(u.error());
    return {};
  });
}

Result<TotpSetup> Accounts::BeginTotp(const Actor& who) {
  if (auto ok = access_.Check(who, "account.enrol_totp", {}); !ok) return std::unexpected(ok.error());
  if (who.account.empty()) return Fail(ErrorCode::kPermissionDenied, "auth.forbidden", "no account");
  auto a = FindById(store_, who.account);
  if (!a) return std::unexpected(a.error());
  if (!*a) return Fail(ErrorCode::kNotFound, "account.not_found");
  if ((*a)->totp_enrolled) return Fail(ErrorCode::kFailedPrecondition, "account.totp_enrolled");
  const std::string seed = secure::RandomBytes(secure::kTotpSecretBytes);
  const std::string sealed = impl_->key.Seal(seed, "totp-pending/" + who.account);
  auto w = store_.Write([&](store::Tx& tx) -> Result<void> {
    return tx.PutSecret({"totp_pending", who.account,
                         bj::serialize(bj::object{{"sealed", sealed}}),
                         Timestamp{clock_.Now().us + 15 * 60 * kMicros}});
  });
  if (!w) return std::unexpected(w.error());
  TotpSetup s;
  s.secret = secure::Base32Encode(seed);
  s.uri = secure::OtpauthUri(impl_->options.totp_issuer, (*a)->login, seed);
  return s;
}

Result<void> Accounts::ConfirmTotp(const Actor& who, std::string_view code,
                                   std::string_view session_key) {
  if (auto ok = access_.Check(who, "account.enrol_totp", {}); !ok) return std::unexpected(ok.error());
  const Timestamp now = clock_.Now();
  auto pending = store_.GetSecret("totp_pending", who.account);
  if (!pending) return std::unexpected(pending.error());
  if (!*pending || ((*pending)->expires_at && *(*pending)->expires_at <= now)) {
    return Fail(ErrorCode::kFailedPrecondition, "account.totp_not_started");
  }
  auto seed =
      impl_->key.Open(StrOf(ParseDoc((*pending)->doc), "sealed"), "totp-pending/" + who.account);
  if (!seed) return std::unexpected(seed.error());
  auto counter = secure::VerifyTotp(*seed, code, now.us / kMicros, impl_->options.totp_window, -1);
  if (!counter) return Fail(ErrorCode::kUnauthenticated, "auth.totp_invalid");
  return store_.Write([&](store::Tx& tx) -> Result<void> {
    auto d = tx.DeleteSecret("totp_pending", who.account);
    if (!d) return std::unexpected(d.error());
    bj::object doc{{"sealed", impl_->key.Seal(*seed, "totp/" + who.account)},
                   {"last_counter", *counter}};
    if (auto s = tx.PutSecret({"totp", who.account, bj::serialize(doc), {}}); !s) return s;
    if (!session_key.empty()) {
      auto row = tx.GetSecret("session", session_key);
      if (!row) return std::unexpected(row.error());
      if (*row) {
        bj::object sd = ParseDoc((*row)->doc);
        sd["stage"] = "full";
        store::SecretRow updated = **row;
        updated.doc = bj::serialize(sd);
        if (auto s = tx.PutSecret(updated); !s) return s;
      }
    }
    std::vector<NewEvent> ev;
    ev.push_back(Ev("TotpEnrolled", bj::object{}));
    auto u = AppendAccountEvents(tx, who, who.account, std::move(ev), "account.enrol_totp",
                                 who.unit, now);
    if (!u) return std::unexpected(u.error());
    return {};
  });
}

namespace {

// Roles only a province administrator hands out: no one grants more than they hold.
bool ProvinceOnlyRole(std::string_view role) {
  return role == domain::role::kProvinceAdmin || role == domain::role::kAuditor ||
         role == domain::role::kUnitAdmin;
}

}  // namespace

static Result<void> CheckRoles(const Access& access, const Actor& admin,
                               const std::vector<std::string>& roles, const std::string& unit,
                               const Catalog& catalog, CivilDate today) {
  if (roles.empty()) return Fail(json::BadField("roles", "at least one"));
  std::set<std::string> seen;
  for (const auto& r : roles) {
    if (!domain::IsOfficerRole(r)) return Fail(Invalid("account.bad_role", r.substr(0, 40)));
    if (!seen.insert(r).second) return Fail(Invalid("account.bad_role", "repeated"));
    if (ProvinceOnlyRole(r) && admin.kind != Actor::Kind::kSystem &&
        !admin.HasRole(domain::role::kProvinceAdmin)) {
      // A unit administrator may create unit administrators only below their own unit.
      if (!(r == domain::role::kUnitAdmin && unit != admin.unit)) {
        Error e{ErrorCode::kPermissionDenied, "auth.forbidden", "role " + r, {}};
        e.With("action", "account.create");
        return Fail(e);
      }
    }
  }
  const domain::Unit* u = catalog.units().Find(unit);
  if (!u || !u->ValidOn(today)) return Fail(Invalid("account.bad_unit", unit.substr(0, 40)));
  (void)access;
  return {};
}

Result<Account> Accounts::CreateOfficer(const Actor& admin, const NewOfficer& o) {
  const Timestamp now = clock_.Now();
  auto reject = [&](Error e) {
    if (Audited(admin)) {
      (void)AuditRejected(store_, admin, {"account.create", "login/" + o.login.substr(0, 64), o.unit.substr(0, 64)},
                          now, e);
    }
    return e;
  };
  if (auto ok = access_.Check(admin, "account.create", {{o.unit}, false}); !ok) {
    return std::unexpected(reject(ok.error()));
  }
  auto login = domain::NormaliseOfficerLogin(o.login);
  if (!login) return std::unexpected(login.error());
  if (o.name.empty() || o.name.size() > 200) return Fail(json::BadField("name", "1..200 bytes"));
  if (auto r = CheckRoles(access_, admin, o.roles, o.unit, *catalog_, ToVietnamLocal(now).date); !r) {
    return std::unexpected(reject(r.error()));
  }
  std::string phone, email;
  if (!o.phone.empty()) {
    auto p = domain::NormalisePhone(o.phone);
    if (!p) return std::unexpected(p.error());
    phone = *p;
  }
  if (!o.email.empty()) {
    auto e = domain::NormaliseEmail(o.email);
    if (!e) return std::unexpected(e.error());
    email = *e;
  }
  if (auto p = domain::CheckPasswordPolicy(o.password, *login, ""); !p) {
    return std::unexpected(p.error());
  }
  auto phc = impl_->gate.Run(
      [&] { return secure::HashPassword(o.password, impl_->options.password_cost); });
  if (!phc) return std::unexpected(phc.error());
  const std::string id = NewAccountId();
  Account out;
  auto w = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto taken = tx.GetCatalog("account_login", *login);
    if (!taken) return std::unexpected(taken.error());
    if (*taken) return Fail(ErrorCode::kAlreadyExists, "account.exists");
    std::vector<NewEvent> ev;
    ev.push_back(Ev("OfficerAccountCreated", bj::object{{"kind", "officer"},
                                                        {"login", *login},
                                                        {"name", o.name},
                                                        {"unit", o.unit},
                                                        {"roles", StringArray(o.roles)},
                                                        {"phone", phone},
                                                        {"email", email}}));
    ev.push_back(Ev("PasswordSet", bj::object{{"reason", "initial"}}));
    auto a = AppendAccountEvents(tx, admin, id, std::move(ev), "account.create", o.unit, now);
    if (!a) return std::unexpected(a.error());
    if (auto s = tx.PutSecret({"password", id, bj::serialize(bj::object{{"phc", *phc}}), {}}); !s)
      return s;
    out = std::move(*a);
    return {};
  });
  if (!w) return std::unexpected(w.error());
  return out;
}

namespace {

Error NotFoundAccount(const std::string& id) {
  return Error{ErrorCode::kNotFound, "account.not_found", id.substr(0, 40), {}};
}

}  // namespace

Result<Account> Accounts::Get(const Actor& who, const std::string& id) {
  auto a = FindById(store_, id);
  if (!a) return std::unexpected(a.error());
  if (!*a) return Fail(NotFoundAccount(id));
  if (who.account == id) return std::move(**a);  // one's own account
  domain::Target t{{(*a)->unit}, false};
  if (auto ok = access_.Check(who, "account.read", t); !ok) {
    // Citizens' accounts have no unit: only the citizen reads them. Others are hidden.
    if (ok.error().code == ErrorCode::kPermissionDenied && (*a)->unit.empty()) {
      return Fail(NotFoundAccount(id));
    }
    return std::unexpected(ok.error());
  }
  return std::move(**a);
}

Result<std::vector<Account>> Accounts::List(const Actor& admin, const std::string& after,
                                            int limit) {
  const auto grants = domain::GrantsFor(PrincipalOf(admin), "account.read");
  // Listing starts from the reader's own unit: a role held at no unit reaches nothing.
  if (auto c = access_.Check(admin, "account.read", {{admin.unit}, false}); !c) {
    return std::unexpected(c.error());
  }
  if (limit < 1 || limit > 500) return Fail(json::BadField("limit", "1..500"));
  std::vector<Account> out;
  std::string cursor = after;
  const CivilDate today = ToVietnamLocal(clock_.Now()).date;
  // Keyset scan in pages, keeping the accounts within reach (citizens have no unit: not listed).
  while (static_cast<int>(out.size()) < limit) {
    auto rows = store_.ListCatalogPage("account", "", cursor, 500);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& row : *rows) {
      cursor = row.key;
      auto a = ParseAccount(row);
      if (!a) return std::unexpected(a.error());
      if (a->unit.empty()) continue;
      const bool reach =
          admin.kind == Actor::Kind::kSystem ||
          std::any_of(grants.begin(), grants.end(), [&](const domain::ScopedGrant& g) {
            return domain::Covers(g.grant, g.scope, a->unit, catalog_->units(), today);
          });
      if (reach) out.push_back(std::move(*a));
      if (static_cast<int>(out.size()) >= limit) break;
    }
    if (rows->size() < 500) break;
  }
  return out;
}

namespace {

}  // namespace

Result<Account> Accounts::SetRoles(const Actor& admin, const std::string& id,
                                   const std::string& unit, const std::vector<std::string>& roles) {
  const Timestamp now = clock_.Now();
  auto a = FindById(store_, id);
  if (!a) return std::unexpected(a.error());
  if (!*a || (*a)->unit.empty()) return Fail(NotFoundAccount(id));
  // The admin must reach both the account's present unit and the new one.
  for (const std::string& u : {(*a)->unit, unit}) {
    if (auto ok = access_.Check(admin, "account.update", {{u}, false}); !ok) {
      (void)AuditRejected(store_, admin, {"account.update", "account/" + id, u}, now, ok.error());
      return std::unexpected(ok.error());
    }
  }
  if (auto r = CheckRoles(access_, admin, roles, unit, *catalog_, ToVietnamLocal(now).date); !r) {
    (void)AuditRejected(store_, admin, {"account.update", "account/" + id, unit}, now, r.error());
    return std::unexpected(r.error());
  }
  Account out;
  auto w = store_.Write([&](store::Tx& tx) -> Result<void> {
    std::vector<NewEvent> ev;
    ev.push_back(
        Ev("AccountRolesChanged", bj::object{{"unit", unit}, {"roles", StringArray(roles)}}));
    auto u = AppendAccountEvents(tx, admin, id, std::move(ev), "account.update", unit, now);
    if (!u) return std::unexpected(u.error());
    out = std::move(*u);
    return {};
  });
  if (!w) return std::unexpected(w.error());
  return out;
}

Result<Account> Accounts::SetDisabled(const Actor& admin, const std::string& id, bool disabled,
                                      const std::string& reason) {
  const Timestamp now = clock_.Now();
  auto a = FindById(store_, id);
  if (!a) return std::unexpected(a.error());
  if (!*a) return Fail(NotFoundAccount(id));
  domain::Target t{{(*a)->unit}, false};
  if (auto ok = access_.Check(admin, "account.update", t); !ok) {
    (void)AuditRejected(store_, admin, {"account.update", "account/" + id, (*a)->unit}, now,
                        ok.error());
    if ((*a)->unit.empty()) return Fail(NotFoundAccount(id));
    return std::unexpected(ok.error());
  }
  if (reason.empty() || reason.size() > 1000) return Fail(json::BadField("reason", "1..1000 bytes"));
  Account out;
  auto w = store_.Write([&](store::Tx& tx) -> Result<void> {
    std::vector<NewEvent> ev;
    ev.push_back(Ev(disabled ? "AccountDisabled" : "AccountEnabled", bj::object{{"reason", reason}}));
    auto u = AppendAccountEvents(tx, admin, id, std::move(ev), "account.update", (*a)->unit, now);
    if (!u) return std::unexpected(u.error());
    if (disabled) {
      if (auto s = EndSessions(store_, tx, id); !s) return s;
    }
    out = std::move(*u);
    return {};
  });
  if (!w) return std::unexpected(w.error());
  return out;
}

Result<Account> Accounts::ResetTotp(const Actor& admin, const std::string& id) {
  const Timestamp now = clock_.Now();
  auto a = FindById(store_, id);
  if (!a) return std::unexpected(a.error());
  if (!*a) return Fail(NotFoundAccount(id));
  domain::Target t{{(*a)->unit}, false};
  if (auto ok = access_.Check(admin, "account.update", t); !ok) {
    (void)AuditRejected(store_, admin, {"account.update", "account/" + id, (*a)->unit}, now,
                        ok.error());
    if ((*a)->unit.empty()) return Fail(NotFoundAccount(id));
    return std::unexpected(ok.error());
  }
  Account out;
  auto w = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto d = tx.DeleteSecret("totp", id);
    if (!d) return std::unexpected(d.error());
    if (auto s = EndSessions(store_, tx, id); !s) return s;
    std::vector<NewEvent> ev;
    ev.push_back(Ev("TotpReset", bj::object{}));
    auto u = AppendAccountEvents(tx, admin, id, std::move(ev), "account.update", (*a)->unit, now);
    if (!u) return std::unexpected(u.error());
    out = std::move(*u);
    return {};
  });
  if (!w) return std::unexpected(w.error());
  (void)impl_->notifier.Send(out, "notify.totp_reset", bj::object{});
  return out;
}

Result<IssuedToken> Accounts::IssueApiToken(const Actor& admin, const std::string& name,
                                            const std::string& unit,
                                            const std::vector<std::string>& roles,
                                            const std::vector<std::string>& scopes,
                                            std::optional<Timestamp> expires_at) {
  const Timestamp now = clock_.Now();
  if (auto ok = access_.Check(admin, "api_token.manage", {{unit}, false}); !ok) {
    (void)AuditRejected(store_, admin, {"api_token.manage", "token/" + name.substr(0, 64), unit.substr(0, 64)},
                        now, ok.error());
    return std::unexpected(ok.error());
  }
  auto login = domain::NormaliseOfficerLogin("svc-" + name);
  if (!login) return std::unexpected(login.error());
  if (auto r = CheckRoles(access_, admin, roles, unit, *catalog_, ToVietnamLocal(now).date); !r) {
    return std::unexpected(r.error());
  }
  if (scopes.empty()) return Fail(json::BadField("scopes", "at least one"));
  for (const auto& s : scopes) {
    const auto all = domain::AllTokenScopes();
    if (std::find(all.begin(), all.end(), s) == all.end()) {
      return Fail(Invalid("token.bad_scope", s.substr(0, 40)));
    }
  }
  if (expires_at && *expires_at <= now) return Fail(json::BadField("expires_at", "in the past"));
  IssuedToken out;
  out.token = "mct_" + secure::RandomToken(32);
  const std::string digest = secure::Sha256Hex(out.token);
  out.token_id = digest.substr(0, 16);
  const std::string id = NewAccountId();
  auto w = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto taken = tx.GetCatalog("account_login", *login);
    if (!taken) return std::unexpected(taken.error());
    if (*taken) return Fail(ErrorCode::kAlreadyExists, "account.exists");
    std::vector<NewEvent> ev;
    ev.push_back(Ev("ServiceAccountCreated", bj::object{{"kind", "service"},
                                                        {"login", *login},
                                                        {"name", name},
                                                        {"unit", unit},
                                                        {"roles", StringArray(roles)}}));
    ev.push_back(Ev("ApiTokenIssued",
                    bj::object{{"token_id", out.token_id},
                               {"scopes", StringArray(scopes)},
                               {"expires", expires_at ? bj::value(expires_at->us) : nullptr}}));
    auto a = AppendAccountEvents(tx, admin, id, std::move(ev), "api_token.manage", unit, now);
    if (!a) return std::unexpected(a.error());
    bj::object doc{{"account", id},
                   {"token_id", out.token_id},
                   {"scopes", StringArray(scopes)},
                   {"expires", expires_at ? expires_at->us : 0}};
    if (auto s = tx.PutSecret({"api_token", digest, bj::serialize(doc), expires_at}); !s) return s;
    out.service = std::move(*a);
    return {};
  });
  if (!w) return std::unexpected(w.error());
  return out;
}

Result<void> Accounts::RevokeApiToken(const Actor& admin, const std::string& token_id) {
  const Timestamp now = clock_.Now();
  if (token_id.size() != 16) return Fail(json::BadField("token_id", "16 hex digits"));
  auto rows = store_.ListSecrets("api_token", token_id, 2);
  if (!rows) return std::unexpected(rows.error());
  if (rows->size() != 1) return Fail(ErrorCode::kNotFound, "token.not_found", token_id);
  const store::SecretRow row = rows->front();
  const bj::object doc = ParseDoc(row.doc);
  auto a = FindById(store_, StrOf(doc, "account"));
  if (!a) return std::unexpected(a.error());
  if (!*a) return Fail(ErrorCode::kNotFound, "token.not_found", token_id);
  if (auto ok = access_.Check(admin, "api_token.manage", {{(*a)->unit}, false}); !ok) {
    (void)AuditRejected(store_, admin, {"api_token.manage", "token/" + token_id, (*a)->unit}, now,
                        ok.error());
    return std::unexpected(ok.error());
  }
  return store_.Write([&](store::Tx& tx) -> Result<void> {
    auto d = tx.DeleteSecret("api_token", row.key);
    if (!d) return std::unexpected(d.error());
    std::vector<NewEvent> ev;
    ev.push_back(Ev("ApiTokenRevoked", bj::object{{"token_id", token_id}}));
    ev.push_back(Ev("AccountDisabled", bj::object{{"reason", "token revoked"}}));
    auto u = AppendAccountEvents(tx, admin, (*a)->id, std::move(ev), "api_token.manage",
                                 (*a)->unit, now);
    if (!u) return std::unexpected(u.error());
    return {};
  });
}

}  // namespace motcua::app
