#include "ocr/ocr.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <leptonica/allheaders.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <tesseract/baseapi.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <system_error>

#include "ocr/fields.h"

extern char** environ;

namespace motcua::ocr {
namespace fs = std::filesystem;
namespace {

Error Bad(std::string key, std::string detail) {
  return Error{ErrorCode::kInvalidArgument, std::move(key), std::move(detail), {}};
}
Error Unavailable(std::string detail) {
  return Error{ErrorCode::kUnavailable, "ocr.engine_unavailable", std::move(detail), {}};
}

// Leptonica reports every decoding failure on stderr; the caller gets an error value instead.
void QuietLeptonica() {
  static std::once_flag once;
  std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

// OpenMP's max-active-levels, when tesseract brought libgomp into the process (looked up rather
// than linked: a tesseract built without OpenMP needs nothing). 0 runs every parallel region on
// the calling thread alone.
// libgomp keeps the setting per thread (the data environment of the thread that set it), so it
// is set on the thread that recognises, before each recognition: an engine made on one thread and
// used on a worker's must not spin up OpenMP teams there (measured 4–6× slower, bench/ocr_benchmark).
void SetOpenMpLevels(bool parallel) {
  using SetLevels = void (*)(int);
  static const auto set =
      reinterpret_cast<SetLevels>(::dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
  if (set != nullptr) set(parallel ? 1 : 0);
}

struct PixDeleter {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// A fresh directory under `parent`, removed with everything in it when this goes away.
class TempDir {
 public:
  static Result<TempDir> Make(const fs::path& parent) {
    std::error_code ec;
    fs::path base = parent.empty() ? fs::temp_directory_path(ec) : parent;
    if (ec) return Fail(Unavailable("no temporary directory: " + ec.message()));
    std::string templ = (base / "motcua-ocr-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      return Fail(Unavailable("mkdtemp under " + base.string() + ": " + std::strerror(errno)));
    }
    return TempDir(fs::path(templ));
  }
  TempDir(TempDir&& o) noexcept : path_(std::exchange(o.path_, {})) {}
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit TempDir(fs::path p) : path_(std::move(p)) {}
  fs::path path_;
};

struct RunResult {
  int exit_status = -1;  // -1: killed, or did not exit normally
  std::string output;    // stdout and stderr, at most 1 MiB
  bool timed_out = false;
};

// Runs argv[0] (searched on PATH) with no shell, its stdout and stderr captured, killed after
// `timeout`. Error: ocr.engine_unavailable when it cannot be started.
Result<RunResult> Run(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    return Fail(Unavailable(std::string("pipe: ") + std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    return Fail(Unavailable(argv[0] + ": " + std::strerror(rc)));
  }
  RunResult r;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[8192];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd p{pipe_fds[0], POLLIN, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    const ssize_t got = ::read(pipe_fds[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // EOF: the child closed its output (usually: exited)
    if (r.output.size() < (size_t{1} << 20)) r.output.append(buf, static_cast<size_t>(got));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_status = !r.timed_out && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

Result<std::string> ReadWhole(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Fail(Unavailable("cannot read " + p.string()));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Result<void> WriteWhole(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Fail(Unavailable("cannot write " + p.string()));
  return {};
}

// The first line of a tool's output, for an error's detail.
std::string FirstLine(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  return line.substr(0, 200);
}

// The PDF written into a temporary directory, its pages counted (pdfinfo) and each rasterised on
// demand (pdftoppm, one page per run: disk and memory stay at one page whatever the count).
class PdfPages {
 public:
  static Result<PdfPages> Open(std::string_view pdf, const OcrOptions& o, int dpi) {
    auto dir = TempDir::Make(o.temp_dir);
    if (!dir) return Fail(dir.error());
    PdfPages p(std::move(*dir), o, dpi);
    if (auto w = WriteWhole(p.pdf_path(), pdf); !w) return Fail(w.error());
    // The sizes of the first max_pages + 1 pages, and the total.
    auto info =
        Run({o.pdfinfo, "-f", "1", "-l", std::to_string(o.max_pages + 1), p.pdf_path().string()},
            std::chrono::seconds(o.subprocess_timeout_seconds));
    if (!info) return Fail(info.error());
    if (info->exit_status == 127) return Fail(Unavailable(o.pdfinfo + " not found"));
    if (info->exit_status != 0) {
      return Fail(Bad("ocr.unreadable_pdf", "pdfinfo: " + FirstLine(info->output)));
    }
    std::istringstream lines(info->output);
    std::string line;
    int pages = -1;
    while (std::getline(lines, line)) {
      if (line.starts_with("Pages:")) {
        const char* s = line.c_str() + 6;
        while (*s == ' ') ++s;
        std::from_chars(s, line.c_str() + line.size(), pages);
      } else if (line.starts_with("Page ") && line.find(" size:") != std::string::npos) {
        // "Page    1 size: 595.276 x 841.89 pts (A4)"
        double w = 0, h = 0;
        if (std::sscanf(line.c_str() + line.find(" size:") + 6, " %lf x %lf", &w, &h) == 2) {
          const double px = (w / 72.0 * dpi) * (h / 72.0 * dpi);
          if (!(px <= static_cast<double>(o.max_pixels_per_page))) {
            return Fail(Bad("ocr.too_large", "a page of " + std::to_string(int64_t(px)) +
                                                 " pixels at " + std::to_string(dpi) + " dpi"));
          }
        }
      }
    }
    if (pages < 0) return Fail(Bad("ocr.unreadable_pdf", "pdfinfo printed no page count"));
    if (pages == 0) return Fail(Bad("ocr.unreadable_pdf", "the PDF has no page"));
    if (pages > o.max_pages) {
      return Fail(Bad("ocr.too_many_pages",
                      std::to_string(pages) + " pages, at most " + std::to_string(o.max_pages)));
    }
    p.pages_ = pages;
    return p;
  }

  int page_count() const { return pages_; }

  // Page `n` (1-based) as a greyscale PGM image.
  Result<std::string> Page(int n) {
    const fs::path stem = dir_.path() / "page";
    auto r = Run({options_.pdftoppm, "-r", std::to_string(dpi_), "-gray", "-f", std::to_string(n),
                  "-l", std::to_string(n), "-singlefile", pdf_path().string(), stem.string()},
                 std::chrono::seconds(options_.subprocess_timeout_seconds));
    if (!r) return Fail(r.error());
    if (r->exit_status == 127) return Fail(Unavailable(options_.pdftoppm + " not found"));
    const fs::path out = stem.string() + ".pgm";
    if (r->exit_status != 0 || !fs::exists(out)) {
      std::string why = r->timed_out ? "pdftoppm timed out" : "pdftoppm: " + FirstLine(r->output);
      return Fail(Bad("ocr.unreadable_pdf", "page " + std::to_string(n) + ": " + why));
    }
    auto bytes = ReadWhole(out);
    std::error_code ec;
    fs::remove(out, ec);
    return bytes;
  }

 private:
  PdfPages(TempDir dir, const OcrOptions& o, int dpi)
      : dir_(std::move(dir)), options_(o), dpi_(dpi) {}
  fs::path pdf_path() const { return dir_.path() / "input.pdf"; }

  TempDir dir_;
  OcrOptions options_;
  int dpi_;
  int pages_ = 0;
};

const l_uint8* Data(std::string_view bytes) {
  return reinterpret_cast<const l_uint8*>(bytes.data());
}

Result<void> CheckPixels(int64_t w, int64_t h, const OcrOptions& o, int page) {
  if (w <= 0 || h <= 0) return Fail(Bad("ocr.unreadable_image", "no pixels"));
  if (w * h > o.max_pixels_per_page) {
    return Fail(Bad("ocr.too_large", "page " + std::to_string(page) + " is " + std::to_string(w) +
                                         "x" + std::to_string(h) + " pixels"));
  }
  return {};
}

// Decodes a non-TIFF image after checking its header.
Result<PixPtr> DecodeOne(std::string_view bytes, const OcrOptions& o, int page) {
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeaderMem(Data(bytes), bytes.size(), &format, &w, &h, &bps, &spp, &cmap) != 0) {
    return Fail(Bad("ocr.unreadable_image", "the image header does not decode"));
  }
  if (auto c = CheckPixels(w, h, o, page); !c) return Fail(c.error());
  PixPtr pix(pixReadMem(Data(bytes), bytes.size()));
  if (!pix) return Fail(Bad("ocr.unreadable_image", "the image does not decode"));
  return pix;
}

}  // namespace

std::string OcrResult::Text() const {
  std::string out;
  for (const OcrPage& p : pages) {
    if (!out.empty()) out += '\f';
    out += p.text;
  }
  return out;
}

FileType SniffType(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.starts_with(magic); };
  if (starts("\x89PNG\r\n\x1a\n")) return FileType::kPng;
  if (starts("\xff\xd8\xff")) return FileType::kJpeg;
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) {
    return FileType::kTiff;
  }
  if (b.size() >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6' &&
      (b[2] == ' ' || b[2] == '\n' || b[2] == '\r' || b[2] == '\t')) {
    return FileType::kPnm;
  }
  // PDF readers accept the header within the first kilobyte.
  if (b.substr(0, 1024).find("%PDF-") != std::string_view::npos) return FileType::kPdf;
  return FileType::kUnknown;
}

std::string_view FileTypeName(FileType type) {
  switch (type) {
    case FileType::kPng:
      return "png";
    case FileType::kJpeg:
      return "jpeg";
    case FileType::kTiff:
      return "tiff";
    case FileType::kPnm:
      return "pnm";
    case FileType::kPdf:
      return "pdf";
    case FileType::kUnknown:
      break;
  }
  return "unknown";
}

Result<std::string> FindTessdata(const std::string& configured, const std::string& language) {
  const bool safe_language = !language.empty() && language.size() <= 32 &&
                             std::all_of(language.begin(), language.end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || c == '_' || c == '+';
                             });
  if (!safe_language) return Fail(Unavailable("bad language name"));
  // "vie+eng": every model must be there.
  auto has_all = [&](const fs::path& dir) {
    std::error_code ec;
    size_t from = 0;
    while (from <= language.size()) {
      size_t plus = language.find('+', from);
      if (plus == std::string::npos) plus = language.size();
      if (!fs::is_regular_file(dir / (language.substr(from, plus - from) + ".traineddata"), ec)) {
        return false;
      }
      from = plus + 1;
    }
    return true;
  };
  if (!configured.empty()) {
    if (has_all(configured)) return configured;
    return Fail(Unavailable("no " + language + ".traineddata in " + configured));
  }
  for (const char* dir : kTessdataDirs) {
    if (has_all(dir)) return std::string(dir);
  }
  return Fail(Unavailable("no " + language +
                          ".traineddata in Debian's tessdata directories "
                          "(apt-get install tesseract-ocr-vie)"));
}

struct Engine::Impl {
  OcrOptions options;
  tesseract::TessBaseAPI api;

  ~Impl() { api.End(); }

  // OCRs one decoded page.
  OcrPage Read(Pix* pix, int number) {
    if (pixGetXRes(pix) <= 0) pixSetResolution(pix, options.assumed_dpi, options.assumed_dpi);
    api.SetImage(pix);
    OcrPage page;
    page.number = number;
    if (api.Recognize(nullptr) == 0) {
      std::unique_ptr<char[]> text(api.GetUTF8Text());
      if (text) page.text = ComposeVietnamese(text.get());
      page.confidence = std::max(0, api.MeanTextConf());
    }
    api.Clear();
    return page;
  }

  Result<OcrResult> Image(std::string_view bytes) {
    OcrResult result;
    if (SniffType(bytes) == FileType::kTiff) {
      for (int n = 0;; ++n) {
        l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
        if (readHeaderMemTiff(Data(bytes), bytes.size(), n, &w, &h, &bps, &spp, &res, &cmap,
                              &format) != 0) {
          if (n == 0) return Fail(Bad("ocr.unreadable_image", "the TIFF header does not decode"));
          break;
        }
        if (n >= options.max_pages) {
          return Fail(Bad("ocr.too_many_pages",
                          "more than " + std::to_string(options.max_pages) + " TIFF frames"));
        }
        if (auto c = CheckPixels(w, h, options, n + 1); !c) return Fail(c.error());
        PixPtr pix(pixReadMemTiff(Data(bytes), bytes.size(), n));
        if (!pix) {
          return Fail(Bad("ocr.unreadable_image", "TIFF frame " + std::to_string(n + 1)));
        }
        result.pages.push_back(Read(pix.get(), n + 1));
      }
    } else {
      auto pix = DecodeOne(bytes, options, 1);
      if (!pix) return Fail(pix.error());
      result.pages.push_back(Read(pix->get(), 1));
    }
    return Finish(std::move(result));
  }

  Result<OcrResult> Pdf(std::string_view bytes) {
    auto pdf = PdfPages::Open(bytes, options, options.pdf_dpi);
    if (!pdf) return Fail(pdf.error());
    OcrResult result;
    for (int n = 1; n <= pdf->page_count(); ++n) {
      auto image = pdf->Page(n);
      if (!image) return Fail(image.error());
      auto pix = DecodeOne(*image, options, n);
      if (!pix) return Fail(pix.error());
      result.pages.push_back(Read(pix->get(), n));
    }
    return Finish(std::move(result));
  }

  static OcrResult Finish(OcrResult r) {
    double sum = 0;
    for (const OcrPage& p : r.pages) sum += p.confidence;
    r.mean_confidence = r.pages.empty() ? 0 : sum / static_cast<double>(r.pages.size());
    return r;
  }

  // Checks shared by every entry point, before anything is decoded.
  Result<FileType> Admit(std::string_view bytes) const {
    if (bytes.size() > options.max_bytes) {
      return Fail(Bad("ocr.too_large", std::to_string(bytes.size()) + " bytes, at most " +
                                           std::to_string(options.max_bytes)));
    }
    FileType t = SniffType(bytes);
    if (t == FileType::kUnknown) {
      return Fail(Bad("ocr.unsupported_type",
                      bytes.empty() ? "empty file" : "not a PNG, JPEG, TIFF, PNM or PDF file"));
    }
    return t;
  }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;
Engine::~Engine() = default;

Result<Engine> Engine::Create(const OcrOptions& options) {
  QuietLeptonica();
  SetOpenMpLevels(options.tesseract_openmp);
  auto dir = FindTessdata(options.tessdata_dir, options.language);
  if (!dir) return Fail(dir.error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  // Tesseract writes its diagnostics ("Empty page!!") through tprintf to debug_file.
  if (impl->api.Init(dir->c_str(), options.language.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
    return Fail(Unavailable("tesseract could not load " + options.language + " from " + *dir));
  }
  impl->api.SetVariable("debug_file", "/dev/null");
  impl->api.SetPageSegMode(tesseract::PSM_AUTO);
  return Engine(std::move(impl));
}

const OcrOptions& Engine::options() const { return impl_->options; }

Result<OcrResult> Engine::RecognizeImage(std::string_view bytes) {
  SetOpenMpLevels(impl_->options.tesseract_openmp);
  auto t = impl_->Admit(bytes);
  if (!t) return Fail(t.error());
  if (*t == FileType::kPdf) return Fail(Bad("ocr.unsupported_type", "a PDF, not an image"));
  return impl_->Image(bytes);
}

Result<OcrResult> Engine::RecognizePdf(std::string_view bytes) {
  SetOpenMpLevels(impl_->options.tesseract_openmp);
  auto t = impl_->Admit(bytes);
  if (!t) return Fail(t.error());
  if (*t != FileType::kPdf) return Fail(Bad("ocr.unsupported_type", "not a PDF"));
  return impl_->Pdf(bytes);
}

Result<OcrResult> Engine::Recognize(std::string_view bytes) {
  SetOpenMpLevels(impl_->options.tesseract_openmp);
  auto t = impl_->Admit(bytes);
  if (!t) return Fail(t.error());
  return *t == FileType::kPdf ? impl_->Pdf(bytes) : impl_->Image(bytes);
}

namespace {
template <typename F>
Result<OcrResult> OneShot(const OcrOptions& options, F f) {
  auto engine = Engine::Create(options);
  if (!engine) return Fail(engine.error());
  return f(*engine);
}
}  // namespace

Result<OcrResult> RecognizeImage(std::string_view bytes, const OcrOptions& options) {
  return OneShot(options, [&](Engine& e) { return e.RecognizeImage(bytes); });
}
Result<OcrResult> RecognizePdf(std::string_view bytes, const OcrOptions& options) {
  return OneShot(options, [&](Engine& e) { return e.RecognizePdf(bytes); });
}
Result<OcrResult> Recognize(std::string_view bytes, const OcrOptions& options) {
  return OneShot(options, [&](Engine& e) { return e.Recognize(bytes); });
}

Result<std::vector<std::string>> RasterisePdf(std::string_view pdf, const OcrOptions& options,
                                              int dpi) {
  auto pages = PdfPages::Open(pdf, options, dpi);
  if (!pages) return Fail(pages.error());
  std::vector<std::string> out;
  for (int n = 1; n <= pages->page_count(); ++n) {
    auto image = pages->Page(n);
    if (!image) return Fail(image.error());
    out.push_back(std::move(*image));
  }
  return out;
}

}  // namespace motcua::ocr
