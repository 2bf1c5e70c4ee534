// The account, session, API-token and audit routes of the API (docs/api.md). Each handler reads
// exactly the fields it names (FieldReader::Only) and hands them to app::Accounts, which checks
// permissions and audits; nothing here decides who may do what.
#include <algorithm>

#include "app/audit.h"
#include "base/json.h"
#include "http/codec.h"
#include "http/routes.h"

namespace motcua::http {

namespace bj = boost::json;
using beast_http::verb;
using K = FieldReader::Kind;

namespace {

constexpr int kDefaultAuditLimit = 100;
constexpr int kMaxAuditLimit = 1000;

// Passwords are free text up to the policy's limit; kText bounds the bytes (4000), the policy
// the characters (128).
Result<std::string> Password(const FieldReader& r, std::string_view key) {
  return r.Required(key, K::kText);
}

Result<domain::AccountKind> KindField(const FieldReader& r) {
  auto kind = r.Optional("kind", K::kCode, "citizen");
  if (!kind) return std::unexpected(kind.error());
  auto k = domain::ParseAccountKind(*kind);
  if (!k) return Fail(json::BadField(r.Path("kind"), "citizen or organisation"));
  return *k;
}

bj::object EncodeAccount(const domain::Account& a) {
  bj::object o{{"id", a.id},
               {"kind", domain::AccountKindName(a.kind)},
               {"login", a.login},
               {"name", a.name},
               {"identity_level", a.identity_level},
               {"unit", a.unit},
               {"disabled", a.disabled},
               {"totp_enrolled", a.totp_enrolled},
               {"email", a.email},
               {"phone", a.phone}};
  bj::array roles;
  for (const auto& r : a.roles) roles.emplace_back(r);
  o["roles"] = std::move(roles);
  // The ID number is personal data: shown masked; its holder knows it.
  o["id_number"] = a.id_number.empty() ? "" : domain::MaskIdentifier(a.id_number);
  PutTime(o, "created_at", a.created_at);
  if (a.last_login_at) PutTime(o, "last_login_at", *a.last_login_at);
  return o;
}

Reply NoContent() { return Reply{204, nullptr, {}}; }

Result<std::optional<Timestamp>> OptionalTime(const FieldReader& r, std::string_view key) {
  auto text = r.Optional(key, K::kCode);
  if (!text) return std::unexpected(text.error());
  if (text->empty()) return std::optional<Timestamp>();
  auto t = ParseIsoDateTime(*text);
  if (!t) return Fail(json::BadField(r.Path(key), "ISO-8601 date-time"));
  return std::optional<Timestamp>(*t);
}

Error BadQueryParam(std::string_view name, std::string why) {
  Error e{ErrorCode::kInvalidArgument, "http.bad_query", std::move(why), {}};
  e.With("param", std::string(name));
  return e;
}

}  // namespace

Result<app::Accounts*> Api::RequireAccounts() const {
  if (!accounts_) return Fail(ErrorCode::kUnavailable, "auth.accounts_unavailable");
  return accounts_;
}

void Api::AddAccountRoutes() {
  auto bind = [this](Result<Reply> (Api::*fn)(Call&) const) {
    return [this, fn](Call& c) { return (this->*fn)(c); };
  };
  router_.Add(verb::post, "/api/v1/session", bind(&Api::Login));
  router_.Add(verb::get, "/api/v1/session", bind(&Api::GetSession));
  router_.Add(verb::delete_, "/api/v1/session", bind(&Api::Logout));
  router_.Add(verb::post, "/api/v1/accounts", bind(&Api::Register));
  router_.Add(verb::post, "/api/v1/password-reset", bind(&Api::RequestReset));
  router_.Add(verb::post, "/api/v1/password-reset/complete", bind(&Api::CompleteReset));
  router_.Add(verb::post, "/api/v1/me/password", bind(&Api::ChangePassword));
  router_.Add(verb::post, "/api/v1/me/totp", bind(&Api::BeginTotp));
  router_.Add(verb::post, "/api/v1/me/totp/confirm", bind(&Api::ConfirmTotp));
  router_.Add(verb::get, "/api/v1/officers", bind(&Api::ListOfficers));
  router_.Add(verb::post, "/api/v1/officers", bind(&Api::CreateOfficer));
  router_.Add(verb::get, "/api/v1/accounts/{id}", bind(&Api::GetAccount));
  router_.Add(verb::post, "/api/v1/accounts/{id}/roles", bind(&Api::SetRoles));
  router_.Add(verb::post, "/api/v1/accounts/{id}/disable", bind(&Api::Disable));
  router_.Add(verb::post, "/api/v1/accounts/{id}/enable", bind(&Api::Enable));
  router_.Add(verb::post, "/api/v1/accounts/{id}/totp-reset", bind(&Api::ResetTotp));
  router_.Add(verb::post, "/api/v1/tokens", bind(&Api::IssueToken));
  router_.Add(verb::delete_, "/api/v1/tokens/{id}", bind(&Api::RevokeToken));
  router_.Add(verb::get, "/api/v1/audit", bind(&Api::QueryAudit));
  router_.Add(verb::get, "/api/v1/audit/verify", bind(&Api::VerifyAudit));
}

Result<Reply> Api::Login(Call& c) const {
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"login", "password", "totp"}); !o) return std::unexpected(o.error());
  app::LoginRequest req;
  auto login = r.Required("login", K::kCode);
  if (!login) return std::unexpected(login.error());
  auto password = Password(r, "password");
  if (!password) return std::unexpected(password.error());
  auto totp = r.Optional("totp", K::kCode);
  if (!totp) return std::unexpected(totp.error());
  req.login = std::move(*login);
  req.password = std::move(*password);
  req.totp = std::move(*totp);
  auto out = (*accounts)->Login(c.Anonymous(), req);
  if (!out) return std::unexpected(out.error());
  const Timestamp now = lifecycle_.clock().Now();
  const int64_t max_age = std::max<int64_t>((out->session.expires_at.us - now.us) / 1'000'000, 0);
  bj::object o{{"account", EncodeAccount(out->account)},
               {"csrf_token", out->session.csrf},
               {"stage", out->session.stage}};
  PutTime(o, "expires_at", out->session.expires_at);
  return Reply{201, std::move(o),
               {{"Set-Cookie", SessionCookie(out->session.token, max_age, c.meta().tls)}}};
}

