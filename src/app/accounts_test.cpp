// Accounts on a real store (SQLite as accounts_test, PostgreSQL as accounts_pgtest) with real
// Argon2id (the libsodium minimum cost, to keep the suite fast), real TOTP and a real spool
// directory: registration, login throttling per account and per address, TOTP with clock skew
// and replay, session idle and absolute expiry, logout, password reset (expiry, single use),
// API-token scopes, officers' administration within the unit tree, and the audit trail of
// allowed and denied changes.
#include "app/accounts.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "app/lifecycle.h"
#include "app/projection.h"
#include "base/json.h"
#include "secure/totp.h"
#include "store/testing.h"

#ifndef MOTCUA_STORE_BACKEND
#error "MOTCUA_STORE_BACKEND must name the backend under test"
#endif

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;
constexpr int64_t kSecond = 1'000'000;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".") / "data";
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = store::testing::TempStore::Create(MOTCUA_STORE_BACKEND);
    ASSERT_TRUE(t.has_value()) << t.error().ToString();
    temp_ = std::move(*t);
    auto s = temp_->Open({.create = true});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    auto from_data = Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
    ASSERT_TRUE(from_data.has_value()) << from_data.error().ToString();
    ASSERT_TRUE(ImportCatalog(*store_, **from_data, clock_.Now()).has_value());
    auto c = Catalog::Load(*store_, DataDir());
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    catalog_ = *c;
    spool_ = fs::temp_directory_path() / ("motcua-spool-" + std::to_string(::getpid()) + "-" +
                                          std::to_string(counter_++));
    fs::remove_all(spool_);
    notifier_ = std::make_unique<SpoolNotifier>(spool_);
    auto key = secure::SecretKey::FromBytes(std::string(32, 'k'));
    ASSERT_TRUE(key.has_value());
    AccountsOptions o;
    o.password_cost = secure::kTesting;
    accounts_ = std::make_unique<Accounts>(*store_, catalog_, clock_, std::move(*key), *notifier_, o);
    lifecycle_ = std::make_unique<Lifecycle>(*store_, catalog_, clock_);
    today_ = ToVietnamLocal(clock_.Now()).date;
    communes_ = catalog_->units().UnitsOn(domain::UnitLevel::kCommune, today_);
    ASSERT_GE(communes_.size(), 2u);
  }
  void TearDown() override { fs::remove_all(spool_); }

  static Actor Cli() {
    Actor a = Actor::System();
    a.via = "cli";
    return a;
  }
  Actor From(std::string address) const {
    Actor a = Actor::Anonymous();
    a.address = std::move(address);
    a.request_id = "test-req";
    return a;
  }
  static Actor AsSession(const domain::Account& a) {
    Actor actor = Accounts::ActorFor(a);
    actor.via = "session";
    actor.address = "10.0.0.1";
    actor.request_id = "test-req";
    return actor;
  }

  domain::Account Officer(const std::string& login, const std::string& unit,
                          std::vector<std::string> roles) {
    NewOfficer o{login, "Cán bộ " + login, unit, std::move(roles), "", "", kPassword};
    auto a = accounts_->CreateOfficer(Cli(), o);
    EXPECT_TRUE(a.has_value()) << a.error().ToString();
    return *a;
  }
  // Enrols TOTP as the officer would and returns the raw secret.
  std::string Enrol(const domain::Account& a) {
    auto setup = accounts_->BeginTotp(AsSession(a));
    EXPECT_TRUE(setup.has_value()) << setup.error().ToString();
    auto seed = secure::Base32Decode(setup->secret);
    EXPECT_TRUE(seed.has_value());
    auto ok = accounts_->ConfirmTotp(AsSession(a), Code(*seed, 0), "");
    EXPECT_TRUE(ok.has_value()) << ok.error().ToString();
    return *seed;
  }
  std::string Code(const std::string& seed, int64_t offset_s) const {
    return *secure::Totp(seed, clock_.Now().us / kSecond + offset_s);
  }
  int64_t CountEvents(const std::string& type, const std::string& stream_prefix = "") {
    store::EventQuery q;
    q.type = type;
    if (!stream_prefix.empty()) q.stream_prefix = stream_prefix;
    q.limit = 10000;
    auto e = store_->QueryEvents(q);
    EXPECT_TRUE(e.has_value()) << e.error().ToString();
    return static_cast<int64_t>(e->size());
  }
  std::vector<Event> Audits(const std::string& outcome) {
    store::EventQuery q;
    q.type = "ActionAudited";
    q.limit = 10000;
    std::vector<Event> out;
    auto events = store_->QueryEvents(q);
    EXPECT_TRUE(events.has_value());
    for (auto& e : *events) {
      if (e.payload.at("outcome").as_string() == outcome) out.push_back(e);
    }
    return out;
  }
  std::vector<bj::object> SpooledMessages() {
    std::vector<bj::object> out;
    if (!fs::exists(spool_)) return out;
    for (const auto& f : fs::directory_iterator(spool_)) {
      std::ifstream in(f.path());
      std::string text((std::istreambuf_iterator<char>(in)), {});
      out.push_back(bj::parse(text).as_object());
    }
    return out;
  }

  static constexpr const char* kPassword = "Mật khẩu rất dài 2025";
  static inline int counter_ = 0;
  FixedClock clock_{FromVietnamLocal({2026, 3, 2}, 9 * 60)};
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const Catalog> catalog_;
  fs::path spool_;
  std::unique_ptr<SpoolNotifier> notifier_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Lifecycle> lifecycle_;
  CivilDate today_;
  std::vector<const domain::Unit*> communes_;
};

