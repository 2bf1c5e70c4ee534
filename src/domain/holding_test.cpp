// The applicant's data store: which events file which documents, their validity, and the
// catalogue's document kinds.
#include "domain/holding.h"

#include <gtest/gtest.h>

#include "domain/procedures.h"

namespace motcua::domain {
namespace {

namespace bj = boost::json;

FileRef File(std::string id) {
  return FileRef{id, id + ".pdf", "application/pdf", 10, std::string(64, 'a')};
}

Dossier Received() {
  Dossier d;
  d.code = "99501-260310-0001";
  d.applicant.id_number = "001203004005";
  d.receiving_unit = "99501";
  d.competent_unit = "99502";
  d.result_name = "Giấy xác nhận tình trạng hôn nhân";
  d.result_doc_type = "xac_nhan_tinh_trang_hon_nhan";
  d.result_valid_months = 6;
  d.components = {
      // digitised ID card with a kind: filed
      {"GTTT", "Giấy tờ tùy thân", true, true, "", {File("f1")}, "giay_to_tuy_than"},
      // the form of this dossier: no kind, not filed
      {"TK", "Tờ khai", true, true, "", {File("f2")}, ""},
      // not digitised: not filed
      {"LH", "Giấy ly hôn", true, false, "", {File("f3")}, "giay_ly_hon"},
      // taken from the store already: not filed again
      {"XN",
       "Giấy xác nhận",
       true,
       true,
       "holding:r-x",
       {File("f4")},
       "xac_nhan_tinh_trang_hon_nhan"},
      // digitised but no file: nothing to file
      {"HC", "Hộ chiếu", true, true, "", {}, "ho_chieu"},
  };
  return d;
}

Event Ev(std::string type, Timestamp at) {
  Event e;
  e.type = std::move(type);
  e.stream = "dossier/99501-260310-0001";
  e.at = at;
  return e;
}

TEST(Holdings, ReceptionFilesDigitisedComponentsWithAKind) {
  const Dossier d = Received();
  const Timestamp at = FromVietnamLocal({2026, 3, 10}, 9 * 60);
  auto hs = HoldingsFiledBy(d, Ev("DossierReceived", at));
  ASSERT_EQ(hs.size(), 1u);
  EXPECT_EQ(hs[0].id, "c-99501-260310-0001-GTTT");
  EXPECT_EQ(hs[0].applicant, "001203004005");
  EXPECT_EQ(hs[0].doc_type, "giay_to_tuy_than");
  EXPECT_EQ(hs[0].source, HoldingSource::kComponent);
  EXPECT_EQ(hs[0].issuing_unit, "99501");
  EXPECT_EQ(hs[0].file.id, "f1");
  EXPECT_FALSE(hs[0].valid_until.has_value());
  // Other events of the dossier file nothing.
  EXPECT_TRUE(HoldingsFiledBy(d, Ev("StepCompleted", at)).empty());
}

TEST(Holdings, AnElectronicResultIsFiledWithItsValidity) {
  Dossier d = Received();
  const Timestamp at = FromVietnamLocal({2026, 3, 15}, 16 * 60);
  // Returned without an electronic result: nothing.
  EXPECT_TRUE(HoldingsFiledBy(d, Ev("DossierReturned", at)).empty());
  d.result_document = ResultDocument{"doc1", "ABCD", File("r1"), at};
  // Signed, not yet handed over (a fee may be due before return): not filed yet.
  EXPECT_TRUE(HoldingsFiledBy(d, Ev("ResultIssued", at)).empty());
  auto hs = HoldingsFiledBy(d, Ev("DossierReturned", Timestamp{at.us + 3 * kMicrosPerDay}));
  ASSERT_EQ(hs.size(), 1u);
  EXPECT_EQ(hs[0].id, "r-99501-260310-0001");
  EXPECT_EQ(hs[0].source, HoldingSource::kResult);
  EXPECT_EQ(hs[0].issuing_unit, "99502");
  EXPECT_EQ(hs[0].title, "Giấy xác nhận tình trạng hôn nhân");
  EXPECT_EQ(hs[0].issued_at, at);  // valid from its signing
  ASSERT_TRUE(hs[0].valid_until.has_value());
  EXPECT_EQ(FormatIsoDate(*hs[0].valid_until), "2026-09-15");
  EXPECT_TRUE(hs[0].ValidOn({2026, 9, 15}));
  EXPECT_FALSE(hs[0].ValidOn({2026, 9, 16}));
  // A result without a document kind is not filed.
  d.result_doc_type.clear();
  EXPECT_TRUE(HoldingsFiledBy(d, Ev("DossierReturned", at)).empty());
}

TEST(Holdings, JsonRoundTrip) {
  Dossier d = Received();
  const Timestamp at = FromVietnamLocal({2026, 3, 15}, 16 * 60);
  d.result_document = ResultDocument{"doc1", "ABCD", File("r1"), at};
  const Holding h = HoldingsFiledBy(d, Ev("DossierReturned", at)).at(0);
  auto back = Holding::FromJson(h.ToJson());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id, h.id);
  EXPECT_EQ(back->valid_until, h.valid_until);
  EXPECT_EQ(back->file, h.file);
  EXPECT_EQ(back->issued_at, h.issued_at);
  EXPECT_FALSE(Holding::FromJson(bj::object{{"id", "x"}}).has_value());
}

TEST(Holdings, ValidThroughCountsMonthsFromTheDayOfIssue) {
  EXPECT_EQ(ValidThrough({2026, 3, 15}, 6), (CivilDate{2026, 9, 15}));
  EXPECT_EQ(ValidThrough({2026, 8, 31}, 6), (CivilDate{2027, 2, 28}));  // no 31/02: the last day
  EXPECT_EQ(ValidThrough({2026, 1, 1}, 12), (CivilDate{2027, 1, 1}));
  EXPECT_EQ(ValidThrough({2027, 11, 30}, 3), (CivilDate{2028, 2, 29}));  // leap year
  EXPECT_EQ(ValidThrough({2026, 12, 31}, 2), (CivilDate{2027, 2, 28}));
}

TEST(Holdings, HoldingIdOfAcceptsOnlyWellFormedIds) {
  EXPECT_EQ(HoldingIdOf("holding:r-99501-260310-0001"), "r-99501-260310-0001");
  EXPECT_EQ(HoldingIdOf("c-h22.39-260310-0001-GTTT"), "c-h22.39-260310-0001-GTTT");
  EXPECT_EQ(HoldingIdOf(""), "");
  EXPECT_EQ(HoldingIdOf("holding:"), "");
  EXPECT_EQ(HoldingIdOf("x-1"), "");
  EXPECT_EQ(HoldingIdOf("r-1/../2"), "");
  EXPECT_EQ(HoldingIdOf("bản sao giấy khai sinh"), "");
}

bj::object ProcedureJson(bj::value component_extra) {
  bj::object comp{{"code", "XN"}, {"name", "Giấy xác nhận"}};
  for (auto& [k, v] : component_extra.as_object()) comp[k] = v;
  return bj::object{
      {"code", "1.000894"},
      {"name", "Đăng ký kết hôn"},
      {"field", "ho_tich"},
      {"competent", {{"level", "commune"}}},
      {"time_limit", {{"unit", "working_days"}, {"value", 5}}},
      {"online_level", "full"},
      {"fees", bj::array{}},
      {"components", bj::array{comp}},
      {"steps", bj::array{bj::object{
                    {"code", "s"}, {"role", "specialist"}, {"unit", "competent"}, {"share", 100}}}},
      {"result", {{"name", "Giấy chứng nhận kết hôn"}, {"doc_type", "giay_chung_nhan_ket_hon"}}}};
}

TEST(Holdings, TheCatalogueNamesDocumentKinds) {
  auto p =
      Procedure::FromJson(ProcedureJson(bj::object{{"doc_type", "xac_nhan_tinh_trang_hon_nhan"}}));
  ASSERT_TRUE(p.has_value()) << p.error().detail;
  EXPECT_EQ(p->result_doc_type, "giay_chung_nhan_ket_hon");
  EXPECT_EQ(p->result_valid_months, 0);
  // accepts defaults to the component's own kind
  EXPECT_TRUE(p->components[0].Accepts("xac_nhan_tinh_trang_hon_nhan"));
  EXPECT_FALSE(p->components[0].Accepts("giay_khai_sinh"));
  EXPECT_FALSE(p->components[0].Accepts(""));
  auto q = Procedure::FromJson(
      ProcedureJson(bj::object{{"accepts", bj::array{"giay_khai_sinh", "trich_luc_khai_sinh"}}}));
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->components[0].doc_type, "");
  EXPECT_TRUE(q->components[0].Accepts("trich_luc_khai_sinh"));
  EXPECT_FALSE(Procedure::FromJson(ProcedureJson(bj::object{{"doc_type", "Giấy"}})).has_value());
  EXPECT_FALSE(
      Procedure::FromJson(ProcedureJson(bj::object{{"accepts", bj::array{1}}})).has_value());
}

}  // namespace
}  // namespace motcua::domain
