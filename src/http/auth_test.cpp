// Authentication at the HTTP edge: bearer-header parsing, constant-time comparison, cookies, the
// token file's validation, and — through the real API over real accounts — sign-in, the session
// cookie, CSRF rejection, session expiry and sign-out, API tokens without CSRF.
#include "http/auth.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>

#include "app/lifecycle.h"
#include "base/json.h"
#include "http/errors.h"
#include "http/routes.h"
#include "secure/totp.h"
#include "store/testing.h"

namespace motcua::http {
namespace {

namespace bj = boost::json;

Result<std::unique_ptr<TokenFileAuthenticator>> From(std::string_view text) {
  return TokenFileAuthenticator::FromJson(bj::parse(text));
}

// The actor for a request carrying `authorization` (none when empty).
Result<app::Actor> AuthenticateHeader(const Authenticator& a, std::string_view authorization) {
  Request req{beast_http::verb::get, "/api/v1/dossiers", 11};
  if (!authorization.empty()) req.set(beast_http::field::authorization, authorization);
  auto id = a.Authenticate(req, RequestMeta{"t", "127.0.0.1", false});
  if (!id) return std::unexpected(id.error());
  return id->actor;
}

constexpr std::string_view kFile = R"({"tokens": [
  {"token": "0123456789abcdef0123", "kind": "officer", "id": "99501.leader", "unit": "99501",
   "roles": ["leader"]},
  {"token": "fedcba9876543210fedc", "kind": "citizen", "id": "051095000123", "unit": "99501"}
]})";

TEST(BearerTokenTest, ParsesTheBearerScheme) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer   abc  "), "abc");
  EXPECT_EQ(BearerToken("BEARER abc"), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken("Bearer a b"), "");
  EXPECT_EQ(BearerToken(""), "");
}

TEST(ConstantTimeEqualsTest, Equality) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abd", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("ab", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abcabc", "abc"));  // a repeat of the expected one
  EXPECT_FALSE(ConstantTimeEquals("", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("", ""));
}

TEST(TokenFileAuthenticatorTest, AuthenticatesOfficersAndCitizens) {
  auto a = From(kFile);
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  auto officer = AuthenticateHeader(**a, "Bearer 0123456789abcdef0123");
  ASSERT_TRUE(officer.has_value());
  EXPECT_EQ(officer->kind, app::Actor::Kind::kOfficer);
  EXPECT_EQ(officer->unit, "99501");
  EXPECT_EQ(officer->roles, std::vector<std::string>{"leader"});
  auto citizen = AuthenticateHeader(**a, "Bearer fedcba9876543210fedc");
  ASSERT_TRUE(citizen.has_value());
  EXPECT_EQ(citizen->kind, app::Actor::Kind::kCitizen);
  EXPECT_EQ(citizen->id, "051095000123");
  EXPECT_TRUE(citizen->unit.empty());  // citizens act for no unit, whatever the file says
}

TEST(TokenFileAuthenticatorTest, MissingAndInvalidCredentials) {
  auto a = From(kFile);
  ASSERT_TRUE(a.has_value());
  // No credential: anonymous (the use case decides); a malformed one: invalid.
  auto anonymous = AuthenticateHeader(**a, "");
  ASSERT_TRUE(anonymous.has_value());
  EXPECT_EQ(anonymous->kind, app::Actor::Kind::kAnonymous);
  for (std::string_view h : {"Basic dXNlcjpwYXNz", "Bearer "}) {
    auto r = AuthenticateHeader(**a, h);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().key, "auth.invalid") << h;
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  }
  for (std::string_view h : {"Bearer 0123456789abcdef012", "Bearer 0123456789abcdef01234",
                             "Bearer 0123456789ABCDEF0123"}) {
    auto r = AuthenticateHeader(**a, h);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().key, "auth.invalid") << h;
  }
}