TEST_F(AccountsTest, CitizenRegistersAndSignsInWithoutSecondFactor) {
  Registration r{domain::AccountKind::kCitizen, "051095000123", "Nguyễn Văn An", "0912 345 678",
                 "", kPassword};
  auto a = accounts_->Register(From("10.0.0.5"), r);
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  EXPECT_EQ(a->login, "051095000123");
  EXPECT_EQ(a->phone, "0912345678");
  EXPECT_EQ(a->identity_level, domain::kIdentityLevelSelf);
  // The same person twice is refused; a weak password is refused with the rule.
  EXPECT_EQ(accounts_->Register(From("10.0.0.5"), r).error().key, "account.exists");
  r.id_number = "051095000124";
  r.password = "1234567890";
  auto weak = accounts_->Register(From("10.0.0.5"), r);
  ASSERT_FALSE(weak.has_value());
  EXPECT_EQ(weak.error().key, "account.weak_password");
  auto login = accounts_->Login(From("10.0.0.5"), {"051095000123", kPassword, ""});
  ASSERT_TRUE(login.has_value()) << login.error().ToString();
  EXPECT_EQ(login->session.stage, "full");
  auto resolved = accounts_->ResolveSession(login->session.token);
  ASSERT_TRUE(resolved.has_value()) << resolved.error().ToString();
  EXPECT_EQ(resolved->actor.kind, Actor::Kind::kCitizen);
  EXPECT_EQ(resolved->actor.id, "051095000123");
  // No password hash or session token ever reaches the log.
  ASSERT_TRUE(store_
                  ->ForEachEvent(0,
                                 [&](const Event& e) -> Result<void> {
                                   EXPECT_EQ(e.payload_json.find("$argon2id$"), std::string::npos);
                                   EXPECT_EQ(e.payload_json.find(login->session.token),
                                             std::string::npos);
                                   return {};
                                 })
                  .has_value());
}

