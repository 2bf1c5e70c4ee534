#include "store/blob_content.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace motcua::store {

namespace {

bool Starts(std::string_view b, std::string_view magic) { return b.starts_with(magic); }
bool At(std::string_view b, size_t off, std::string_view magic) {
  return b.size() >= off + magic.size() && b.substr(off, magic.size()) == magic;
}

uint32_t Be32(std::string_view b, size_t off) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(b[off])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(b[off + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(b[off + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[off + 3]));
}
uint32_t Be16(std::string_view b, size_t off) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(b[off])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[off + 1]));
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

std::string_view TrimEnd(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Markup a browser would render (and run scripts in): the first non-blank character is '<' and
// what follows names HTML, SVG or XML.
bool LooksLikeMarkup(std::string_view head) {
  if (Starts(head, "\xEF\xBB\xBF")) head.remove_prefix(3);  // UTF-8 BOM
  while (!head.empty() && IsSpace(head.front())) head.remove_prefix(1);
  if (!Starts(head, "<")) return false;
  std::string lower;
  for (char c : head.substr(0, 64))
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view tag :
       {"<!doctype", "<html", "<head", "<body", "<script", "<svg", "<?xml", "<iframe", "<!--",
        "<meta", "<a ", "<img", "<div", "<style", "<title"}) {
    if (std::string_view(lower).starts_with(tag)) return true;
  }
  return false;
}

Error Refuse(ErrorCode code, std::string key, std::string detail) {
  return Error{code, std::move(key), std::move(detail), {}};
}

Result<void> CheckPixels(uint64_t w, uint64_t h, const ContentLimits& limits) {
  if (w == 0 || h == 0)
    return Fail(ErrorCode::kInvalidArgument, "file.malformed", "zero dimension");
  if (w * h > static_cast<uint64_t>(limits.max_pixels)) {
    Error e = Refuse(ErrorCode::kResourceExhausted, "file.too_many_pixels",
                     std::to_string(w) + "x" + std::to_string(h));
    e.With("width", std::to_string(w)).With("height", std::to_string(h));
    return std::unexpected(e);
  }
  return {};
}

Result<void> CheckPdf(std::string_view head, std::string_view tail) {
  // "%PDF-1.x" (or 2.x) and a line end; the rest of the head is free.
  if (head.size() < 8 || !(head[5] == '1' || head[5] == '2') || head[6] != '.' ||
      !std::isdigit(static_cast<unsigned char>(head[7]))) {
    return Fail(ErrorCode::kInvalidArgument, "file.malformed", "pdf header");
  }
  // A PDF is read from its end: the trailer's startxref and the %%EOF marker. An upload cut short
  // (or a PDF never finished) has neither.
  const std::string_view end = TrimEnd(tail);
  if (!end.ends_with("%%EOF"))
    return Fail(ErrorCode::kInvalidArgument, "file.truncated", "no %%EOF");
  if (end.rfind("startxref") == std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, "file.truncated", "no startxref");
  }
  return {};
}

Result<void> CheckPng(std::string_view head, std::string_view tail, const ContentLimits& limits) {
  // Signature, then the IHDR chunk: length 13, type, width, height, depth, colour, 3 methods.
  if (head.size() < 33 || Be32(head, 8) != 13 || !At(head, 12, "IHDR")) {
    return Fail(ErrorCode::kInvalidArgument, "file.malformed", "png IHDR");
  }
  const uint32_t w = Be32(head, 16), h = Be32(head, 20);
  const unsigned depth = static_cast<unsigned char>(head[24]);
  const unsigned colour = static_cast<unsigned char>(head[25]);
  const bool depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
  const bool colour_ok = colour == 0 || colour == 2 || colour == 3 || colour == 4 || colour == 6;
  if (w > 0x7fffffffu || h > 0x7fffffffu || !depth_ok || !colour_ok || head[26] != 0 ||
      head[27] != 0 || static_cast<unsigned char>(head[28]) > 1) {
    return Fail(ErrorCode::kInvalidArgument, "file.malformed", "png IHDR fields");
  }
  if (auto p = CheckPixels(w, h, limits); !p) return p;
  // The last chunk: IEND, zero length, its fixed CRC.
  if (!tail.ends_with(std::string_view("\0\0\0\0IEND\xAE\x42\x60\x82", 12))) {
    return Fail(ErrorCode::kInvalidArgument, "file.truncated", "no IEND");
  }
  return {};
}