TEST(TokenFileAuthenticatorTest, RejectsBadFiles) {
  for (std::string_view bad : {
           R"([])",
           R"({"tokens": {}})",
           R"({"tokens": [{"token": "short", "kind": "citizen", "id": "1"}]})",
           R"({"tokens": [{"token": "0123456789abcdef0123", "kind": "system", "id": "x"}]})",
           R"({"tokens": [{"token": "0123456789abcdef0123", "kind": "officer", "id": "x"}]})",
           R"({"tokens": [{"token": "0123456789abcdef0123", "kind": "citizen", "id": ""}]})",
           R"({"tokens": [{"token": "0123456789abcdef0123", "kind": "citizen", "id": "1",
                           "roles": "leader"}]})",
           R"({"tokens": [{"token": "0123456789abcdef0123", "kind": "citizen", "id": "1"},
                          {"token": "0123456789abcdef0123", "kind": "citizen", "id": "2"}]})",
       }) {
    auto r = From(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().key, "auth.bad_token_file") << bad;
  }
}

TEST(TokenFileAuthenticatorTest, LoadsAFile) {
  std::random_device rd;
  const auto path =
      std::filesystem::temp_directory_path() / ("motcua-tokens-" + std::to_string(rd()) + ".json");
  std::ofstream(path) << kFile;
  auto a = TokenFileAuthenticator::Load(path);
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  EXPECT_EQ((*a)->size(), 2u);
  std::filesystem::remove(path);
  auto missing = TokenFileAuthenticator::Load(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().key, "data.unreadable");
}

TEST(CookieTest, ParsesAndBuildsSessionCookies) {
  EXPECT_EQ(CookieValue("a=1; motcua_session=abc.def; b=2", "motcua_session"), "abc.def");
  EXPECT_EQ(CookieValue("motcua_session_x=1", "motcua_session"), "");
  EXPECT_EQ(CookieValue("", "motcua_session"), "");
  const std::string plain = SessionCookie("tok", 600, false);
  EXPECT_NE(plain.find("HttpOnly"), std::string::npos);
  EXPECT_NE(plain.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(plain.find("Secure"), std::string::npos);
  const std::string tls = SessionCookie("tok", 600, true);
  EXPECT_TRUE(tls.starts_with("__Host-motcua_session=tok;"));
  EXPECT_NE(tls.find("; Secure"), std::string::npos);
  EXPECT_NE(ClearSessionCookie(false).find("Max-Age=0"), std::string::npos);
}

std::filesystem::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return std::filesystem::path(src ? src : ".") / "data";
}