TEST_F(AccountsTest, ThrottlesPerAccountThenPerAddress) {
  const auto a = Officer("cb.mot", communes_[0]->code, {"one_stop_officer"});
  // Five wrong passwords are answered as wrong; the sixth attempt waits, even with the right
  // password, and the wait doubles with each further failure.
  for (int i = 0; i < 5; ++i) {
    auto r = accounts_->Login(From("10.0.0.7"), {"cb.mot", "sai mật khẩu rồi", ""});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().key, "auth.bad_credentials");
  }
  auto locked = accounts_->Login(From("10.0.0.8"), {"cb.mot", kPassword, ""});
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().key, "auth.throttled");
  EXPECT_EQ(locked.error().Param("retry_after"), "60");
  clock_.Advance(61 * kSecond);
  // After the lock, one more failure locks for twice as long.
  ASSERT_EQ(accounts_->Login(From("10.0.0.8"), {"cb.mot", "sai mật khẩu nữa", ""}).error().key,
            "auth.bad_credentials");
  EXPECT_EQ(accounts_->Login(From("10.0.0.8"), {"cb.mot", kPassword, ""}).error().Param("retry_after"),
            "120");
  EXPECT_EQ(CountEvents("LoginFailed", "account/" + a.id), 6);
  clock_.Advance(121 * kSecond);
  auto ok = accounts_->Login(From("10.0.0.8"), {"cb.mot", kPassword, ""});
  ASSERT_TRUE(ok.has_value()) << ok.error().ToString();
  EXPECT_EQ(ok->session.stage, "totp_enrolment");  // officers must enrol a second factor

  // One address trying many logins (unknown ones included) is stopped after 30 failures.
  for (int i = 0; i < 30; ++i) {
    auto r = accounts_->Login(From("10.9.9.9"), {"khongco" + std::to_string(i), "x1234567890", ""});
    ASSERT_EQ(r.error().key, "auth.bad_credentials");
  }
  auto stopped = accounts_->Login(From("10.9.9.9"), {"cb.mot", kPassword, ""});
  ASSERT_FALSE(stopped.has_value());
  EXPECT_EQ(stopped.error().key, "auth.throttled");
  // Another address is unaffected.
  EXPECT_TRUE(accounts_->Login(From("10.0.0.9"), {"cb.mot", kPassword, ""}).has_value());
  // Unknown logins are recorded in the audit trail as denied attempts (no account stream).
  EXPECT_GE(Audits("denied").size(), 30u);
}

TEST_F(AccountsTest, TotpAcceptsSkewWithinOneStepAndRefusesReplay) {
  const auto a = Officer("cb.hai", communes_[0]->code, {"specialist"});
  const std::string seed = Enrol(a);
  auto no_code = accounts_->Login(From("10.0.0.1"), {"cb.hai", kPassword, ""});
  EXPECT_EQ(no_code.error().key, "auth.totp_required");
  clock_.Advance(95 * kSecond);  // past the enrolment code's window
  // 30 s behind (the phone's clock is slow): accepted.
  auto behind = accounts_->Login(From("10.0.0.1"), {"cb.hai", kPassword, Code(seed, -30)});
  ASSERT_TRUE(behind.has_value()) << behind.error().ToString();
  EXPECT_EQ(behind->session.stage, "full");
  // The same code again: refused (replay), and so is an older one.
  EXPECT_EQ(accounts_->Login(From("10.0.0.1"), {"cb.hai", kPassword, Code(seed, -30)}).error().key,
            "auth.totp_invalid");
  // 30 s ahead: accepted (a newer step than the last one used).
  EXPECT_TRUE(accounts_->Login(From("10.0.0.1"), {"cb.hai", kPassword, Code(seed, 30)}).has_value());
  clock_.Advance(300 * kSecond);
  // 90 s away: outside the window of one step each side.
  EXPECT_EQ(accounts_->Login(From("10.0.0.1"), {"cb.hai", kPassword, Code(seed, -90)}).error().key,
            "auth.totp_invalid");
  EXPECT_EQ(accounts_->Login(From("10.0.0.1"), {"cb.hai", kPassword, Code(seed, 90)}).error().key,
            "auth.totp_invalid");
  EXPECT_EQ(accounts_->Login(From("10.0.0.1"), {"cb.hai", kPassword, "12345"}).error().key,
            "auth.totp_invalid");
}