Result<Reply> Api::GetSession(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  if (actor->account.empty()) return Fail(ErrorCode::kUnauthenticated, "auth.missing");
  auto a = (*accounts)->Get(*actor, actor->account);
  if (!a) return std::unexpected(a.error());
  bj::object o{{"account", EncodeAccount(*a)},
               {"via", actor->via},
               {"stage", c.identity().stage.empty() ? "full" : c.identity().stage}};
  if (!c.identity().csrf.empty()) o["csrf_token"] = c.identity().csrf;
  return Reply{200, std::move(o), {}};
}

Result<Reply> Api::Logout(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  if (c.identity().session_key.empty()) return Fail(ErrorCode::kUnauthenticated, "auth.missing");
  if (auto r = (*accounts)->Logout(*actor, c.identity().session_key); !r) {
    return std::unexpected(r.error());
  }
  Reply r = NoContent();
  r.headers.emplace_back("Set-Cookie", ClearSessionCookie(c.meta().tls));
  return r;
}

Result<Reply> Api::Register(Call& c) const {
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"kind", "id_number", "name", "phone", "email", "password"}); !o) {
    return std::unexpected(o.error());
  }
  app::Registration reg;
  auto kind = KindField(r);
  if (!kind) return std::unexpected(kind.error());
  reg.kind = *kind;
  auto id_number = r.Required("id_number", K::kCode);
  if (!id_number) return std::unexpected(id_number.error());
  auto name = r.Required("name", K::kLine);
  if (!name) return std::unexpected(name.error());
  auto phone = r.Optional("phone", K::kCode);
  if (!phone) return std::unexpected(phone.error());
  auto email = r.Optional("email", K::kLine);
  if (!email) return std::unexpected(email.error());
  auto password = Password(r, "password");
  if (!password) return std::unexpected(password.error());
  reg.id_number = std::move(*id_number);
  reg.name = std::move(*name);
  reg.phone = std::move(*phone);
  reg.email = std::move(*email);
  reg.password = std::move(*password);
  auto a = (*accounts)->Register(c.Anonymous(), reg);
  if (!a) return std::unexpected(a.error());
  return Reply{201, EncodeAccount(*a), {{"Location", "/api/v1/accounts/" + a->id}}};
}

