// `motcua pay vietqr|vietqr-parse`, directly and through the command dispatcher: the reference
// payload of ../shared/reference/vietqr.md, diacritics folded, and bad usage as JSON with exit 2.
#include "cli/pay_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "base/json.h"
#include "cli/commands.h"

namespace motcua::cli {
namespace {

struct Out {
  int code;
  std::string out, err;
};

Out Pay(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = RunPayCommand(args, out, err);
  return {code, out.str(), err.str()};
}

Out Motcua(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = Run(args, out, err);
  return {code, out.str(), err.str()};
}

constexpr const char* kReference =
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA53037045406120000"
    "5802VN62170813ung ho lu lut6304C15C";

// The error JSON's code; fails the test when `err` is not {"code","message"}.
std::string ErrorCode(const Out& r) {
  auto doc = json::Parse(r.err.substr(0, r.err.find('\n')));
  EXPECT_TRUE(doc.has_value()) << r.err;
  if (!doc || !doc->is_object()) return {};
  EXPECT_TRUE(doc->as_object().contains("message")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  const auto* code = doc->as_object().if_contains("code");
  return code != nullptr && code->is_string() ? std::string(code->get_string()) : std::string();
}

TEST(PayCommandTest, PrintsTheReferencePayload) {
  Out r = Motcua({"pay", "vietqr", "--bank", "970415", "--account", "0011001932418", "--amount",
                  "120000", "--ref", "ủng hộ lũ lụt"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kReference) + "\n");
  EXPECT_TRUE(r.err.empty());

  Out fixed = Pay({"vietqr", "--static", "--bank", "970415", "--account", "0011001932418"});
  ASSERT_EQ(fixed.code, 0) << fixed.err;
  EXPECT_EQ(fixed.out,
            "00020101021138570010A00000072701270006970415011300110019324180208QRIBFTTA53037045802VN"
            "6304635F\n");

  Out svg = Pay({"vietqr", "--bank", "970415", "--account", "0011001932418", "--svg"});
  ASSERT_EQ(svg.code, 0) << svg.err;
  EXPECT_TRUE(svg.out.starts_with("<svg")) << svg.out.substr(0, 40);
}

TEST(PayCommandTest, ParsesAPayloadIntoJson) {
  Out r = Motcua({"pay", "vietqr-parse", kReference});
  ASSERT_EQ(r.code, 0) << r.err;
  auto doc = json::Parse(r.out);
  ASSERT_TRUE(doc.has_value()) << r.out;
  EXPECT_EQ(doc->at("bin").as_string(), "970415");
  EXPECT_EQ(doc->at("account").as_string(), "0011001932418");
  EXPECT_EQ(doc->at("amount").as_int64(), 120000);
  EXPECT_EQ(doc->at("purpose").as_string(), "ung ho lu lut");
  EXPECT_EQ(doc->at("service").as_string(), "QRIBFTTA");
  EXPECT_TRUE(doc->at("dynamic").as_bool());

  std::string tampered = kReference;
  tampered.replace(tampered.find("120000"), 6, "130000");
  Out bad = Pay({"vietqr-parse", tampered});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(ErrorCode(bad), "vietqr.bad_crc");
  EXPECT_EQ(ErrorCode(Pay({"vietqr-parse"})), "cli.missing_argument");
}

TEST(PayCommandTest, BadUsageIsJsonWithExit2) {
  const std::vector<std::string> base = {"vietqr", "--bank", "970415", "--account",
                                         "0011001932418"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return Pay(a);
  };
  struct Case {
    std::vector<std::string> args;
    std::string code;
  };
  for (const Case& c : std::vector<Case>{
           {{"vietqr", "--bank", "97041", "--account", "1"}, "vietqr.bad_bin"},
           {{"vietqr", "--bank", "970415", "--account", "0011-0019"}, "vietqr.bad_account"},
           {{"vietqr", "--account", "1"}, "cli.missing_argument"},
           {{"vietqr", "--bank", "970415"}, "cli.missing_argument"},
           {{"vietqr", "--bank"}, "cli.missing_argument"},
       }) {
    Out r = Pay(c.args);
    EXPECT_EQ(r.code, 2) << c.code;
    EXPECT_EQ(ErrorCode(r), c.code);
  }
  for (const char* amount : {"0", "-5", "12.5", "abc", "", "99999999999999"}) {
    Out r = with({"--amount", amount});
    EXPECT_EQ(r.code, 2) << amount;
    EXPECT_EQ(ErrorCode(r), "vietqr.bad_amount") << amount;
  }
  EXPECT_EQ(ErrorCode(with({"--color", "red"})), "cli.unknown_flag");
  EXPECT_EQ(ErrorCode(with({"--static", "--static"})), "cli.duplicate_flag");
  EXPECT_EQ(ErrorCode(with({"--service", "QRPAY"})), "vietqr.bad_service");
  EXPECT_EQ(ErrorCode(with({"--ref", std::string(30, 'x')})), "vietqr.bad_purpose");
  Out unknown = with({"--frobnicate"});
  EXPECT_EQ(unknown.code, 2);
  // The message is Vietnamese, then English.
  auto doc = json::Parse(unknown.err);
  ASSERT_TRUE(doc.has_value());
  const std::string message(doc->at("message").as_string());
  EXPECT_NE(message.find("Tham số"), std::string::npos) << message;
  EXPECT_NE(message.find(" / Unknown"), std::string::npos) << message;

  // Not ours: -1 without a word; the dispatcher reports it.
  Out other = Pay({"refund"});
  EXPECT_EQ(other.code, -1);
  EXPECT_TRUE(other.out.empty() && other.err.empty());
  EXPECT_EQ(Pay({}).code, -1);
  Out dispatched = Motcua({"pay", "refund"});
  EXPECT_EQ(dispatched.code, 2);
  EXPECT_NE(dispatched.err.find("unknown pay subcommand"), std::string::npos);
  EXPECT_EQ(Motcua({"pay"}).code, 2);
}

}  // namespace
}  // namespace motcua::cli
