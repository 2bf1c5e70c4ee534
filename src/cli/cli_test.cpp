// The `motcua` command end to end on a temporary SQLite directory: init, demo, verify, rebuild,
// export (re-checking the hash chain from the exported lines alone), calendar, and bad usage.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "base/json.h"
#include "cli/commands.h"
#include "sign/document.h"
#include "store/sqlite/testing_sqlite.h"
#include "store/store.h"
#include "store/testing.h"

namespace motcua::cli {
namespace {

namespace fs = std::filesystem;

struct Out {
  int code;
  std::string out, err;
};

Out Cmd(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = Run(args, out, err);
  return {code, out.str(), err.str()};
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("motcua-cli-" + std::to_string(rd()));
    data_ = fs::path(std::getenv("MOTCUA_SOURCE_DIR")) / "data";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_, data_;
};

TEST_F(CliTest, DemoVerifyRebuildExport) {
  Out demo = Cmd({"demo", "--dir", dir_.string(), "--data", data_.string(), "--dossiers", "80",
                  "--seed", "5", "--until", "2025-03-31"});
  ASSERT_EQ(demo.code, 0) << demo.err;
  auto stats = json::Parse(demo.out);
  ASSERT_TRUE(stats.has_value()) << demo.out;
  EXPECT_EQ(stats->at("dossiers").as_int64(), 80);
  // The demo's credentials and the secret key are private to their owner.
  for (const char* name : {"credentials.json", "secret.key"}) {
    ASSERT_TRUE(fs::exists(dir_ / name)) << name;
    EXPECT_EQ(
        fs::status(dir_ / name).permissions() & (fs::perms::group_all | fs::perms::others_all),
        fs::perms::none)
        << name;
  }
  std::ifstream cred_in(dir_ / "credentials.json");
  std::string cred_text((std::istreambuf_iterator<char>(cred_in)), {});
  auto creds = json::Parse(cred_text);
  ASSERT_TRUE(creds.has_value());
  EXPECT_GE(creds->at("officers").as_array().size(), 10u);
  EXPECT_EQ(creds->at("tokens").as_array().size(), 2u);

  // Tokens from the command line: shown once, recorded in the trail, revocable.
  Out issued =
      Cmd({"token", "issue", "--dir", dir_.string(), "--data", data_.string(), "--name", "dong-bo",
           "--unit", "99", "--roles", "province_admin", "--scopes", "events:read"});
  ASSERT_EQ(issued.code, 0) << issued.err;
  auto token = json::Parse(issued.out);
  ASSERT_TRUE(token.has_value()) << issued.out;
  EXPECT_TRUE(std::string(token->at("token").as_string()).starts_with("mct_"));
  Out bad_scope = Cmd({"token", "issue", "--dir", dir_.string(), "--data", data_.string(), "--name",
                       "x", "--unit", "99", "--roles", "province_admin", "--scopes", "all"});
  EXPECT_EQ(bad_scope.code, 1);
  Out trail = Cmd({"audit", "query", "--dir", dir_.string(), "--type", "ActionAudited"});
  ASSERT_EQ(trail.code, 0) << trail.err;
  EXPECT_NE(trail.out.find("api_token.manage"), std::string::npos);
  EXPECT_EQ(trail.out.find(std::string(token->at("token").as_string())), std::string::npos);
  Out revoked = Cmd({"token", "revoke", "--dir", dir_.string(), "--data", data_.string(), "--id",
                     std::string(token->at("token_id").as_string())});
  EXPECT_EQ(revoked.code, 0) << revoked.err;
  Out chain = Cmd({"audit", "verify", "--dir", dir_.string()});
  EXPECT_EQ(chain.code, 0) << chain.err;

  // A second demo into the same directory is refused without --reset.
  Out again = Cmd({"demo", "--dir", dir_.string(), "--data", data_.string(), "--dossiers", "5"});
  EXPECT_EQ(again.code, 2);

  Out verify = Cmd({"verify", "--dir", dir_.string()});
  ASSERT_EQ(verify.code, 0) << verify.err;
  EXPECT_EQ(json::Parse(verify.out)->at("mismatches").as_int64(), 0);

  Out rebuild = Cmd({"rebuild", "--dir", dir_.string(), "--data", data_.string()});
  ASSERT_EQ(rebuild.code, 0) << rebuild.err;
  EXPECT_EQ(Cmd({"verify", "--dir", dir_.string()}).code, 0);

  const fs::path out = dir_ / "events.jsonl";
  Out exp = Cmd({"export", "events", "--dir", dir_.string(), "--out", out.string()});
  ASSERT_EQ(exp.code, 0) << exp.err;
  // Re-check the chain from the export alone.
  std::ifstream in(out);
  std::string line, prev(store::kGenesisHash);
  int64_t n = 0;
  while (std::getline(in, line)) {
    auto v = json::Parse(line);
    ASSERT_TRUE(v.has_value()) << line;
    const auto& o = v->as_object();
    ASSERT_EQ(o.at("seq").as_int64(), n + 1);
    EXPECT_EQ(o.at("prev_hash").as_string(), prev);
    const std::string text = CanonicalEventText(
        o.at("seq").as_int64(), std::string(o.at("stream").as_string()),
        std::string(o.at("type").as_string()), static_cast<int>(o.at("version").as_int64()),
        std::string(o.at("unit").as_string()), std::string(o.at("actor").as_string()),
        Timestamp{o.at("at_us").as_int64()}, boost::json::serialize(o.at("payload")));
    EXPECT_EQ(store::ChainHash(prev, text), o.at("hash").as_string()) << "seq " << n + 1;
    prev = std::string(o.at("hash").as_string());
    ++n;
  }
  EXPECT_EQ(n, json::Parse(verify.out)->at("events").as_int64());
}

TEST_F(CliTest, VerifyFailsOnATamperedLog) {
  ASSERT_EQ(Cmd({"demo", "--dir", dir_.string(), "--data", data_.string(), "--dossiers", "20",
                 "--until", "2025-02-28"})
                .code,
            0);
  ASSERT_TRUE(store::sqlite::TamperWithEvent(dir_.string(), 500, R"({"x":1})").has_value());
  Out verify = Cmd({"verify", "--dir", dir_.string()});
  EXPECT_EQ(verify.code, 1);
  EXPECT_NE(verify.err.find("store.chain_broken"), std::string::npos) << verify.err;
  // Rebuild refuses to replay a broken log.
  EXPECT_EQ(Cmd({"rebuild", "--dir", dir_.string(), "--data", data_.string()}).code, 1);
}

TEST_F(CliTest, BadUsage) {
  EXPECT_EQ(Cmd({}).code, 2);
  EXPECT_EQ(Cmd({"frobnicate"}).code, 2);
  EXPECT_EQ(Cmd({"demo", "--dossiers", "lots"}).code, 2);
  EXPECT_EQ(Cmd({"demo", "--dossiers", "-5", "--dir", dir_.string()}).code, 2);
  EXPECT_EQ(Cmd({"verify", "--dir", dir_.string(), "--bogus", "1"}).code, 2);
  EXPECT_EQ(Cmd({"verify", "--dir", "a", "--db", "dbname=x"}).code, 2);
  EXPECT_EQ(Cmd({"export", "things", "--dir", dir_.string()}).code, 2);
  EXPECT_EQ(Cmd({"export", "events", "--dir", dir_.string(), "--after", "abc"}).code, 2);
  for (const char* bad : {"2025-13-01", "yesterday", "2025-02-30", ""}) {
    EXPECT_EQ(Cmd({"demo", "--dir", dir_.string(), "--until", bad}).code, 2) << bad;
  }
  EXPECT_FALSE(fs::exists(dir_ / "motcua.db"));  // refused before anything was created
  EXPECT_EQ(Cmd({"init", "--dir"}).code, 2);
  // Verifying a directory that was never initialised is a clear failure, not a new database.
  Out v = Cmd({"verify", "--dir", (dir_ / "none").string()});
  EXPECT_EQ(v.code, 1);
  EXPECT_NE(v.err.find("store.not_initialised"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "none" / "motcua.db"));
  EXPECT_EQ(Cmd({"help"}).code, 0);
}

TEST_F(CliTest, TotpPrintsTheCurrentCodeAndRefusesBadSecrets) {
  Out ok = Cmd({"totp", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  ASSERT_EQ(ok.out.size(), 7u) << ok.out;  // six digits and a newline
  EXPECT_EQ(ok.out.find_first_not_of("0123456789"), 6u);
  EXPECT_EQ(Cmd({"totp"}).code, 2);
  EXPECT_EQ(Cmd({"totp", "A", "B"}).code, 2);
  for (const std::string& bad :
       std::vector<std::string>{"not base32!", "JBSWY3DP", std::string(5000, '1'), ""}) {
    Out r = Cmd({"totp", bad});
    EXPECT_NE(r.code, 0) << bad.substr(0, 20);
    EXPECT_TRUE(r.out.empty()) << bad.substr(0, 20);
    EXPECT_NE(r.err.find("secure."), std::string::npos) << r.err;
  }
}

TEST_F(CliTest, Calendar) {
  Out h = Cmd({"calendar", "holidays", "2025", "--data", data_.string()});
  ASSERT_EQ(h.code, 0) << h.err;
  EXPECT_NE(h.out.find("2025-01-29"), std::string::npos);  // Tết Ất Tỵ
  Out bad = Cmd({"calendar", "holidays", "1800", "--data", data_.string()});
  EXPECT_EQ(bad.code, 2);
}

TEST_F(CliTest, PkiIssuesSignsVerifiesAndRevokes) {
  const std::string dir = dir_.string(), data = data_.string();
  ASSERT_EQ(Cmd({"init", "--dir", dir, "--data", data}).code, 0);
  Out init = Cmd({"pki", "init", "--dir", dir, "--data", data, "--algorithm", "p256"});
  ASSERT_EQ(init.code, 0) << init.err;
  EXPECT_NE(init.out.find("\"kind\":\"root_ca\""), std::string::npos) << init.out;
  EXPECT_EQ(Cmd({"pki", "init", "--dir", dir, "--data", data}).code, 1);  // already set up
  Out seal = Cmd({"pki", "issue", "--dir", dir, "--data", data, "--holder", "unit:99501", "--kind",
                  "organisation", "--identifier", "MNS:1234567", "--algorithm", "p256"});
  ASSERT_EQ(seal.code, 0) << seal.err;
  auto cert = json::Parse(seal.out);
  ASSERT_TRUE(cert.has_value()) << seal.out;
  const std::string serial(cert->at("serial").as_string());

  const fs::path plain = dir_ / "plain.pdf", signed_pdf = dir_ / "signed.pdf",
                 text = dir_ / "x.txt";
  std::ofstream(plain, std::ios::binary)
      << sign::RenderDocument({.unit = "UBND", .title = "Thông báo", .paragraphs = {"Nội dung."}})
             .value();
  std::ofstream(text) << "not a pdf";
  Out signed_out = Cmd({"pki", "sign", plain.string(), "--dir", dir, "--data", data, "--holder",
                        "unit:99501", "--out", signed_pdf.string()});
  ASSERT_EQ(signed_out.code, 0) << signed_out.err;
  Out valid = Cmd({"pki", "verify", signed_pdf.string(), "--dir", dir, "--data", data});
  EXPECT_EQ(valid.code, 0) << valid.out << valid.err;
  EXPECT_NE(valid.out.find("\"verdict\":\"valid\""), std::string::npos) << valid.out;
  Out unsigned_out = Cmd({"pki", "verify", plain.string(), "--dir", dir, "--data", data});
  EXPECT_EQ(unsigned_out.code, 3);
  EXPECT_NE(unsigned_out.out.find("\"verdict\":\"unsigned\""), std::string::npos);
  Out not_pdf = Cmd({"pki", "verify", text.string(), "--dir", dir, "--data", data});
  EXPECT_EQ(not_pdf.code, 1);
  EXPECT_NE(not_pdf.err.find("pdf.not_pdf"), std::string::npos) << not_pdf.err;
  Out missing = Cmd({"pki", "verify", (dir_ / "none.pdf").string(), "--dir", dir, "--data", data});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("cli.cannot_read"), std::string::npos) << missing.err;

  // Revoked: the seal cannot sign any more; the CRL lists it.
  Out revoked = Cmd({"pki", "revoke", "--dir", dir, "--data", data, "--serial", serial, "--reason",
                     "Đổi con dấu", "--key-compromise"});
  ASSERT_EQ(revoked.code, 0) << revoked.err;
  Out refused = Cmd({"pki", "sign", plain.string(), "--dir", dir, "--data", data, "--holder",
                     "unit:99501", "--out", (dir_ / "again.pdf").string()});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("pki.certificate_revoked"), std::string::npos) << refused.err;
  Out crl = Cmd({"pki", "crl", "--dir", dir, "--data", data, "--out", (dir_ / "crl.der").string()});
  EXPECT_EQ(crl.code, 0) << crl.err;
  EXPECT_GT(fs::file_size(dir_ / "crl.der"), 100u);

  // Bad usage.
  EXPECT_EQ(Cmd({"pki", "nope", "--dir", dir}).code, 2);
  EXPECT_EQ(Cmd({"pki", "issue", "--dir", dir, "--data", data, "--kind", "personal"}).code, 2);
  EXPECT_EQ(Cmd({"pki", "issue", "--dir", dir, "--data", data, "--kind", "personal", "--holder",
                 "officer:x", "--years", "abc"})
                .code,
            2);
  EXPECT_EQ(Cmd({"pki", "issue", "--dir", dir, "--data", data, "--kind", "seal", "--holder",
                 "unit:99501"})
                .code,
            1);
  EXPECT_EQ(Cmd({"pki", "sign", "--dir", dir, "--data", data, "--holder", "unit:99501"}).code, 2);
  EXPECT_EQ(Cmd({"pki", "list", "--dir", dir, "--bogus", "1"}).code, 2);
}

TEST_F(CliTest, DemoPaysAndPayReconcileListsWhatDoesNotMatch) {
  Out demo = Cmd({"demo", "--dir", dir_.string(), "--data", data_.string(), "--dossiers", "120",
                  "--seed", "7", "--until", "2025-03-31"});
  ASSERT_EQ(demo.code, 0) << demo.err;
  // The demo's payment settings hold secrets: private to their owner.
  ASSERT_TRUE(fs::exists(dir_ / "payment.json"));
  EXPECT_EQ(fs::status(dir_ / "payment.json").permissions() &
                (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
  // The demo pays what it returns: online payments are in the log.
  Out events = Cmd(
      {"audit", "query", "--dir", dir_.string(), "--type", "PaymentSucceeded", "--limit", "1000"});
  ASSERT_EQ(events.code, 0) << events.err;
  ASSERT_NE(events.out.find("PaymentSucceeded"), std::string::npos) << events.out.substr(0, 300);
  // A statement of a day with one credit nobody recorded.
  const fs::path csv = dir_ / "sao-ke.csv";
  std::ofstream(csv) << "transaction_id,date,amount,reference\nFT1,02/01/2025,75.000,MC1234567\n";
  Out rec = Cmd({"pay", "reconcile", "--dir", dir_.string(), "--data", data_.string(), "--date",
                 "2025-01-02", "--file", csv.string()});
  ASSERT_EQ(rec.code, 0) << rec.err;
  auto report = json::Parse(rec.out);
  ASSERT_TRUE(report.has_value()) << rec.out;
  bool unknown = false;
  for (const auto& m : report->at("mismatches").as_array()) {
    unknown |= m.at("kind").as_string() == "paid_but_unknown" &&
               m.at("transaction_id").as_string() == "FT1";
  }
  EXPECT_TRUE(unknown) << rec.out;
  std::ofstream(csv) << "transaction_id,date,amount,reference\nFT1,02/01/2025,abc,MC1234567\n";
  Out bad = Cmd({"pay", "reconcile", "--dir", dir_.string(), "--data", data_.string(), "--date",
                 "2025-01-02", "--file", csv.string()});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("statement.bad_amount"), std::string::npos) << bad.err;
  EXPECT_EQ(Cmd({"pay", "reconcile", "--dir", dir_.string(), "--date", "2025-13-02", "--file",
                 csv.string()})
                .code,
            2);
  EXPECT_EQ(
      Cmd({"pay", "reconcile", "--dir", dir_.string(), "--date", "2025-01-02", "--bogus", "x"})
          .code,
      2);
  Out verify = Cmd({"verify", "--dir", dir_.string()});
  EXPECT_EQ(verify.code, 0) << verify.err << verify.out;
}

}  // namespace
}  // namespace motcua::cli