Result<Reply> Api::RequestReset(Call& c) const {
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"login"}); !o) return std::unexpected(o.error());
  auto login = r.Required("login", K::kCode);
  if (!login) return std::unexpected(login.error());
  if (auto x = (*accounts)->RequestPasswordReset(c.Anonymous(), *login); !x) {
    return std::unexpected(x.error());
  }
  return Reply{202, bj::object{{"status", "accepted"}}, {}};
}

Result<Reply> Api::CompleteReset(Call& c) const {
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"token", "password"}); !o) return std::unexpected(o.error());
  auto token = r.Required("token", K::kLine);
  if (!token) return std::unexpected(token.error());
  auto password = Password(r, "password");
  if (!password) return std::unexpected(password.error());
  if (auto x = (*accounts)->CompletePasswordReset(c.Anonymous(), *token, *password); !x) {
    return std::unexpected(x.error());
  }
  return NoContent();
}

Result<Reply> Api::ChangePassword(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"old_password", "new_password"}); !o) return std::unexpected(o.error());
  auto old_pw = Password(r, "old_password");
  if (!old_pw) return std::unexpected(old_pw.error());
  auto new_pw = Password(r, "new_password");
  if (!new_pw) return std::unexpected(new_pw.error());
  if (auto x = (*accounts)->ChangePassword(*actor, *old_pw, *new_pw); !x) {
    return std::unexpected(x.error());
  }
  return NoContent();
}

Result<Reply> Api::BeginTotp(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  if (auto b = c.Body(); !b || !b->empty()) {
    return Fail(b ? json::BadField("body", "must be empty") : b.error());
  }
  auto setup = (*accounts)->BeginTotp(*actor);
  if (!setup) return std::unexpected(setup.error());
  return Reply{200, bj::object{{"secret", setup->secret}, {"otpauth_uri", setup->uri}}, {}};
}

Result<Reply> Api::ConfirmTotp(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"code"}); !o) return std::unexpected(o.error());
  auto code = r.Required("code", K::kCode);
  if (!code) return std::unexpected(code.error());
  if (auto x = (*accounts)->ConfirmTotp(*actor, *code, c.identity().session_key); !x) {
    return std::unexpected(x.error());
  }
  return NoContent();
}

Result<Reply> Api::ListOfficers(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  if (auto o = c.OnlyQuery({"after", "limit"}); !o) return std::unexpected(o.error());
  int limit = 50;
  if (const std::string* s = c.Query("limit")) {
    if (s->empty() || s->size() > 3 || !std::all_of(s->begin(), s->end(), ::isdigit) ||
        std::stoi(*s) < 1 || std::stoi(*s) > 500) {
      return Fail(BadQueryParam("limit", "1..500"));
    }
    limit = std::stoi(*s);
  }
  std::string after;
  if (const std::string* s = c.Query("after")) {
    if (auto ok = CheckString(*s, K::kCode, "after"); !ok) return Fail(BadQueryParam("after", "an account id"));
    after = *s;
  }
  auto list = (*accounts)->List(*actor, after, limit);
  if (!list) return std::unexpected(list.error());
  bj::array items;
  for (const auto& a : *list) items.push_back(EncodeAccount(a));
  bj::object out{{"items", std::move(items)}};
  out["next_after"] = static_cast<int>(list->size()) == limit ? bj::value(list->back().id)
                                                              : bj::value(nullptr);
  return Reply{200, std::move(out), {}};
}