Result<void> CheckJpeg(std::string_view head, std::string_view tail, const ContentLimits& limits) {
  // Walk the marker segments from SOI to the first frame header (SOFn) for the dimensions.
  size_t pos = 2;
  bool found = false;
  uint32_t w = 0, h = 0;
  while (pos + 4 <= head.size()) {
    if (static_cast<unsigned char>(head[pos]) != 0xFF) break;
    while (pos < head.size() && static_cast<unsigned char>(head[pos]) == 0xFF) ++pos;  // fill
    if (pos >= head.size()) break;
    const unsigned m = static_cast<unsigned char>(head[pos++]);
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) continue;  // standalone markers
    if (m == 0xD9 || m == 0xDA) break;                    // EOI or scan data before any frame
    if (pos + 2 > head.size()) break;
    const uint32_t len = Be16(head, pos);
    if (len < 2) break;
    const bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof) {
      if (pos + 7 > head.size() || len < 8) break;
      h = Be16(head, pos + 3);
      w = Be16(head, pos + 5);
      found = true;
      break;
    }
    pos += len;
  }
  if (!found) return Fail(ErrorCode::kInvalidArgument, "file.malformed", "jpeg frame header");
  if (auto p = CheckPixels(w, h, limits); !p) return p;
  if (!TrimEnd(tail).ends_with("\xFF\xD9")) {
    return Fail(ErrorCode::kInvalidArgument, "file.truncated", "no EOI");
  }
  return {};
}

}  // namespace

BlobKind DetectKind(std::string_view b) {
  if (Starts(b, "%PDF-")) return BlobKind::kPdf;
  if (Starts(b, "\x89PNG\r\n\x1a\n")) return BlobKind::kPng;
  if (Starts(b, "\xFF\xD8\xFF")) return BlobKind::kJpeg;
  static constexpr std::array<std::string_view, 11> kExecutable = {
      "MZ",
      "\x7f"
      "ELF",
      "\xFE\xED\xFA\xCE",
      "\xFE\xED\xFA\xCF",
      "\xCE\xFA\xED\xFE",
      "\xCF\xFA\xED\xFE",
      "\xCA\xFE\xBA\xBE",  // Mach-O universal binary (and Java class files)
      std::string_view("\0asm", 4),
      "#!",
      "\xCA\xFE\xD0\x0D",  // Java pack200
      "dex\n",             // Android Dalvik
  };
  for (std::string_view m : kExecutable) {
    if (Starts(b, m)) return BlobKind::kExecutable;
  }
  static constexpr std::array<std::string_view, 13> kArchive = {
      "PK\x03\x04",
      "PK\x05\x06",
      "PK\x07\x08",
      "\x1F\x8B",
      "BZh",
      "\xFD"
      "7zXZ",
      "\x28\xB5\x2F\xFD",
      "7z\xBC\xAF\x27\x1C",
      "Rar!\x1A\x07",
      "MSCF",
      "\x1F\x9D",  // compress(1)
      "\x1F\xA0",
      "xar!",
  };
  for (std::string_view m : kArchive) {
    if (Starts(b, m)) return BlobKind::kArchive;
  }
  if (At(b, 257, "ustar")) return BlobKind::kArchive;
  if (LooksLikeMarkup(b)) return BlobKind::kActiveContent;
  return BlobKind::kUnknown;
}

std::string_view ContentTypeOf(BlobKind kind) {
  switch (kind) {
    case BlobKind::kPdf:
      return "application/pdf";
    case BlobKind::kPng:
      return "image/png";
    case BlobKind::kJpeg:
      return "image/jpeg";
    default:
      return "";
  }
}

Result<std::string_view> CheckContent(std::string_view declared, std::string_view head,
                                      std::string_view tail, int64_t size,
                                      const ContentLimits& limits) {
  if (size <= 0 || head.empty()) return Fail(ErrorCode::kInvalidArgument, "file.empty");
  const std::string safe_declared(declared.substr(0, 64));
  const BlobKind kind = DetectKind(head);
  auto refuse = [&](std::string key) {
    Error e = Refuse(ErrorCode::kInvalidArgument, std::move(key), safe_declared);
    e.With("content_type", safe_declared);
    return std::unexpected(e);
  };
  switch (kind) {
    case BlobKind::kExecutable:
      return refuse("file.executable");
    case BlobKind::kArchive:
      return refuse("file.archive");
    case BlobKind::kActiveContent:
      return refuse("file.active_content");
    case BlobKind::kUnknown:
      return refuse("file.bad_type");
    default:
      break;
  }
  const std::string_view type = ContentTypeOf(kind);
  if (declared != type) return refuse("file.bad_type");
  Result<void> ok;
  if (kind == BlobKind::kPdf) ok = CheckPdf(head, tail);
  if (kind == BlobKind::kPng) ok = CheckPng(head, tail, limits);
  if (kind == BlobKind::kJpeg) ok = CheckJpeg(head, tail, limits);
  if (!ok) return std::unexpected(ok.error());
  return type;
}

}  // namespace motcua::store
