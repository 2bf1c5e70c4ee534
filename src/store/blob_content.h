// What an uploaded file is, decided from its bytes alone (never from its name or the client's
// Content-Type): the accepted types (PDF, PNG, JPEG) with a sanity check each (a PDF ends with
// startxref … %%EOF, a PNG has a valid IHDR and ends with IEND, a JPEG runs from SOI to EOI, an
// image's declared pixel count is within a limit), and the refused families named so that the
// refusal is clear (executables, archives — a zip bomb is refused as an archive before anything is
// inflated —, HTML and other active content). Pure functions over the first and last bytes of a
// file (BlobWriter keeps them while it streams). Thread-safety: pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.h"

namespace motcua::store {

inline constexpr int64_t kMaxFileBytes = 10 << 20;  // 10 MiB per uploaded file
// 50 megapixels: an A4 page scanned at 600 dpi is 35 Mpx. A decoder handed a tiny PNG that
// declares 100000 × 100000 would need 40 GB; such a header is refused before anyone decodes it.
inline constexpr int64_t kMaxImagePixels = 50'000'000;
// How much of the start and of the end of a file the checks look at.
inline constexpr size_t kHeadBytes = 256 << 10;  // JPEG frame headers may follow 64 KiB+ of EXIF
inline constexpr size_t kTailBytes = 4 << 10;

enum class BlobKind {
  kUnknown,
  kPdf,
  kPng,
  kJpeg,
  kExecutable,     // MZ (PE), ELF, Mach-O, WebAssembly, Java class, "#!" scripts
  kArchive,        // zip (and docx/jar/apk), gzip, bzip2, xz, zstd, 7z, rar, tar, cab
  kActiveContent,  // HTML, SVG, XML — markup a browser would run
};

// The kind of a file from its first bytes.
BlobKind DetectKind(std::string_view head);
// "application/pdf", "image/png", "image/jpeg" for the accepted kinds; "" otherwise.
std::string_view ContentTypeOf(BlobKind kind);

struct ContentLimits {
  int64_t max_pixels = kMaxImagePixels;
};

// Checks a whole file given its first min(size, kHeadBytes) bytes, its last min(size, kTailBytes)
// bytes and its size, against the type the client declared. On success: the detected content type
// (equal to `declared`). Errors (stable keys):
//   file.empty (kInvalidArgument)          no bytes;
//   file.executable (kInvalidArgument)     a program or script, whatever it was declared as;
//   file.archive (kInvalidArgument)        a compressed archive (never inflated);
//   file.active_content (kInvalidArgument) HTML/SVG/XML;
//   file.bad_type (kInvalidArgument)       not PDF/PNG/JPEG, or not what `declared` says;
//   file.truncated (kInvalidArgument)      a PDF without startxref/%%EOF at its end, a PNG without
//                                          IEND, a JPEG without EOI (an upload cut short);
//   file.malformed (kInvalidArgument)      a broken PNG IHDR or JPEG frame header;
//   file.too_many_pixels (kResourceExhausted) an image declaring more than max_pixels.
Result<std::string_view> CheckContent(std::string_view declared, std::string_view head,
                                      std::string_view tail, int64_t size,
                                      const ContentLimits& limits = {});

}  // namespace motcua::store