Result<Reply> Api::CreateOfficer(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"login", "name", "unit", "roles", "email", "phone", "password"}); !o) {
    return std::unexpected(o.error());
  }
  app::NewOfficer n;
  auto login = r.Required("login", K::kCode);
  if (!login) return std::unexpected(login.error());
  auto name = r.Required("name", K::kLine);
  if (!name) return std::unexpected(name.error());
  auto unit = r.Required("unit", K::kCode);
  if (!unit) return std::unexpected(unit.error());
  auto roles = r.Strings("roles", K::kCode);
  if (!roles) return std::unexpected(roles.error());
  auto email = r.Optional("email", K::kLine);
  if (!email) return std::unexpected(email.error());
  auto phone = r.Optional("phone", K::kCode);
  if (!phone) return std::unexpected(phone.error());
  auto password = Password(r, "password");
  if (!password) return std::unexpected(password.error());
  n.login = std::move(*login);
  n.name = std::move(*name);
  n.unit = std::move(*unit);
  n.roles = std::move(*roles);
  n.email = std::move(*email);
  n.phone = std::move(*phone);
  n.password = std::move(*password);
  auto a = (*accounts)->CreateOfficer(*actor, n);
  if (!a) return std::unexpected(a.error());
  return Reply{201, EncodeAccount(*a), {{"Location", "/api/v1/accounts/" + a->id}}};
}

Result<Reply> Api::GetAccount(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto a = (*accounts)->Get(*actor, c.Param("id"));
  if (!a) return std::unexpected(a.error());
  return Reply{200, EncodeAccount(*a), {}};
}

Result<Reply> Api::SetRoles(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"unit", "roles"}); !o) return std::unexpected(o.error());
  auto unit = r.Required("unit", K::kCode);
  if (!unit) return std::unexpected(unit.error());
  auto roles = r.Strings("roles", K::kCode);
  if (!roles) return std::unexpected(roles.error());
  auto a = (*accounts)->SetRoles(*actor, c.Param("id"), *unit, *roles);
  if (!a) return std::unexpected(a.error());
  return Reply{200, EncodeAccount(*a), {}};
}

namespace {

Result<std::string> ReasonOnly(Call& c) {
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"reason"}); !o) return std::unexpected(o.error());
  return r.Required("reason", K::kText);
}

}  // namespace

Result<Reply> Api::Disable(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto reason = ReasonOnly(c);
  if (!reason) return std::unexpected(reason.error());
  auto a = (*accounts)->SetDisabled(*actor, c.Param("id"), true, *reason);
  if (!a) return std::unexpected(a.error());
  return Reply{200, EncodeAccount(*a), {}};
}

Result<Reply> Api::Enable(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto reason = ReasonOnly(c);
  if (!reason) return std::unexpected(reason.error());
  auto a = (*accounts)->SetDisabled(*actor, c.Param("id"), false, *reason);
  if (!a) return std::unexpected(a.error());
  return Reply{200, EncodeAccount(*a), {}};
}

Result<Reply> Api::ResetTotp(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  if (auto b = c.Body(); !b || !b->empty()) {
    return Fail(b ? json::BadField("body", "must be empty") : b.error());
  }
  auto a = (*accounts)->ResetTotp(*actor, c.Param("id"));
  if (!a) return std::unexpected(a.error());
  return Reply{200, EncodeAccount(*a), {}};
}

Result<Reply> Api::IssueToken(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"name", "unit", "roles", "scopes", "expires_at"}); !o) {
    return std::unexpected(o.error());
  }
  auto name = r.Required("name", K::kCode);
  if (!name) return std::unexpected(name.error());
  auto unit = r.Required("unit", K::kCode);
  if (!unit) return std::unexpected(unit.error());
  auto roles = r.Strings("roles", K::kCode);
  if (!roles) return std::unexpected(roles.error());
  auto scopes = r.Strings("scopes", K::kCode);
  if (!scopes) return std::unexpected(scopes.error());
  auto expires = OptionalTime(r, "expires_at");
  if (!expires) return std::unexpected(expires.error());
  auto t = (*accounts)->IssueApiToken(*actor, *name, *unit, *roles, *scopes, *expires);
  if (!t) return std::unexpected(t.error());
  return Reply{201,
               bj::object{{"token", t->token},
                          {"token_id", t->token_id},
                          {"account", EncodeAccount(t->service)}},
               {}};
}

Result<Reply> Api::RevokeToken(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto accounts = RequireAccounts();
  if (!accounts) return std::unexpected(accounts.error());
  if (auto x = (*accounts)->RevokeApiToken(*actor, c.Param("id")); !x) {
    return std::unexpected(x.error());
  }
  return NoContent();
}