// Sign-in, cookies and CSRF through Api::Handle over real accounts in a real store.
class SessionApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = store::testing::TempStore::Create("sqlite");
    ASSERT_TRUE(t.has_value()) << t.error().ToString();
    temp_ = std::move(*t);
    auto s = temp_->Open({.create = true});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    auto from_data = app::Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
    ASSERT_TRUE(from_data.has_value()) << from_data.error().ToString();
    ASSERT_TRUE(app::ImportCatalog(*store_, **from_data, clock_.Now()).has_value());
    auto c = app::Catalog::Load(*store_, DataDir());
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    catalog_ = *c;
    spool_ = std::filesystem::temp_directory_path() / ("motcua-session-" + std::to_string(::getpid()));
    notifier_ = std::make_unique<app::SpoolNotifier>(spool_);
    auto key = secure::SecretKey::FromBytes(std::string(32, 'k'));
    ASSERT_TRUE(key.has_value());
    app::AccountsOptions o;
    o.password_cost = secure::kTesting;
    accounts_ = std::make_unique<app::Accounts>(*store_, catalog_, clock_, std::move(*key),
                                                *notifier_, o);
    lifecycle_ = std::make_unique<app::Lifecycle>(*store_, catalog_, clock_);
    auth_ = std::make_unique<AccountAuthenticator>(*accounts_);
    auto messages = MessageCatalog::Load(DataDir() / "messages.json");
    ASSERT_TRUE(messages.has_value());
    messages_ = std::make_unique<MessageCatalog>(std::move(*messages));
    api_ = std::make_unique<Api>(*lifecycle_, accounts_.get(), *auth_, *messages_);
    app::Actor cli = app::Actor::System();
    cli.via = "cli";
    auto officer = accounts_->CreateOfficer(
        cli, {"cb.mot", "Cán bộ", "99501", {"one_stop_officer"}, "", "", kPassword});
    ASSERT_TRUE(officer.has_value()) << officer.error().ToString();
    officer_ = *officer;
  }
  void TearDown() override { std::filesystem::remove_all(spool_); }

  struct Sent {
    Response response;
    bj::object body;
    std::string Code() const {
      return body.contains("code") ? std::string(body.at("code").as_string()) : "";
    }
  };
  Sent Do(beast_http::verb method, const std::string& target, const std::string& body,
          std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request req{method, target, 11};
    req.set(beast_http::field::host, "localhost:8080");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) {
      req.set(beast_http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    Sent out;
    out.response = api_->Handle(req, RequestMeta{"r", "10.0.0.1", false});
    if (!out.response.body.empty()) {
      auto v = json::Parse(out.response.body);
      if (v && v->is_object()) out.body = v->get_object();
    }
    return out;
  }
  static std::string Header(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }
  // Signs the officer in (enrolling the second factor on first use) and returns the cookie
  // header value and the CSRF token.
  std::pair<std::string, std::string> SignIn() {
    std::string totp;
    if (!seed_.empty()) {
      clock_.Advance(31'000'000);  // a fresh time step: the last code may not be reused
      totp = R"(,"totp":")" + *secure::Totp(seed_, clock_.Now().us / 1'000'000) + "\"";
    }
    Sent first = Do(beast_http::verb::post, "/api/v1/session",
                    R"({"login":"cb.mot","password":")" + std::string(kPassword) + "\"" + totp + "}");
    EXPECT_EQ(first.response.status, 201u) << first.response.body;
    const std::string set_cookie = Header(first.response, "Set-Cookie");
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    const std::string csrf(first.body.at("csrf_token").as_string());
    if (first.body.at("stage").as_string() == "totp_enrolment") {
      Sent begin = Do(beast_http::verb::post, "/api/v1/me/totp", "",
                      {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
      EXPECT_EQ(begin.response.status, 200u) << begin.response.body;
      seed_ = *secure::Base32Decode(std::string(begin.body.at("secret").as_string()));
      const std::string code = *secure::Totp(seed_, clock_.Now().us / 1'000'000);
      Sent confirm = Do(beast_http::verb::post, "/api/v1/me/totp/confirm",
                        R"({"code":")" + code + "\"}", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
      EXPECT_EQ(confirm.response.status, 204u) << confirm.response.body;
      EXPECT_TRUE(confirm.response.body.empty()) << confirm.response.body;
    }
    return {cookie, csrf};
  }

  static constexpr const char* kPassword = "Mật khẩu rất dài 2025";
  FixedClock clock_{FromVietnamLocal({2026, 3, 2}, 9 * 60)};
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const app::Catalog> catalog_;
  std::filesystem::path spool_;
  std::unique_ptr<app::SpoolNotifier> notifier_;
  std::unique_ptr<app::Accounts> accounts_;
  std::unique_ptr<app::Lifecycle> lifecycle_;
  std::unique_ptr<AccountAuthenticator> auth_;
  std::unique_ptr<MessageCatalog> messages_;
  std::unique_ptr<Api> api_;
  domain::Account officer_;
  std::string seed_;
};

TEST_F(SessionApiTest, OfficersEnrolASecondFactorBeforeAnythingElse) {
  Sent first = Do(beast_http::verb::post, "/api/v1/session",
                  R"({"login":"cb.mot","password":")" + std::string(kPassword) + "\"}");
  ASSERT_EQ(first.response.status, 201u) << first.response.body;
  EXPECT_EQ(first.body.at("stage").as_string(), "totp_enrolment");
  const std::string set_cookie = Header(first.response, "Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  // The half-open session may read itself but not the dossiers.
  EXPECT_EQ(Do(beast_http::verb::get, "/api/v1/session", "", {{"Cookie", cookie}}).response.status,
            200u);
  Sent blocked = Do(beast_http::verb::get, "/api/v1/dossiers", "", {{"Cookie", cookie}});
  EXPECT_EQ(blocked.response.status, 403u);
  EXPECT_EQ(blocked.Code(), "auth.totp_enrolment_required");
}

