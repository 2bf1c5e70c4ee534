#include "app/demo_accounts.h"

#include <map>

#include "base/json.h"
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

Result<int> SeedDemoHoldings(store::Store& store, Lifecycle& lifecycle, const Catalog& catalog,
                             const bj::object& people) {
  constexpr std::string_view kProcedure = "1.004873";  // Cấp Giấy xác nhận tình trạng hôn nhân
  const domain::Procedure* proc = catalog.procedures().Find(kProcedure);
  if (proc == nullptr) return 0;
  // The officers of the first demo commune, by role.
  std::map<std::string, Actor> staff;
  std::string unit;
  for (const auto& v : people.at("officers").as_array()) {
    const auto& o = v.as_object();
    const domain::Unit* u = catalog.units().Find(o.at("unit").as_string());
    if (!u || u->level != domain::UnitLevel::kCommune) continue;
    if (unit.empty()) unit = u->code;
    if (u->code != unit) continue;
    const std::string login(o.at("login").as_string());
    // Certificates are held by the account id (officer:<id>), found through the login.
    auto row = store.GetCatalog("account_login", login);
    if (!row) return std::unexpected(row.error());
    if (!*row) continue;
    auto doc = json::Parse((*row)->doc);
    if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", login);
    const std::string account = json::OptString(doc->get_object(), "id").value_or("");
    for (const auto& r : o.at("roles").as_array()) {
      const std::string role(r.as_string());
      staff[role] = Actor{Actor::Kind::kOfficer, login, unit, {role}, account};
      staff[role].via = "cli";
    }
  }
  for (const char* role : {"one_stop_officer", "specialist", "leader", "clerk"}) {
    if (!staff.contains(role)) return 0;
  }
  int filed = 0;
  for (const auto& v : people.at("citizens").as_array()) {
    SubmitRequest r;
    r.procedure_code = std::string(kProcedure);
    r.channel = domain::Channel::kCounter;
    r.applicant.id_number = std::string(v.as_object().at("login").as_string());
    r.applicant.name = "Công dân " + r.applicant.id_number.substr(r.applicant.id_number.size() - 3);
    r.receiving_unit = unit;
    r.competent_unit = unit;
    for (const auto& c : proc->components) {
      if (c.required) {
        r.components.push_back({c.code, "", true, false, ""});
        r.digitised.push_back(c.code);
      }
    }
    r.receive_now = true;
    r.paid_cash = true;
    auto d = lifecycle.Submit(staff["one_stop_officer"], r);
    if (!d) return std::unexpected(d.error());
    for (const char* role : {"specialist", "leader", "clerk"}) {
      auto done = lifecycle.CompleteStep(staff[role], d->code, "");
      if (!done) return std::unexpected(done.error());
    }
    auto returned = lifecycle.Return(staff["one_stop_officer"], d->code, "counter");
    if (!returned) return std::unexpected(returned.error());
    filed += returned->result_document.has_value();
  }
  return filed;
}

}  // namespace motcua::app
