#include "sign/document.h"

#include <hpdf.h>
#include <qrencode.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDFWriter.hh>

#include "sign/detail/pdf.h"

namespace motcua::sign {
namespace {

constexpr float kPageWidth = 595.28F;
constexpr float kLeft = 70.0F;         // 2.5 cm
constexpr float kRight = 56.0F;        // 2 cm
constexpr float kLeftColumn = 170.0F;  // centre of the authority column
constexpr float kLeftColumnWidth = 200.0F;
constexpr float kRightColumn = 412.0F;  // centre of the national heading column

struct HaruError {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void OnHaruError(HPDF_STATUS code, HPDF_STATUS detail, void* data) {
  auto* e = static_cast<HaruError*>(data);
  if (e->code == HPDF_OK) {
    e->code = code;
    e->detail = detail;
  }
}

struct DocDeleter {
  void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};

// Writes text on one page in the document font, regular or (stroked) bold, optionally slanted.
class Writer {
 public:
  Writer(HPDF_Page page, HPDF_Font font) : page_(page), font_(font) {}

  float Width(const std::string& text, float size) {
    HPDF_Page_SetFontAndSize(page_, font_, size);
    return HPDF_Page_TextWidth(page_, text.c_str());
  }
  void Text(const std::string& text, float x, float y, float size, bool bold = false,
            bool slanted = false) {
    if (text.empty()) return;
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, font_, size);
    HPDF_Page_SetTextRenderingMode(page_, bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
    HPDF_Page_SetLineWidth(page_, bold ? 0.35F : 1.0F);
    HPDF_Page_SetTextMatrix(page_, 1, 0, slanted ? 0.21F : 0.0F, 1, x, y);
    HPDF_Page_ShowText(page_, text.c_str());
    HPDF_Page_EndText(page_);
  }
  void Centred(const std::string& text, float centre, float y, float size, bool bold = false,
               bool slanted = false) {
    Text(text, centre - Width(text, size) / 2, y, size, bold, slanted);
  }
  // Wraps at spaces within `width`; returns the y below the last line.
  float Paragraph(const std::string& text, float x, float y, float width, float size, float leading,
                  float indent) {
    std::string line;
    float line_x = x + indent;
    float line_width = width - indent;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t space = text.find(' ', pos);
      if (space == std::string::npos) space = text.size();
      std::string word = text.substr(pos, space - pos);
      std::string candidate = line.empty() ? word : line + " " + word;
      if (!line.empty() && Width(candidate, size) > line_width) {
        Text(line, line_x, y, size);
        y -= leading;
        line = word;
        line_x = x;
        line_width = width;
      } else {
        line = candidate;
      }
      pos = space + 1;
    }
    if (!line.empty()) {
      Text(line, line_x, y, size);
      y -= leading;
    }
    return y;
  }
  void Line(float x1, float y1, float x2, float y2) {
    HPDF_Page_SetLineWidth(page_, 0.6F);
    HPDF_Page_MoveTo(page_, x1, y1);
    HPDF_Page_LineTo(page_, x2, y2);
    HPDF_Page_Stroke(page_);
  }
  // The QR code of `text` as filled modules, `size` points wide, lower-left corner at (x, y).
  bool Qr(const std::string& text, float x, float y, float size) {
    QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == nullptr) return false;
    const float module = size / static_cast<float>(qr->width);
    for (int row = 0; row < qr->width; ++row) {
      for (int col = 0; col < qr->width; ++col) {
        if (qr->data[row * qr->width + col] & 1) {
          HPDF_Page_Rectangle(page_, x + static_cast<float>(col) * module,
                              y + size - static_cast<float>(row + 1) * module, module, module);
        }
      }
    }
    HPDF_Page_Fill(page_);
    QRcode_free(qr);
    return true;
  }

 private:
  HPDF_Page page_;
  HPDF_Font font_;
};

std::string VietnameseDateLine(const std::string& place, CivilDate d) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "ngày %02d tháng %02d năm %04d", d.day, d.month, d.year);
  return place.empty() ? std::string(buf) : place + ", " + buf;
}