TEST_F(SessionApiTest, CookieWritesNeedTheCsrfTokenFromOurOrigin) {
  auto [cookie, csrf] = SignIn();
  // Signing in again now needs the code.
  Sent again = Do(beast_http::verb::post, "/api/v1/session",
                  R"({"login":"cb.mot","password":")" + std::string(kPassword) + "\"}");
  EXPECT_EQ(again.Code(), "auth.totp_required");
  auto [cookie2, csrf2] = [&] {
    clock_.Advance(31'000'000);
    const std::string code = *secure::Totp(seed_, clock_.Now().us / 1'000'000);
    Sent s = Do(beast_http::verb::post, "/api/v1/session",
                R"({"login":"cb.mot","password":")" + std::string(kPassword) +
                    R"(","totp":")" + code + "\"}");
    EXPECT_EQ(s.response.status, 201u) << s.response.body;
    const std::string sc = Header(s.response, "Set-Cookie");
    return std::pair{sc.substr(0, sc.find(';')), std::string(s.body.at("csrf_token").as_string())};
  }();
  const std::string change =
      R"({"old_password":"sai mật khẩu","new_password":"Mật khẩu mới dài 2026"})";
  // Reads need no token.
  EXPECT_EQ(Do(beast_http::verb::get, "/api/v1/dossiers", "", {{"Cookie", cookie2}}).response.status,
            200u);
  // Writes without the token, with a wrong one, with another session's, or from another
  // origin: refused before anything runs.
  for (const auto& headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"Cookie", cookie2}},
           {{"Cookie", cookie2}, {"X-CSRF-Token", "forged"}},
           {{"Cookie", cookie2}, {"X-CSRF-Token", csrf}},
           {{"Cookie", cookie2}, {"X-CSRF-Token", csrf2}, {"Origin", "https://evil.example"}},
       }) {
    Sent r = Do(beast_http::verb::post, "/api/v1/me/password", change, headers);
    EXPECT_EQ(r.response.status, 403u) << r.response.body;
    EXPECT_EQ(r.Code(), "auth.csrf");
  }
  // With the token (and our own origin) the request reaches the use case (which refuses the
  // wrong old password: proof that it ran).
  Sent ok = Do(beast_http::verb::post, "/api/v1/me/password", change,
               {{"Cookie", cookie2}, {"X-CSRF-Token", csrf2}, {"Origin", "http://localhost:8080"}});
  EXPECT_EQ(ok.Code(), "auth.bad_credentials") << ok.response.body;
  // API tokens are not ambient credentials: no CSRF token needed.
  app::Actor cli = app::Actor::System();
  cli.via = "cli";
  auto token = accounts_->IssueApiToken(cli, "kiosk", "99501", {"one_stop_officer"},
                                        {"dossiers:read", "dossiers:write"}, std::nullopt);
  ASSERT_TRUE(token.has_value());
  Sent bearer = Do(beast_http::verb::post, "/api/v1/dossiers/99501-260302-0001/refuse",
                   R"({"reason":"x"})", {{"Authorization", "Bearer " + token->token}});
  EXPECT_EQ(bearer.Code(), "dossier.not_found");
}

TEST_F(SessionApiTest, SessionsExpireAndSignOutEndsThem) {
  auto [cookie, csrf] = SignIn();
  EXPECT_EQ(Do(beast_http::verb::get, "/api/v1/session", "", {{"Cookie", cookie}}).response.status,
            200u);
  clock_.Advance(31LL * 60 * 1'000'000);  // idle past 30 minutes
  Sent expired = Do(beast_http::verb::get, "/api/v1/session", "", {{"Cookie", cookie}});
  EXPECT_EQ(expired.response.status, 401u);
  EXPECT_EQ(expired.Code(), "auth.expired");
  auto [cookie2, csrf2] = SignIn();
  Sent out = Do(beast_http::verb::delete_, "/api/v1/session", "",
                {{"Cookie", cookie2}, {"X-CSRF-Token", csrf2}});
  EXPECT_EQ(out.response.status, 204u) << out.response.body;
  EXPECT_TRUE(out.response.body.empty()) << "204 has no body: " << out.response.body;
  EXPECT_NE(Header(out.response, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  Sent after = Do(beast_http::verb::get, "/api/v1/session", "", {{"Cookie", cookie2}});
  EXPECT_EQ(after.response.status, 401u);
  EXPECT_EQ(after.Code(), "auth.invalid");
}

}  // namespace
}  // namespace motcua::http
