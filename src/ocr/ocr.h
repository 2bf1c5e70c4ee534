// Optical character recognition of the paper components digitised at reception (số hoá thành
// phần hồ sơ, issue #8): a scanned image (PNG, JPEG, TIFF) or a PDF is read by tesseract's LSTM
// engine with the Vietnamese model (Debian's tesseract-ocr-vie), page by page, with limits on
// size and page count so that one upload cannot take the machine.
// Thread-safety: an `Engine` is not thread-safe (it owns one tesseract::TessBaseAPI): use one per
// thread or per worker. The free functions create their own engine and are reentrant.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace motcua::ocr {

struct OcrOptions {
  std::string language = "vie";
  // Directory holding <language>.traineddata; empty: the first of kTessdataDirs that has it.
  std::string tessdata_dir;
  int max_pages = 50;
  size_t max_bytes = size_t{20} << 20;  // 20 MiB
  // A decoded page larger than this is refused (a small PNG can decode to gigabytes).
  int64_t max_pixels_per_page = 120'000'000;
  int pdf_dpi = 300;
  // Resolution assumed for an image that does not record its own.
  int assumed_dpi = 300;
  // Where PDF pages are rasterised (a fresh subdirectory, removed afterwards); empty: the
  // system's temporary directory.
  std::filesystem::path temp_dir;
  // The rasteriser and the page counter (poppler-utils), found on PATH unless absolute.
  std::string pdftoppm = "pdftoppm";
  std::string pdfinfo = "pdfinfo";
  // A rasteriser still running after this long is killed (ocr.unreadable_pdf).
  int subprocess_timeout_seconds = 300;
  // Debian's tesseract parallelises inside a page with OpenMP. With one engine per worker on a
  // 2-core machine its spinning threads cost more than they give (docs/impl/ocr.md: 2.4 times
  // slower under load), so Engine::Create turns OpenMP's parallel regions off unless this is
  // true. Process-wide (OpenMP's max-active-levels): the last engine created decides.
  bool tesseract_openmp = false;
};

struct OcrPage {
  int number = 1;      // 1-based, in document order
  std::string text;    // UTF-8, precomposed (NFC) Vietnamese letters
  int confidence = 0;  // tesseract's mean word confidence, 0–100
};

struct OcrResult {
  std::vector<OcrPage> pages;
  int page_count() const { return static_cast<int>(pages.size()); }
  // The mean of the pages' confidences (0 when there is no page).
  double mean_confidence = 0;
  // The pages' texts joined by a form feed.
  std::string Text() const;
};

// kPnm (netpbm P1–P6) is what the PDF path rasterises to; accepted as an image as well.
enum class FileType { kUnknown, kPng, kJpeg, kTiff, kPnm, kPdf };

// The type by its leading bytes (magic numbers), never by a file name.
FileType SniffType(std::string_view bytes);
std::string_view FileTypeName(FileType type);  // "png", "jpeg", "tiff", "pnm", "pdf", "unknown"

// Debian's tessdata directories, newest first.
inline constexpr const char* kTessdataDirs[] = {"/usr/share/tesseract-ocr/5/tessdata",
                                                "/usr/share/tesseract-ocr/4.00/tessdata"};

// Errors shared by every entry point:
//   ocr.too_large (kInvalidArgument: more than max_bytes, or a page over max_pixels_per_page),
//   ocr.too_many_pages (kInvalidArgument: more than max_pages),
//   ocr.unsupported_type (kInvalidArgument: empty, or not PNG/JPEG/TIFF/PNM/PDF),
//   ocr.unreadable_image (kInvalidArgument: an image that does not decode),
//   ocr.unreadable_pdf (kInvalidArgument: a PDF that poppler cannot count or rasterise),
//   ocr.engine_unavailable (kUnavailable: no traineddata for the language, tesseract failed to
//   start, or pdftoppm/pdfinfo missing; the detail says which).
class Engine {
 public:
  // Starts tesseract (LSTM engine, language and tessdata from `options`); about a third of a
  // second, so a worker keeps its engine. Error: ocr.engine_unavailable.
  static Result<Engine> Create(const OcrOptions& options = {});
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;
  ~Engine();

  // One image (a multi-page TIFF gives one page per frame).
  Result<OcrResult> RecognizeImage(std::string_view bytes);
  // Each page of a PDF rasterised at pdf_dpi by pdftoppm, OCR'd in order.
  Result<OcrResult> RecognizePdf(std::string_view bytes);
  // Either of the above by SniffType.
  Result<OcrResult> Recognize(std::string_view bytes);

  const OcrOptions& options() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One-shot forms: an engine for this call only.
Result<OcrResult> RecognizeImage(std::string_view bytes, const OcrOptions& options = {});
Result<OcrResult> RecognizePdf(std::string_view bytes, const OcrOptions& options = {});
Result<OcrResult> Recognize(std::string_view bytes, const OcrOptions& options = {});

// The directory that holds <language>.traineddata: `configured` if given (checked), else the
// first of kTessdataDirs. Error: ocr.engine_unavailable.
Result<std::string> FindTessdata(const std::string& configured, const std::string& language);

// Rasterises a PDF at `dpi` the way RecognizePdf does (pdftoppm, greyscale PGM, one run per page,
// under a fresh directory of `options.temp_dir`), after counting its pages (ocr.too_many_pages)
// and checking their pixel size (ocr.too_large). Returns every page's bytes at once, so it is
// for the benchmark's baseline and for tests, not for large files.
Result<std::vector<std::string>> RasterisePdf(std::string_view pdf, const OcrOptions& options,
                                              int dpi);

}  // namespace motcua::ocr