// libharu writes its UTF-8 encoding CMap as the ToUnicode map too, which text extractors warn
// about; its codes are Unicode code points, so the correct map is the identity, in bfranges.
std::string IdentityToUnicode() {
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  for (int block = 0; block < 256; block += 100) {
    int n = std::min(100, 256 - block);
    cmap += std::to_string(n) + " beginbfrange\n";
    for (int hi = block; hi < block + n; ++hi) {
      char line[40];
      std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
      cmap += line;
    }
    cmap += "endbfrange\n";
  }
  return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

// libharu's subset of a TrueType font leaves out the glyphs that composite glyphs are built from,
// so letters drawn as a base letter plus a mark (ạ, ộ, ụ, ự … in DejaVu) lose their dot below.
// The whole font file is embedded instead (glyph ids are the font's own, so the widths and the
// CIDToGIDMap stay right).
Result<void> EmbedWholeFont(QPDF& q, QPDFObjectHandle font, const std::string& font_file) {
  QPDFObjectHandle descendants = font.getKey("/DescendantFonts");
  if (!descendants.isArray() || descendants.getArrayNItems() < 1) return {};
  QPDFObjectHandle cid = descendants.getArrayItem(0);
  QPDFObjectHandle descriptor = cid.getKey("/FontDescriptor");
  if (!descriptor.isDictionary() || !descriptor.getKey("/FontFile2").isStream()) return {};
  std::ifstream in(font_file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return Fail(ErrorCode::kFailedPrecondition, "document.font", font_file);
  QPDFObjectHandle stream = QPDFObjectHandle::newStream(&q, bytes);
  stream.replaceKey("/Length1", QPDFObjectHandle::newInteger(static_cast<long long>(bytes.size())));
  descriptor.replaceKey("/FontFile2", stream);
  // Not a subset any more: drop the "ABCDEF+" tag from the names.
  for (QPDFObjectHandle holder : {font, cid}) {
    QPDFObjectHandle name = holder.getKey("/BaseFont");
    if (name.isName() && name.getName().find('+') != std::string::npos) {
      holder.replaceKey(
          "/BaseFont",
          QPDFObjectHandle::newName("/" + name.getName().substr(name.getName().find('+') + 1)));
    }
  }
  QPDFObjectHandle font_name = descriptor.getKey("/FontName");
  if (font_name.isName() && font_name.getName().find('+') != std::string::npos) {
    descriptor.replaceKey("/FontName",
                          QPDFObjectHandle::newName(
                              "/" + font_name.getName().substr(font_name.getName().find('+') + 1)));
  }
  return {};
}

Result<std::string> Finish(std::string raw, const std::string& title,
                           const std::string& font_file) {
  auto doc = detail::OpenPdf(raw);
  if (!doc) return Fail(ErrorCode::kInternal, "document.render", "qpdf: " + doc.error().detail);
  try {
    QPDF& q = **doc;
    for (QPDFObjectHandle page : q.getAllPages()) {
      QPDFObjectHandle fonts = page.getKey("/Resources").getKey("/Font");
      if (!fonts.isDictionary()) continue;
      for (const std::string& name : fonts.getKeys()) {
        QPDFObjectHandle font = fonts.getKey(name);
        QPDFObjectHandle map = font.getKey("/ToUnicode");
        if (!map.isStream()) continue;
        QPDFObjectHandle fixed = QPDFObjectHandle::newStream(&q, IdentityToUnicode());
        font.replaceKey("/ToUnicode", fixed);
        if (auto whole = EmbedWholeFont(q, font, font_file); !whole) {
          return std::unexpected(whole.error());
        }
      }
    }
    QPDFObjectHandle info = q.getTrailer().getKey("/Info");
    if (!info.isDictionary()) {
      info = q.makeIndirectObject(QPDFObjectHandle::newDictionary());
      q.getTrailer().replaceKey("/Info", info);
    }
    info.replaceKey("/Title", QPDFObjectHandle::newUnicodeString(title));
    info.replaceKey("/Producer", QPDFObjectHandle::newString("motcua"));
    QPDFWriter w(q);
    w.setOutputMemory();
    w.setObjectStreamMode(qpdf_o_disable);
    w.setCompressStreams(true);
    w.write();
    std::unique_ptr<Buffer> buffer(w.getBuffer());
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, "document.render", std::string("qpdf: ") + e.what());
  }
}

char32_t Upper(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if ((c >= 0xE0 && c <= 0xFE && c != 0xF7)) return c - 32;  // Latin-1
  if (c >= 0x100 && c <= 0x17F && (c & 1) && c != 0x131 && c != 0x138 && c != 0x149) {
    // Latin Extended-A pairs (ă, đ, ĩ, ũ …) are (upper, lower) from U+0100, except in the
    // U+0139–U+0148 and U+0179–U+017E runs, which start on an odd code point.
    bool odd_run = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    return odd_run ? c : c - 1;
  }
  if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && !(c & 1)) return c - 1;
  if (c == 0x1A1 || c == 0x1B0) return c - 1;               // ơ, ư
  if (c >= 0x1EA0 && c <= 0x1EF9 && (c & 1)) return c - 1;  // ạ … ỹ
  return c;
}

}  // namespace

