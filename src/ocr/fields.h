// Key fields of the commonest components, read from OCR text for the officer to confirm (issue
// #8): the citizen identity card (thẻ căn cước công dân / căn cước, CCCD) and the birth
// certificate (giấy khai sinh) — the personal identification number (số định danh cá nhân),
// full name, date of birth and, on the card, sex, nationality and places. Also the Vietnamese
// text helpers OCR output needs: NFC composition, upper case, and folding for diacritic-insensitive
// search. Pure functions over UTF-8 text; no tesseract here. Thread-safety: reentrant.
#pragma once

#include <string>
#include <string_view>

namespace motcua::ocr {

struct Field {
  bool found = false;
  std::string value;  // normalised as documented per field; empty when not found
  // 1.0: behind its label and valid as read; 0.8: behind its label after OCR corrections (O→0,
  // l/I→1 in digit runs, punctuation stripped from a name); 0.5: no label found, value taken
  // from its shape alone (a lone 12-digit number). 0 when not found.
  double confidence = 0;
};

struct ExtractedFields {
  // "citizen_id_card", "birth_certificate" or "unknown" (by the document's title).
  std::string kind = "unknown";
  Field id_number;        // 12 digits (CCCD number = personal identification number)
  Field full_name;        // upper case as printed on the card, diacritics kept ("NGUYỄN VĂN AN")
  Field date_of_birth;    // ISO yyyy-mm-dd, a real calendar date in 1900–2100
  Field sex;              // "Nam" or "Nữ"
  Field nationality;      // as read ("Việt Nam")
  Field place_of_origin;  // quê quán / place of birth (nơi sinh) on a birth certificate
  Field place_of_residence;  // nơi thường trú / nơi cư trú
};

// Reads the fields from OCR text: labels are matched without diacritics or case, with or without
// the card's English label ("Họ và tên / Full name:"), and the value may follow on the next line.
// A field that is not found is left with found == false; never fails.
ExtractedFields ExtractFields(std::string_view text);

// Precomposed (NFC) form of Vietnamese letters written as a base letter and combining marks, in
// any order of the marks ("a" U+0323 U+0302 → "ậ"); everything else unchanged. Invalid UTF-8
// bytes are dropped.
std::string ComposeVietnamese(std::string_view utf8);

// Upper case of Vietnamese letters (and ASCII); anything else unchanged.
std::string UpperVietnamese(std::string_view utf8);

// The search key of a text: lower case, Vietnamese diacritics removed (đ → d), runs of white
// space as one space, trimmed; other characters kept. "  Nguyễn  Văn\tĐức " → "nguyen van duc".
std::string FoldVietnamese(std::string_view utf8);

}  // namespace motcua::ocr