Result<Reply> Api::QueryAudit(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({"actor", "unit", "type", "stream", "from", "to", "after", "limit"});
      !o) {
    return std::unexpected(o.error());
  }
  store::EventQuery q;
  q.limit = kDefaultAuditLimit;
  auto text = [&](const char* name, std::optional<std::string>& out) -> Result<void> {
    if (const std::string* s = c.Query(name)) {
      if (s->empty() || !CheckString(*s, K::kLine, name)) {
        return Fail(BadQueryParam(name, "1..200 characters"));
      }
      out = *s;
    }
    return {};
  };
  for (auto [name, field] : {std::pair{"actor", &q.actor}, std::pair{"unit", &q.unit},
                             std::pair{"type", &q.type}, std::pair{"stream", &q.stream_prefix}}) {
    if (auto r = text(name, *field); !r) return std::unexpected(r.error());
  }
  for (auto [name, field] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    if (const std::string* s = c.Query(name)) {
      auto t = ParseIsoDateTime(*s);
      if (!t) return Fail(BadQueryParam(name, "ISO-8601 date-time"));
      *field = *t;
    }
  }
  auto number = [&](const char* name, int64_t lo, int64_t hi, int64_t& out) -> Result<void> {
    if (const std::string* s = c.Query(name)) {
      if (s->empty() || s->size() > 18 || !std::all_of(s->begin(), s->end(), ::isdigit)) {
        return Fail(BadQueryParam(name, "a number"));
      }
      const int64_t v = std::stoll(*s);
      if (v < lo || v > hi) return Fail(BadQueryParam(name, "out of range"));
      out = v;
    }
    return {};
  };
  int64_t limit = kDefaultAuditLimit;
  if (auto r = number("after", 0, INT64_MAX / 2, q.after_seq); !r) return std::unexpected(r.error());
  if (auto r = number("limit", 1, kMaxAuditLimit, limit); !r) return std::unexpected(r.error());
  q.limit = static_cast<int>(limit);
  // The trail spans every unit's records: auditors and province administrators (subtree of the
  // unit filter, or of their own unit when none is given).
  const std::string scope_unit = q.unit.value_or(actor->unit);
  if (auto ok = lifecycle_.access().Check(*actor, "audit.read", {{scope_unit}, false}); !ok) {
    (void)app::AuditRejected(lifecycle_.store(), *actor, {"audit.read", "audit", scope_unit},
                             lifecycle_.clock().Now(), ok.error());
    return std::unexpected(ok.error());
  }
  // Without a unit filter the reader must reach the whole tree.
  if (!q.unit) {
    const std::string root = lifecycle_.catalog().units().Root()->code;
    if (auto ok = lifecycle_.access().Check(*actor, "audit.read", {{root}, false}); !ok) {
      return Fail(BadQueryParam("unit", "required: your reach is not the whole province"));
    }
  }
  auto events = app::QueryTrail(lifecycle_.store(), q);
  if (!events) return std::unexpected(events.error());
  bj::array items;
  for (const Event& e : *events) {
    bj::object o = EventToJson(e);
    items.push_back(std::move(o));
  }
  bj::object out{{"items", std::move(items)}};
  out["next_after"] = static_cast<int64_t>(events->size()) == limit
                          ? bj::value(events->back().seq)
                          : bj::value(nullptr);
  return Reply{200, std::move(out), {}};
}

Result<Reply> Api::VerifyAudit(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  const std::string root = lifecycle_.catalog().units().Root()->code;
  if (auto ok = lifecycle_.access().Check(*actor, "audit.verify", {{root}, false}); !ok) {
    (void)app::AuditRejected(lifecycle_.store(), *actor, {"audit.verify", "audit", actor->unit},
                             lifecycle_.clock().Now(), ok.error());
    return std::unexpected(ok.error());
  }
  auto head = lifecycle_.store().HeadSeq();
  if (!head) return std::unexpected(head.error());
  auto checked = store::VerifyChain(lifecycle_.store());
  if (!checked) {
    const Error& e = checked.error();
    if (e.code != ErrorCode::kDataLoss) return std::unexpected(e);
    return Reply{200, bj::object{{"ok", false}, {"error", e.key}, {"detail", e.detail}}, {}};
  }
  return Reply{200, bj::object{{"ok", true}, {"events", *checked}, {"head_seq", *head}}, {}};
}

}  // namespace motcua::http