std::string UpperVietnamese(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
      out += s[i++];
      continue;
    }
    char32_t c = len == 1 ? b : b & (0xFF >> (len + 1));
    for (int k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    c = Upper(c);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
    i += static_cast<size_t>(len);
  }
  return out;
}

Result<std::string> RenderDocument(const DocumentContent& c, const std::string& font_path) {
  HaruError error;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter> doc(HPDF_New(OnHaruError, &error));
  if (!doc) return Fail(ErrorCode::kInternal, "document.render", "HPDF_New");
  HPDF_UseUTFEncodings(doc.get());
  HPDF_SetCurrentEncoder(doc.get(), "UTF-8");
  const char* font_name = HPDF_LoadTTFontFromFile(doc.get(), font_path.c_str(), HPDF_TRUE);
  HPDF_Font font = font_name != nullptr ? HPDF_GetFont(doc.get(), font_name, "UTF-8") : nullptr;
  if (font == nullptr || error.code != HPDF_OK) {
    return Fail(ErrorCode::kFailedPrecondition, "document.font", font_path);
  }
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  HPDF_Page page = HPDF_AddPage(doc.get());
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  Writer w(page, font);

  // Heading: authority and unit on the left, the national motto on the right.
  // A long name shrinks to fit its column.
  auto fit = [&](const std::string& text, float size) {
    float wide = w.Width(text, size);
    return wide > kLeftColumnWidth ? size * kLeftColumnWidth / wide : size;
  };
  w.Centred(c.authority, kLeftColumn, 790, fit(c.authority, 10.5F));
  const float unit_size = fit(c.unit, 10.5F);
  w.Centred(c.unit, kLeftColumn, 775, unit_size, true);
  float unit_rule = std::min(w.Width(c.unit, unit_size), 90.0F) / 2;
  w.Line(kLeftColumn - unit_rule, 769, kLeftColumn + unit_rule, 769);
  w.Centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", kRightColumn, 790, 10.5F, true);
  const std::string motto = "Độc lập - Tự do - Hạnh phúc";
  w.Centred(motto, kRightColumn, 775, 12, true);
  float motto_half = w.Width(motto, 12) / 2;
  w.Line(kRightColumn - motto_half, 770, kRightColumn + motto_half, 770);
  w.Centred(c.number, kLeftColumn, 748, 10.5F);
  w.Centred(VietnameseDateLine(c.place, c.date), kRightColumn, 748, 11, false, true);

  // Title and body.
  const float centre = kPageWidth / 2;
  float y = 700;
  w.Centred(c.title, centre, y, 14, true);
  y -= 18;
  if (!c.subtitle.empty()) {
    w.Centred(c.subtitle, centre, y, 12);
    y -= 18;
  }
  y -= 12;
  const float width = kPageWidth - kLeft - kRight;
  for (const std::string& p : c.paragraphs) {
    y = w.Paragraph(p, kLeft, y, width, 12, 17, 28);
    y -= 4;
  }

  // The signer's block: position, the mark of a digital signature, name.
  y -= 20;
  w.Centred(c.signer_position, kRightColumn + 20, y, 12, true);
  w.Centred("(Đã ký số)", kRightColumn + 20, y - 16, 11, false, true);
  w.Centred(c.signer_name, kRightColumn + 20, y - 70, 12, true);

  // The verification QR code and its small print.
  if (!c.qr_text.empty() && !w.Qr(c.qr_text, kLeft, 50, 72)) {
    return Fail(ErrorCode::kInternal, "document.render", "QR code");
  }
  w.Paragraph(c.footer, kLeft + 84, 112, width - 84, 8, 11, 0);

  if (error.code != HPDF_OK) {
    return Fail(ErrorCode::kInternal, "document.render",
                "libharu error " + std::to_string(error.code) + "/" + std::to_string(error.detail));
  }
  if (HPDF_SaveToStream(doc.get()) != HPDF_OK) {
    return Fail(ErrorCode::kInternal, "document.render", "HPDF_SaveToStream");
  }
  std::string raw(HPDF_GetStreamSize(doc.get()), '\0');
  HPDF_UINT32 n = static_cast<HPDF_UINT32>(raw.size());
  HPDF_ReadFromStream(doc.get(), reinterpret_cast<HPDF_BYTE*>(raw.data()), &n);
  raw.resize(n);
  return Finish(std::move(raw), c.document_title.empty() ? c.title : c.document_title, font_path);
}

}  // namespace motcua::sign
