#include "app/demo_accounts.h"

#include "secure/random.h"
#include "secure/totp.h"

namespace motcua::app {

namespace bj = boost::json;

namespace {

struct Planned {
  std::string login;
  std::string name;
  std::string unit;
  std::vector<std::string> roles;
};

bj::array Array(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// Enrols the second factor the way a person would: start, read the secret, type a code.
Result<std::string> Enrol(Accounts& accounts, const domain::Account& a) {
  Actor self = Accounts::ActorFor(a);
  self.via = "cli";
  auto setup = accounts.BeginTotp(self);
  if (!setup) return std::unexpected(setup.error());
  auto seed = secure::Base32Decode(setup->secret);
  if (!seed) return std::unexpected(seed.error());
  auto code = secure::Totp(*seed, accounts.clock().Now().us / 1'000'000);
  if (!code) return std::unexpected(code.error());
  if (auto c = accounts.ConfirmTotp(self, *code, ""); !c) return std::unexpected(c.error());
  return setup->secret;
}

}  // namespace

Result<bj::object> CreateDemoAccounts(Accounts& accounts, const Catalog& catalog,
                                      const std::vector<std::string>& citizens) {
  const CivilDate today = ToVietnamLocal(accounts.clock().Now()).date;
  const domain::Unit* root = catalog.units().Root();
  std::vector<Planned> plan;
  plan.push_back({"admin", "Quản trị hệ thống tỉnh", root->code, {"province_admin"}});
  plan.push_back({"thanhtra", "Thanh tra tỉnh", root->code, {"auditor"}});
  plan.push_back({"dieuhanh", "Trung tâm điều hành tỉnh", root->code, {"dashboard_viewer"}});
  // The service centre, one department and two communes: every processing role.
  std::vector<const domain::Unit*> units;
  for (auto level : {domain::UnitLevel::kServiceCentre, domain::UnitLevel::kDepartment}) {
    auto on = catalog.units().UnitsOn(level, today);
    if (!on.empty()) units.push_back(on.front());
  }
  auto communes = catalog.units().UnitsOn(domain::UnitLevel::kCommune, today);
  for (size_t i = 0; i < communes.size() && i < 2; ++i) units.push_back(communes[i]);
  for (const domain::Unit* u : units) {
    std::string base;
    for (char c : u->code) base += (c == '.' ? '-' : static_cast<char>(std::tolower(c)));
    for (const char* role : {"one_stop_officer", "specialist", "leader", "clerk"}) {
      const std::string short_role = std::string(role) == "one_stop_officer" ? "motcua" : role;
      plan.push_back({"u" + base + "-" + short_role, std::string(role) + " — " + u->name, u->code,
                      {role}});
    }
    plan.push_back({"u" + base + "-quantri", "Quản trị — " + u->name, u->code, {"unit_admin"}});
    // Communes have a community digital team (tổ công nghệ số cộng đồng) that files for people.
    if (u->level == domain::UnitLevel::kCommune) {
      plan.push_back({"u" + base + "-cds", "Tổ công nghệ số cộng đồng — " + u->name, u->code,
                      {"community_digital_team"}});
    }
  }

  bj::array officers;
  const Actor system = [] {
    Actor a = Actor::System();
    a.via = "cli";
    return a;
  }();
  for (const Planned& p : plan) {
    NewOfficer o;
    o.login = p.login;
    o.name = p.name;
    o.unit = p.unit;
    o.roles = p.roles;
    o.password = "Demo-" + secure::RandomToken(9);
    auto a = accounts.CreateOfficer(system, o);
    if (!a) return std::unexpected(a.error());
    auto secret = Enrol(accounts, *a);
    if (!secret) return std::unexpected(secret.error());
    officers.push_back(bj::object{{"login", a->login},
                                  {"password", o.password},
                                  {"totp_secret", *secret},
                                  {"unit", p.unit},
                                  {"roles", Array(p.roles)}});
  }

  bj::array people;
  for (const std::string& id : citizens) {
    Registration r;
    r.kind = domain::AccountKind::kCitizen;
    r.id_number = id;
    r.name = "Công dân " + id.substr(id.size() - 3);
    r.email = "congdan" + id.substr(id.size() - 4) + "@example.vn";
    r.password = "Demo-" + secure::RandomToken(9);
    Actor anon = Actor::Anonymous();
    anon.via = "cli";
    auto a = accounts.Register(anon, r);
    if (!a) {
      if (a.error().key == "account.exists") continue;  // two dossiers by the same person
      return std::unexpected(a.error());
    }
    people.push_back(bj::object{{"login", a->login}, {"password", r.password}});
  }

  bj::array tokens;
  const domain::Unit* pasc = units.empty() ? root : units.front();
  struct PlannedToken {
    std::string name;
    std::string unit;
    std::vector<std::string> roles, scopes;
  };
  const std::vector<PlannedToken> planned_tokens = {
      {"national-node", root->code, {"province_admin"}, {"dossiers:read", "events:read"}},
      {"counter-kiosk", pasc->code, {"one_stop_officer"}, {"dossiers:read", "dossiers:write"}},
  };
  for (const auto& t : planned_tokens) {
    auto issued = accounts.IssueApiToken(system, t.name, t.unit, t.roles, t.scopes, std::nullopt);
    if (!issued) return std::unexpected(issued.error());
    tokens.push_back(bj::object{{"name", t.name},
                                {"token", issued->token},
                                {"token_id", issued->token_id},
                                {"unit", t.unit},
                                {"roles", Array(t.roles)},
                                {"scopes", Array(t.scopes)}});
  }
  return bj::object{{"officers", std::move(officers)},
                    {"citizens", std::move(people)},
                    {"tokens", std::move(tokens)}};
}

}  // namespace motcua::app
