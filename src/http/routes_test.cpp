// The router (patterns, decoded parameters, 404 versus 405 with the allowed methods) and the JSON
// codecs (strict field reading, instants, ID masking).
#include "http/routes.h"

#include <gtest/gtest.h>

#include "http/codec.h"

namespace motcua::http {
namespace {

namespace bj = boost::json;
using beast_http::verb;

Handler Named(std::string name) {
  return [name](Call&) -> Result<Reply> { return Reply{200, bj::value(name), {}}; };
}

TEST(RouterTest, MatchesPatternsAndReportsAllowedMethods) {
  Router r;
  r.Add(verb::get, "/api/v1/dossiers", Named("list"));
  r.Add(verb::post, "/api/v1/dossiers", Named("submit"));
  r.Add(verb::get, "/api/v1/dossiers/{code}", Named("get"));
  r.Add(verb::post, "/api/v1/dossiers/{code}/receive", Named("receive"));

  auto m = r.Find(verb::get, {"api", "v1", "dossiers", "99501-260303-0001"});
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.params.at("code"), "99501-260303-0001");
  EXPECT_NE(r.Find(verb::head, {"api", "v1", "dossiers"}).handler, nullptr);
  EXPECT_NE(r.Find(verb::post, {"api", "v1", "dossiers", "X", "receive"}).handler, nullptr);

  auto not_allowed = r.Find(verb::delete_, {"api", "v1", "dossiers"});
  EXPECT_EQ(not_allowed.handler, nullptr);
  EXPECT_EQ(AllowHeader(not_allowed.allowed), "GET, HEAD, POST");
  auto none = r.Find(verb::get, {"api", "v1", "nothing"});
  EXPECT_EQ(none.handler, nullptr);
  EXPECT_TRUE(none.allowed.empty());
  // An empty segment never fills a parameter.
  EXPECT_TRUE(r.Find(verb::get, {"api", "v1", "dossiers", ""}).allowed.empty());
  EXPECT_TRUE(r.Find(verb::get, {"api", "v1", "dossiers", "a", "b"}).allowed.empty());
}

TEST(FieldReaderTest, StrictTypesAndBounds) {
  bj::object o{{"s", "abc"},
               {"n", 1},
               {"b", true},
               {"ctl", "a\x01z"},
               {"nl", "a\nb"},
               {"arr", bj::array{"x", "y"}},
               {"bad", bj::array{"x", 1}}};
  FieldReader r(o, "body");
  EXPECT_EQ(*r.Required("s", FieldReader::Kind::kCode), "abc");
  EXPECT_EQ(r.Required("n", FieldReader::Kind::kCode).error().params[0].second, "body.n");
  EXPECT_EQ(r.Required("missing", FieldReader::Kind::kCode).error().key, "json.bad_field");
  EXPECT_EQ(*r.Optional("missing", FieldReader::Kind::kCode, "d"), "d");
  EXPECT_FALSE(r.Optional("b", FieldReader::Kind::kCode).has_value());
  EXPECT_TRUE(*r.Bool("b", false));
  EXPECT_FALSE(r.Bool("s", false).has_value());
  EXPECT_FALSE(r.Required("ctl", FieldReader::Kind::kText).has_value());
  EXPECT_TRUE(r.Required("nl", FieldReader::Kind::kText).has_value());
  EXPECT_FALSE(r.Required("nl", FieldReader::Kind::kLine).has_value());
  EXPECT_EQ(r.Strings("arr", FieldReader::Kind::kCode)->size(), 2u);
  auto bad = r.Strings("bad", FieldReader::Kind::kCode);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().params[0].second, "body.bad[1]");
  EXPECT_FALSE(r.Only({"s"}).has_value());
  EXPECT_TRUE(r.Only({"s", "n", "b", "ctl", "nl", "arr", "bad"}).has_value());
  bj::object big{{"s", std::string(kMaxCodeBytes + 1, 'a')}};
  EXPECT_FALSE(FieldReader(big).Required("s", FieldReader::Kind::kCode).has_value());
}

TEST(CodecTest, InstantsBecomeIsoAndVietnameseDisplay) {
  const Timestamp t = FromVietnamLocal({2026, 3, 3}, 9 * 60 + 5);
  bj::value v = bj::object{{"due_at", t.us},
                           {"received_at", nullptr},
                           {"steps", bj::array{bj::object{{"started_at", t.us}}}},
                           {"amount", 8000}};
  ConvertInstants(v);
  EXPECT_EQ(v.at("due_at").as_string(), "2026-03-03T02:05:00.000000Z");
  EXPECT_EQ(v.at("due_at_vi").as_string(), "03/03/2026 09:05");
  EXPECT_TRUE(v.at("received_at").is_null());
  EXPECT_TRUE(v.at("received_at_vi").is_null());
  EXPECT_EQ(v.at("steps").at(0).at("started_at_vi").as_string(), "03/03/2026 09:05");
  EXPECT_EQ(v.at("amount").as_int64(), 8000);
}

TEST(CodecTest, MasksTheIdNumberEverywhere) {
  bj::value v = bj::object{{"applicant", bj::object{{"id_number", "051095000123"}}},
                           {"by", "citizen:051095000123"},
                           {"list", bj::array{"x051095000123y051095000123"}}};
  MaskIdNumber(v, "051095000123");
  const std::string s = bj::serialize(v);
  EXPECT_EQ(s.find("051095000123"), std::string::npos) << s;
  EXPECT_EQ(v.at("by").as_string(), "citizen:05********23");
}

TEST(CodecTest, SubmitBodyIsDecodedStrictly) {
  auto ok = DecodeSubmit(bj::parse(R"({"procedure_code": "1.001193", "channel": "online",
      "applicant": {"id_number": "051095000123", "name": "An"}, "receiving_unit": "99501",
      "components": [{"code": "TK"}, {"code": "GCS", "reused_from": "kho_du_lieu"}],
      "fee_conditions": ["late_registration"]})")
                             .as_object());
  ASSERT_TRUE(ok.has_value()) << ok.error().ToString();
  EXPECT_EQ(ok->applicant.kind, "person");
  EXPECT_EQ(ok->components.size(), 2u);
  EXPECT_EQ(ok->components[1].reused_from, "kho_du_lieu");
  EXPECT_FALSE(ok->receive_now);
  auto no_applicant = DecodeSubmit(
      bj::parse(R"({"procedure_code": "1", "channel": "online", "receiving_unit": "u"})")
          .as_object());
  ASSERT_FALSE(no_applicant.has_value());
  EXPECT_EQ(no_applicant.error().params[0].second, "applicant");
}

}  // namespace
}  // namespace motcua::http