TEST_F(AccountsTest, SessionsExpireWhenIdleAndAtTheirAbsoluteLimitAndEndAtLogout) {
  Registration r{domain::AccountKind::kCitizen, "051095000123", "Nguyễn Văn An", "",
                 "an@example.vn", kPassword};
  ASSERT_TRUE(accounts_->Register(From("10.0.0.5"), r).has_value());
  auto login = [&] { return *accounts_->Login(From("10.0.0.5"), {"051095000123", kPassword, ""}); };
  // Idle: 29 minutes between requests is fine, 31 is not.
  auto s1 = login();
  clock_.Advance(29 * 60 * kSecond);
  ASSERT_TRUE(accounts_->ResolveSession(s1.session.token).has_value());
  clock_.Advance(31 * 60 * kSecond);
  EXPECT_EQ(accounts_->ResolveSession(s1.session.token).error().key, "auth.expired");
  EXPECT_EQ(accounts_->ResolveSession(s1.session.token).error().key, "auth.invalid");  // removed
  // Absolute: used every 20 minutes, the session still ends after 12 hours.
  auto s2 = login();
  for (int i = 0; i < 35; ++i) {  // 35 × 20 min = 11 h 40 min
    clock_.Advance(20 * 60 * kSecond);
    ASSERT_TRUE(accounts_->ResolveSession(s2.session.token).has_value()) << i;
  }
  clock_.Advance(21 * 60 * kSecond);
  EXPECT_EQ(accounts_->ResolveSession(s2.session.token).error().key, "auth.expired");
  // Logout ends the session at once.
  auto s3 = login();
  auto resolved = accounts_->ResolveSession(s3.session.token);
  ASSERT_TRUE(resolved.has_value());
  ASSERT_TRUE(accounts_->Logout(resolved->actor, resolved->session_key).has_value());
  EXPECT_EQ(accounts_->ResolveSession(s3.session.token).error().key, "auth.invalid");
  EXPECT_EQ(CountEvents("LoggedOut"), 1);
  // A forged token (right account, wrong random part) is invalid.
  const std::string forged = s3.account.id + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  EXPECT_EQ(accounts_->ResolveSession(forged).error().key, "auth.invalid");
}

TEST_F(AccountsTest, PasswordResetTokensExpireAndWorkOnce) {
  Registration r{domain::AccountKind::kCitizen, "051095000123", "Nguyễn Văn An", "",
                 "an@example.vn", kPassword};
  ASSERT_TRUE(accounts_->Register(From("10.0.0.5"), r).has_value());
  auto before = accounts_->Login(From("10.0.0.5"), {"051095000123", kPassword, ""});
  ASSERT_TRUE(before.has_value());
  // Unknown logins get the same answer and send nothing.
  ASSERT_TRUE(accounts_->RequestPasswordReset(From("10.0.0.5"), "079999999999").has_value());
  EXPECT_TRUE(SpooledMessages().empty());
  ASSERT_TRUE(accounts_->RequestPasswordReset(From("10.0.0.5"), "051095000123").has_value());
  auto messages = SpooledMessages();
  ASSERT_EQ(messages.size(), 1u);
  const std::string token(messages[0].at("params").at("token").as_string());
  const std::string fresh = "Mật khẩu mới thật dài 2026";
  ASSERT_TRUE(accounts_->CompletePasswordReset(From("10.0.0.5"), token, fresh).has_value());
  // Used once: refused the second time, even with another password.
  auto again = accounts_->CompletePasswordReset(From("10.0.0.5"), token, "Mật khẩu khác hẳn 2027");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().key, "auth.reset_invalid");
  // The old password no longer works, the new one does, and the old session has ended.
  EXPECT_EQ(accounts_->Login(From("10.0.0.5"), {"051095000123", kPassword, ""}).error().key,
            "auth.bad_credentials");
  EXPECT_TRUE(accounts_->Login(From("10.0.0.5"), {"051095000123", fresh, ""}).has_value());
  EXPECT_EQ(accounts_->ResolveSession(before->session.token).error().key, "auth.invalid");
  // An expired token is refused.
  ASSERT_TRUE(accounts_->RequestPasswordReset(From("10.0.0.6"), "051095000123").has_value());
  messages = SpooledMessages();
  ASSERT_EQ(messages.size(), 2u);
  std::string second;
  for (const auto& m : messages) {
    if (m.at("params").at("token").as_string() != token) {
      second = std::string(m.at("params").at("token").as_string());
    }
  }
  clock_.Advance(31 * 60 * kSecond);
  EXPECT_EQ(accounts_->CompletePasswordReset(From("10.0.0.6"), second, "Mật khẩu khác hẳn 2027")
                .error()
                .key,
            "auth.reset_invalid");
}

