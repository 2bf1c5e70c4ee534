// The JSON log lines: structure, escaping, masking of ID and phone numbers, and the conversion of
// older free-form lines.
#include "http/detail/log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <mutex>
#include <string>
#include <vector>

namespace motcua::http::detail {
namespace {

namespace bj = boost::json;

bj::object ParseLine(const std::string& line) {
  boost::system::error_code ec;
  bj::value v = bj::parse(line, ec);
  EXPECT_FALSE(ec) << line;
  EXPECT_TRUE(v.is_object()) << line;
  return v.is_object() ? v.get_object() : bj::object{};
}

TEST(MaskDigitsTest, MasksRunsOfNineToTwelveDigitsKeepingTheLastThree) {
  EXPECT_EQ(MaskDigits("/api/v1/citizens/012345678901"), "/api/v1/citizens/*********901");
  EXPECT_EQ(MaskDigits("012345678901"), "*********901");        // CCCD, 12 digits
  EXPECT_EQ(MaskDigits("cmnd 123456789 ok"), "cmnd ******789 ok");  // CMND, 9 digits
  EXPECT_EQ(MaskDigits("tel 0912345678."), "tel *******678.");   // phone, 10 digits
  EXPECT_EQ(MaskDigits("+84912345678"), "+********678");         // 11 digits
  EXPECT_EQ(MaskDigits("a051095000123b001203004567"), "a*********123b*********567");
  // Shorter and longer runs stay: dates, dossier codes, counters, microsecond timestamps.
  EXPECT_EQ(MaskDigits("99501-260303-0001"), "99501-260303-0001");
  EXPECT_EQ(MaskDigits("12345678"), "12345678");
  EXPECT_EQ(MaskDigits("1772503200000000"), "1772503200000000");
  EXPECT_EQ(MaskDigits("1234567890123"), "1234567890123");
  EXPECT_EQ(MaskDigits(""), "");
}

TEST(SanitizeTest, EscapesWhatCouldForgeALine) {
  EXPECT_EQ(Sanitize("a\nb\"c\\d\xc3\xa9"), "a\\x0ab\\x22c\\x5cd\\xc3\\xa9");
  EXPECT_EQ(Sanitize(std::string(300, 'x'), 10), std::string(10, 'x') + "...");
}

TEST(LogRecordTest, OneJsonObjectWithMaskedCleanedValues) {
  const std::string json = LogRecord(Level::kInfo, "access")
                               .Str("path", "/api/v1/citizens/012345678901\n{\"forged\":1}")
                               .Int("status", 200)
                               .Bool("tls", true)
                               .Json();
  EXPECT_EQ(json.find('\n'), std::string::npos);
  bj::object o = ParseLine(json);
  EXPECT_EQ(o.at("level").as_string(), "info");
  EXPECT_EQ(o.at("event").as_string(), "access");
  EXPECT_EQ(o.at("status").as_int64(), 200);
  EXPECT_TRUE(o.at("tls").as_bool());
  EXPECT_EQ(o.at("path").as_string(), "/api/v1/citizens/*********901\\x0a{\\x22forged\\x22:1}");
  EXPECT_FALSE(o.contains("forged"));
  // "2026-03-03T02:00:00.123Z"
  const std::string ts(o.at("ts").as_string());
  ASSERT_EQ(ts.size(), 24u) << ts;
  EXPECT_EQ(ts[4], '-');
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts[19], '.');
  EXPECT_EQ(ts.back(), 'Z');
}

TEST(LogRecordTest, AValueCutShortIsStillMasked) {
  // The 12-digit number straddles the cut: masking happens before cutting.
  const std::string path = std::string(190, 'a') + "012345678901";
  bj::object o = ParseLine(LogRecord(Level::kWarn, "x").Str("path", path).Json());
  const std::string v(o.at("path").as_string());
  EXPECT_EQ(v.find("0123456"), std::string::npos) << v;
  EXPECT_EQ(o.at("level").as_string(), "warn");
}

TEST(LegacyLineTest, KeyValueLinesBecomeFields) {
  bj::object e = ParseLine(LegacyLineToJson(
      "error request_id=ab12-000001 status=404 key=dossier.not_found code=NotFound "
      "detail=\"no dossier 99501-260303-0001 for 012345678901\""));
  EXPECT_EQ(e.at("event").as_string(), "error");
  EXPECT_EQ(e.at("level").as_string(), "info");  // a 4xx is the client's business
  EXPECT_EQ(e.at("request_id").as_string(), "ab12-000001");
  EXPECT_EQ(e.at("status").as_int64(), 404);
  EXPECT_EQ(e.at("key").as_string(), "dossier.not_found");
  EXPECT_EQ(e.at("detail").as_string(), "no dossier 99501-260303-0001 for *********901");
  bj::object internal =
      ParseLine(LegacyLineToJson("error request_id=x status=500 key=internal code=Internal"));
  EXPECT_EQ(internal.at("level").as_string(), "error");
}

TEST(LegacyLineTest, OtherLinesBecomeMessages) {
  bj::object w = ParseLine(LegacyLineToJson("warning: token file /x/tokens.json is readable"));
  EXPECT_EQ(w.at("event").as_string(), "message");
  EXPECT_EQ(w.at("level").as_string(), "warn");
  EXPECT_EQ(w.at("msg").as_string(), "warning: token file /x/tokens.json is readable");
  bj::object odd = ParseLine(LegacyLineToJson("phone 0912345678 \x01\"x\""));
  EXPECT_EQ(odd.at("event").as_string(), "message");
  EXPECT_EQ(odd.at("msg").as_string(), "phone *******678 \\x01\\x22x\\x22");
}

TEST(LogSinkTest, LinesGoToTheInstalledSink) {
  std::vector<std::string> lines;
  std::mutex mu;
  SetLogSink([&](std::string_view l) {
    std::lock_guard<std::mutex> lock(mu);
    lines.emplace_back(l);
  });
  LogLine("start port=8080");
  LogRecord(Level::kError, "boom").Str("id", "012345678901").Emit();
  SetLogSink({});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(ParseLine(lines[0]).at("port").as_int64(), 8080);
  EXPECT_EQ(ParseLine(lines[1]).at("id").as_string(), "*********901");
}

}  // namespace
}  // namespace motcua::http::detail
