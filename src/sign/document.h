// The page content of the documents the platform issues (electronic results, receipts): one A4
// page laid out like a Vietnamese administrative document (Decree 30/2020 layout: the issuing
// authority and unit top left, the national heading top right, number and date, title, body,
// the signer's block bottom right), set in an embedded TrueType font with every Vietnamese
// diacritic, and a QR code linking to the public verification page. Written with libharu (page
// content) and qpdf (a clean ToUnicode map and a classic cross-reference table, ready for
// incremental signatures).
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace motcua::sign {

struct DocumentContent {
  std::string authority;  // upper line, e.g. "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
  std::string unit;       // issuing unit, e.g. "SỞ TƯ PHÁP"
  std::string number;     // e.g. "Số: 15/KQ-STP"
  std::string place;      // e.g. "Hà Tĩnh"
  CivilDate date;
  std::string title;     // e.g. "GIẤY KHAI SINH"
  std::string subtitle;  // optional line under the title
  std::vector<std::string> paragraphs;
  std::string signer_position;  // e.g. "CHỦ TỊCH"
  std::string signer_name;
  std::string footer;          // small print next to the QR code
  std::string qr_text;         // the verification link (no QR when empty)
  std::string document_title;  // the PDF's /Title
};

// Upper case for Vietnamese text (ASCII, Latin-1, Latin Extended-A and Latin Extended
// Additional letters; anything else unchanged), as headings are set.
std::string UpperVietnamese(std::string_view utf8);

// The font file used for every document (DejaVu Serif, Debian's fonts-dejavu-core).
inline constexpr const char* kDefaultFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";

// Errors: document.font (kFailedPrecondition: the font cannot be loaded), document.render
// (kInternal: libharu or qpdf failed; the detail says which step).
Result<std::string> RenderDocument(const DocumentContent& content,
                                   const std::string& font_path = kDefaultFontPath);

}  // namespace motcua::sign