TEST_F(AccountsTest, ApiTokensActOnlyWithinTheirScopes) {
  const std::string unit = communes_[0]->code;
  auto issued = accounts_->IssueApiToken(Cli(), "kiosk", unit, {"one_stop_officer"},
                                         {"dossiers:read"}, std::nullopt);
  ASSERT_TRUE(issued.has_value()) << issued.error().ToString();
  EXPECT_TRUE(issued->token.starts_with("mct_"));
  auto resolved = accounts_->ResolveApiToken(issued->token);
  ASSERT_TRUE(resolved.has_value()) << resolved.error().ToString();
  Actor kiosk = resolved->actor;
  kiosk.request_id = "r1";
  // Reading is in scope; submitting needs dossiers:write.
  EXPECT_TRUE(lifecycle_->List(kiosk, {}, false).has_value());
  SubmitRequest req;
  req.procedure_code = "1.001193";
  req.channel = domain::Channel::kCounter;
  req.applicant.id_number = "051095000123";
  req.applicant.name = "Nguyễn Văn An";
  req.receiving_unit = unit;
  req.competent_unit = unit;
  for (const auto& c : catalog_->procedures().Find("1.001193")->components) {
    if (c.required) req.components.push_back({c.code, "", true, false, ""});
  }
  auto submit = lifecycle_->Submit(kiosk, req);
  ASSERT_FALSE(submit.has_value());
  EXPECT_EQ(submit.error().key, "auth.scope_missing");
  EXPECT_EQ(submit.error().Param("scope"), "dossiers:write");
  // Session-only actions are never open to tokens.
  EXPECT_EQ(accounts_->BeginTotp(kiosk).error().key, "auth.scope_missing");
  // A bad scope is refused at issue; revocation ends the token.
  EXPECT_EQ(accounts_->IssueApiToken(Cli(), "x", unit, {"specialist"}, {"everything"},
                                     std::nullopt)
                .error()
                .key,
            "token.bad_scope");
  ASSERT_TRUE(accounts_->RevokeApiToken(Cli(), issued->token_id).has_value());
  EXPECT_EQ(accounts_->ResolveApiToken(issued->token).error().key, "auth.invalid");
  // An expiring token stops at its time.
  auto brief = accounts_->IssueApiToken(Cli(), "brief", unit, {"specialist"}, {"dossiers:read"},
                                        Timestamp{clock_.Now().us + 60 * kSecond});
  ASSERT_TRUE(brief.has_value());
  EXPECT_TRUE(accounts_->ResolveApiToken(brief->token).has_value());
  clock_.Advance(61 * kSecond);
  EXPECT_EQ(accounts_->ResolveApiToken(brief->token).error().key, "auth.expired");
}

