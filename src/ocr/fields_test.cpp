#include "ocr/fields.h"

#include <gtest/gtest.h>

namespace motcua::ocr {
namespace {

TEST(ComposeVietnameseTest, ComposesBaseAndMarksInAnyOrder) {
  // "ậ" as a + dot below + circumflex (canonical order) and as a + circumflex + dot below.
  EXPECT_EQ(ComposeVietnamese("a\u0323\u0302"), "ậ");
  EXPECT_EQ(ComposeVietnamese("a\u0302\u0323"), "ậ");
  // A precomposed base with a combining tone.
  EXPECT_EQ(ComposeVietnamese("\u00e2\u0301"), "ấ");
  EXPECT_EQ(ComposeVietnamese("Nguye\u0302\u0303n Va\u0306n An"), "Nguyễn Văn An");
  EXPECT_EQ(ComposeVietnamese("C\u00f4\u0323ng ho\u0300a"), "Cộng hòa");
  EXPECT_EQ(ComposeVietnamese("U\u031b\u0300"), "Ừ");
  // Already composed text and other scripts are unchanged; marks that make no Vietnamese
  // letter are kept.
  EXPECT_EQ(ComposeVietnamese("Độc lập – Tự do"), "Độc lập – Tự do");
  EXPECT_EQ(ComposeVietnamese("n\u0303"), "n\u0303");
  EXPECT_EQ(ComposeVietnamese("e\u0301\u0301"), "é\u0301");
  // Invalid bytes are dropped.
  EXPECT_EQ(ComposeVietnamese("a\xff"
                              "b\xc3"),
            "ab");
}

TEST(UpperVietnameseTest, UpperCasesEveryVietnameseLetter) {
  EXPECT_EQ(UpperVietnamese("nguyễn văn đức"), "NGUYỄN VĂN ĐỨC");
  EXPECT_EQ(UpperVietnamese("ợ ử ỹ ậ ề"), "Ợ Ử Ỹ Ậ Ề");
  EXPECT_EQ(UpperVietnamese("Số 12/KS"), "SỐ 12/KS");
}

TEST(FoldVietnameseTest, LowerCaseNoDiacriticsFoldedSpaces) {
  EXPECT_EQ(FoldVietnamese("  Nguyễn  Văn\tĐức "), "nguyen van duc");
  EXPECT_EQ(FoldVietnamese("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            "cong hoa xa hoi chu nghia viet nam");
  EXPECT_EQ(FoldVietnamese("Giấy khai sinh\nSố: 15/KS"), "giay khai sinh so: 15/ks");
  // Decomposed input folds the same as composed.
  EXPECT_EQ(FoldVietnamese("Nguye\u0302\u0303n"), FoldVietnamese("Nguyễn"));
  EXPECT_EQ(FoldVietnamese(""), "");
  // Other scripts are kept.
  EXPECT_EQ(FoldVietnamese("Tên 名"), "ten 名");
}

constexpr const char* kCardText =
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "SOCIALIST REPUBLIC OF VIET NAM\n"
    "CĂN CƯỚC CÔNG DÂN\n"
    "Citizen Identity Card\n"
    "Số / No.: 012345678901\n"
    "Họ và tên / Full name:\n"
    "NGUYỄN VĂN AN\n"
    "Ngày sinh / Date of birth: 01/02/1990\n"
    "Giới tính / Sex: Nam   Quốc tịch / Nationality: Việt Nam\n"
    "Quê quán / Place of origin: Xã Thạch Hà, Tỉnh Sông Trà\n"
    "Nơi thường trú / Place of residence: Số 5, đường Trần Phú, Xã Thạch Hà\n";

TEST(ExtractFieldsTest, CitizenIdCard) {
  ExtractedFields f = ExtractFields(kCardText);
  EXPECT_EQ(f.kind, "citizen_id_card");
  ASSERT_TRUE(f.id_number.found);
  EXPECT_EQ(f.id_number.value, "012345678901");
  EXPECT_DOUBLE_EQ(f.id_number.confidence, 1.0);
  ASSERT_TRUE(f.full_name.found);
  EXPECT_EQ(f.full_name.value, "NGUYỄN VĂN AN");
  EXPECT_DOUBLE_EQ(f.full_name.confidence, 1.0);
  ASSERT_TRUE(f.date_of_birth.found);
  EXPECT_EQ(f.date_of_birth.value, "1990-02-01");
  EXPECT_EQ(f.sex.value, "Nam");
  EXPECT_EQ(f.nationality.value, "Việt Nam");
  EXPECT_EQ(f.place_of_origin.value, "Xã Thạch Hà, Tỉnh Sông Trà");
  EXPECT_EQ(f.place_of_residence.value, "Số 5, đường Trần Phú, Xã Thạch Hà");
}

TEST(ExtractFieldsTest, CardWithoutEnglishLabelsAndWithOcrConfusions) {
  ExtractedFields f = ExtractFields(
      "CAN CUOC CONG DAN\n"
      "Số:  O12345 678901\n"
      "Họ   và  tên :  nguyễn thị  bích| ngọc\n"
      "Ngày sinh: l5 / O8 / 2OO1\n"
      "Giới tính: Nữ\n");
  EXPECT_EQ(f.kind, "citizen_id_card");
  EXPECT_FALSE(f.id_number.found && f.id_number.confidence == 1.0);
  // "Số:" alone is no label of the number (a register number on other documents), so the
  // number is found by its shape.
  ASSERT_TRUE(f.id_number.found);
  EXPECT_EQ(f.id_number.value, "012345678901");
  EXPECT_DOUBLE_EQ(f.id_number.confidence, 0.5);
  ASSERT_TRUE(f.full_name.found);
  EXPECT_EQ(f.full_name.value, "NGUYỄN THỊ BÍCH NGỌC");
  EXPECT_DOUBLE_EQ(f.full_name.confidence, 0.8);
  ASSERT_TRUE(f.date_of_birth.found);
  EXPECT_EQ(f.date_of_birth.value, "2001-08-15");
  EXPECT_DOUBLE_EQ(f.date_of_birth.confidence, 0.8);
  EXPECT_EQ(f.sex.value, "Nữ");
}

TEST(ExtractFieldsTest, OcrLetterConfusionsInsideTheNumber) {
  ExtractedFields f = ExtractFields("Số / No.: 0l2345678 9O1\nHọ và tên / Full name: LÊ VĂN B\n");
  ASSERT_TRUE(f.id_number.found);
  EXPECT_EQ(f.id_number.value, "012345678901");
  EXPECT_DOUBLE_EQ(f.id_number.confidence, 0.8);
  // Decomposed text (as some engines write it) gives the composed name.
  f = ExtractFields("Ho\u0323 va\u0300 te\u0302n: TRA\u0302\u0300N THI\u0323 LU\u031b\u0323U\n");
  EXPECT_EQ(f.full_name.value, "TRẦN THỊ LỰU");
}

TEST(ExtractFieldsTest, BirthCertificate) {
  ExtractedFields f = ExtractFields(
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
      "Độc lập - Tự do - Hạnh phúc\n"
      "GIẤY KHAI SINH\n"
      "Số: 125/2020\n"
      "Họ, chữ đệm, tên: Trần Minh Khôi\n"
      "Ngày, tháng, năm sinh: 09/11/2019 ghi bằng chữ: Ngày chín tháng mười một năm hai nghìn "
      "không trăm mười chín\n"
      "Giới tính: Nam   Dân tộc: Kinh   Quốc tịch: Việt Nam\n"
      "Nơi sinh: Trạm Y tế xã Thạch Hà, Tỉnh Sông Trà\n"
      "Số định danh cá nhân:\n"
      "042219001234\n"
      "Họ, chữ đệm, tên người mẹ: Lê Thị Hoa\n"
      "Họ, chữ đệm, tên người cha: Trần Văn Nam\n"
      "Thạch Hà, ngày 20 tháng 11 năm 2019\n");
  EXPECT_EQ(f.kind, "birth_certificate");
  EXPECT_EQ(f.id_number.value, "042219001234");
  EXPECT_DOUBLE_EQ(f.id_number.confidence, 1.0);
  EXPECT_EQ(f.full_name.value, "TRẦN MINH KHÔI");
  EXPECT_EQ(f.date_of_birth.value, "2019-11-09");
  EXPECT_EQ(f.sex.value, "Nam");
  EXPECT_EQ(f.nationality.value, "Việt Nam");
  EXPECT_EQ(f.place_of_origin.value, "Trạm Y tế xã Thạch Hà, Tỉnh Sông Trà");
}

// What tesseract made of a birth certificate under 2% salt-and-pepper noise and a 1° turn (the
// tone of TRẦN misread: the officer confirms).
TEST(ExtractFieldsTest, NoisyScanOfABirthCertificate) {
  ExtractedFields f = ExtractFields(
      ".............. ỦY BẠN NHÂN DÂN TỈNH SÔNG TRÀ __ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM \".\n"
      "¬- _~ -§ố:15/KS ¬¬ `. Thạch Hà, ngày 12 tháng 03 năm 2026... Š\n"
      "vn \"`. GIẤY KHAI SINH. _ ' Ca\n"
      "Họ, chữ đệm, tên: TRẤN MINH KHÔI ` - “`.\n"
      "\"Ngày, tháng, năm sinh: 09/11/2019 h \" :\n"
      "Giới tính: Nam ˆ sào h _\n"
      "- Quốc tịch::'Việt Nam : ¬.\n"
      "-...._ Số định danh cá nhân: 042219001234 \"\". chu\n"
      "Họ, chữ đệm, tên người mẹ: LÊ THỊ HOA h\n");
  EXPECT_EQ(f.kind, "birth_certificate");
  EXPECT_EQ(f.id_number.value, "042219001234");
  // Marks after the value are not part of it: the name reads clean (and wrong).
  EXPECT_EQ(f.full_name.value, "TRẤN MINH KHÔI");
  EXPECT_DOUBLE_EQ(f.full_name.confidence, 1.0);
  EXPECT_EQ(f.date_of_birth.value, "2019-11-09");
  EXPECT_EQ(f.sex.value, "Nam");
  EXPECT_EQ(f.nationality.value, "Việt Nam");
  // Small-letter noise after a name in capitals is dropped.
  f = ExtractFields("Họ và tên: NGUYỄN VĂN AN h ẹ\n");
  EXPECT_EQ(f.full_name.value, "NGUYỄN VĂN AN");
  EXPECT_DOUBLE_EQ(f.full_name.confidence, 0.8);
}

TEST(ExtractFieldsTest, ParentsAreNotTheChild) {
  // Only the parents' names: no full name for the child.
  ExtractedFields f = ExtractFields(
      "GIẤY KHAI SINH\nHọ, chữ đệm, tên người mẹ: Lê Thị Hoa\nHọ, chữ đệm, tên người cha: Trần "
      "Văn Nam\n");
  EXPECT_FALSE(f.full_name.found);
}

TEST(ExtractFieldsTest, WordedDateOfBirth) {
  ExtractedFields f = ExtractFields("Họ và tên: Phạm Thu Hà\nSinh ngày 3 tháng 4 năm 1985\n");
  EXPECT_EQ(f.date_of_birth.value, "1985-04-03");
  EXPECT_EQ(f.kind, "unknown");
}

TEST(ExtractFieldsTest, InvalidValuesAreNotFound) {
  // 30 February, an 11-digit number, a one-word name.
  ExtractedFields f =
      ExtractFields("Số định danh cá nhân: 01234567890\nHọ và tên: AN\nNgày sinh: 30/02/1990\n");
  EXPECT_FALSE(f.id_number.found);
  EXPECT_FALSE(f.full_name.found);
  EXPECT_FALSE(f.date_of_birth.found);
  EXPECT_EQ(f.id_number.confidence, 0);
  // A 13-digit run is not a 12-digit number.
  EXPECT_FALSE(ExtractFields("Số định danh cá nhân: 0123456789012").id_number.found);
  // Words with letters that look like digits stay words.
  EXPECT_FALSE(ExtractFields("Số / No.: OOOO IIII lllll").id_number.found);
}

TEST(ExtractFieldsTest, NothingInGarbage) {
  for (std::string_view text :
       {std::string_view(""), std::string_view("\n\n  \f"), std::string_view("\xff\xfe\x00\x01", 4),
        std::string_view("Họ và tên:"), std::string_view("Ngày sinh:\n")}) {
    ExtractedFields f = ExtractFields(text);
    EXPECT_EQ(f.kind, "unknown");
    EXPECT_FALSE(f.id_number.found);
    EXPECT_FALSE(f.full_name.found);
    EXPECT_FALSE(f.date_of_birth.found);
  }
}

}  // namespace
}  // namespace motcua::ocr