TEST_F(AccountsTest, UnitAdministratorsManageOnlyTheirSubtreeAndTheTrailRecordsBoth) {
  const std::string mine = communes_[0]->code, other = communes_[1]->code;
  const auto admin = Officer("qt.xa", mine, {"unit_admin"});
  Actor as_admin = AsSession(admin);
  NewOfficer o{"cb.moi", "Cán bộ mới", mine, {"specialist"}, "", "", kPassword};
  auto created = accounts_->CreateOfficer(as_admin, o);
  ASSERT_TRUE(created.has_value()) << created.error().ToString();
  // Another commune: denied; a province-level role: denied (no escalation).
  o.login = "cb.khac";
  o.unit = other;
  auto denied = accounts_->CreateOfficer(as_admin, o);
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().key, "auth.forbidden");
  o.unit = mine;
  o.roles = {"province_admin"};
  EXPECT_EQ(accounts_->CreateOfficer(as_admin, o).error().key, "auth.forbidden");
  // Nothing was created by the refusals.
  EXPECT_EQ(accounts_->Get(Cli(), created->id)->login, "cb.moi");
  auto listed = accounts_->List(as_admin, "", 100);
  ASSERT_TRUE(listed.has_value());
  for (const auto& a : *listed) EXPECT_EQ(a.unit, mine) << a.login;
  // The trail: the creation with actor, unit and address; the two refusals as denied.
  auto done = Audits("done");
  const auto it = std::find_if(done.begin(), done.end(), [&](const Event& e) {
    return e.payload.at("action").as_string() == "account.create" &&
           e.actor == "officer:qt.xa";
  });
  ASSERT_NE(it, done.end());
  EXPECT_EQ(it->unit, mine);
  EXPECT_EQ(it->payload.at("address").as_string(), "10.0.0.1");
  auto refused = Audits("denied");
  EXPECT_EQ(std::count_if(refused.begin(), refused.end(),
                          [](const Event& e) {
                            return e.actor == "officer:qt.xa" &&
                                   e.payload.at("action").as_string() == "account.create";
                          }),
            2);
  // Disabling ends the officer's sessions and sign-in.
  ASSERT_TRUE(accounts_->SetDisabled(as_admin, created->id, true, "nghỉ việc").has_value());
  EXPECT_EQ(accounts_->Login(From("10.0.0.1"), {"cb.moi", kPassword, ""}).error().key,
            "auth.disabled");
  // The account projection is rebuilt from the log exactly.
  auto report = Verify(*store_);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->mismatches, 0) << report->first_mismatch;
  ASSERT_TRUE(Rebuild(*store_).has_value());
  EXPECT_EQ(accounts_->Get(Cli(), created->id)->disabled, true);
  EXPECT_TRUE(accounts_->Login(From("10.0.0.1"), {"qt.xa", kPassword, ""}).has_value())
      << "secrets survive a rebuild";
}

TEST_F(AccountsTest, DossierChangesAreAuditedAndDeniedAttemptsToo) {
  const std::string unit = communes_[0]->code;
  const auto clerk = Officer("vt.xa", unit, {"clerk"});
  const auto officer = Officer("mc.xa", unit, {"one_stop_officer"});
  SubmitRequest req;
  req.procedure_code = "1.001193";
  req.channel = domain::Channel::kCounter;
  req.applicant.id_number = "051095000123";
  req.applicant.name = "Nguyễn Văn An";
  req.receiving_unit = unit;
  req.competent_unit = unit;
  for (const auto& c : catalog_->procedures().Find("1.001193")->components) {
    if (c.required) req.components.push_back({c.code, "", true, false, ""});
  }
  // A clerk may not take in dossiers: denied, recorded, nothing filed.
  auto denied = lifecycle_->Submit(AsSession(clerk), req);
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().key, "auth.forbidden");
  store::DossierQuery all;
  EXPECT_EQ(*store_->CountDossiers(all), 0);
  auto d = lifecycle_->Submit(AsSession(officer), req);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  auto done = Audits("done");
  ASSERT_FALSE(done.empty());
  const Event& last = done.back();
  EXPECT_EQ(last.payload.at("action").as_string(), "dossier.submit");
  EXPECT_EQ(last.payload.at("target").as_string(), "dossier/" + d->code);
  EXPECT_EQ(last.actor, "officer:mc.xa");
  EXPECT_EQ(last.unit, unit);
  // The audit event names the events of the change; they precede it in the same commit.
  const auto& range = last.payload.at("events").as_array();
  EXPECT_LT(range[1].as_int64(), last.seq);
  auto denials = Audits("denied");
  ASSERT_EQ(denials.size(), 1u);
  EXPECT_EQ(denials[0].actor, "officer:vt.xa");
  EXPECT_EQ(denials[0].payload.at("error").as_string(), "auth.forbidden");
  // A citizen reading someone else's dossier is told it does not exist; the attempt is kept.
  Actor stranger = Actor{Actor::Kind::kCitizen, "079123456789", "", {}};
  stranger.request_id = "r9";
  stranger.via = "session";
  EXPECT_EQ(lifecycle_->Get(stranger, d->code).error().key, "dossier.not_found");
  EXPECT_EQ(Audits("denied").size(), 2u);
  // The chain holds over all of it.
  EXPECT_TRUE(store::VerifyChain(*store_).has_value());
}

}  // namespace
}  // namespace motcua::app
