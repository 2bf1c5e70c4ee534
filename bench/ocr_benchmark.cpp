// OCR benchmark (issue #8): pages per minute of the digitisation pipeline on this machine:
//   1. the baseline: rasterisation alone (pdftoppm, one page per run, greyscale) at the dpi;
//   2. OCR alone (tesseract LSTM, Vietnamese) of the pages already rasterised, one thread;
//   3. the whole pipeline (PDF → pdftoppm → tesseract) with 1 and with 2 threads, one engine
//      (tesseract::TessBaseAPI) per thread, pages taken from a shared counter;
//   4. the same with 1 engine and tesseract's own OpenMP threads on (OcrOptions::tesseract_openmp);
// with the ratios: pipeline / rasterisation time, and the 2-thread speed-up.
//   5. the background worker queue (app::Digitiser) on a real SQLite store in a temporary
//      directory: noisy one-page ID-card scans (PNG) uploaded through app::Files::Upload, then a
//      Digitiser with 1 worker, and on a fresh store with 2 workers, until every file has its
//      FileRecognised; beside the baseline run side by side: a plain ocr::Engine recognising the
//      same images in a loop on 1 and on 2 threads. Prints pages/min, the in-memory queue's
//      high-water mark against its capacity and the durable backlog (ocr_pending) over time.
//   6. --burst N: N scans uploaded at once, 2 workers; the in-memory queue stays within its
//      capacity while the durable backlog drains (--burst-seconds S stops after S seconds and
//      prints what was done and what is still pending).
// The A4 pages are administrative documents rendered by motcua_sign (DejaVu Serif), clean (no
// scanner noise): a real scan is slower. Usage: ocr_benchmark [--smoke] [--pages N] [--dpi D]
// [--scans N] [--burst N] [--burst-seconds S] [--digitiser-only] [--write-scan FILE]. Figures
// are printed, never asserted (the queue bound is checked by app/digitise_test.cpp).
#include <leptonica/allheaders.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/catalog.h"
#include "app/digitise.h"
#include "app/files.h"
#include "app/lifecycle.h"
#include "ocr/ocr.h"
#include "sign/document.h"
#include "store/testing.h"

namespace {

using namespace motcua;

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

sign::DocumentContent Content(int i) {
  sign::DocumentContent c;
  c.authority = "ỦY BAN NHÂN DÂN TỈNH SÔNG TRÀ";
  c.unit = "ỦY BAN NHÂN DÂN XÃ THẠCH HÀ";
  c.number = "Số: " + std::to_string(100 + i) + "/KS";
  c.place = "Thạch Hà";
  c.date = {2026, 3, 1 + i % 28};
  c.signer_position = "CHỦ TỊCH";
  c.signer_name = "Nguyễn Thị Hồng Nhung";
  if (i % 2 == 0) {
    c.title = "GIẤY KHAI SINH";
    c.paragraphs = {"Họ, chữ đệm, tên: TRẦN MINH KHÔI",
                    "Ngày, tháng, năm sinh: 09/11/2019",
                    "Giới tính: Nam   Dân tộc: Kinh   Quốc tịch: Việt Nam",
                    "Nơi sinh: Trạm Y tế xã Thạch Hà, tỉnh Sông Trà",
                    "Số định danh cá nhân: 0422190" + std::to_string(10000 + i),
                    "Họ, chữ đệm, tên người mẹ: LÊ THỊ HOA",
                    "Họ, chữ đệm, tên người cha: TRẦN VĂN NAM"};
  } else {
    c.title = "TỜ KHAI ĐĂNG KÝ THƯỜNG TRÚ";
    c.paragraphs = {
        "Kính gửi: Công an xã Thạch Hà, tỉnh Sông Trà.",
        "Họ và tên: Nguyễn Văn An; ngày sinh 01/02/1990; số định danh cá nhân 0123456" +
            std::to_string(10000 + i) + ".",
        "Nơi thường trú trước đây: số 12 đường Lê Lợi, phường Bắc Hà, thành phố Hà Tĩnh. Nơi đề "
        "nghị đăng ký thường trú: thôn Đông Tiến, xã Thạch Hà, tỉnh Sông Trà.",
        "Lý do: chuyển đến sinh sống cùng gia đình; kèm theo bản sao giấy khai sinh, giấy chứng "
        "nhận quyền sử dụng đất và văn bản đồng ý của chủ hộ.",
        "Tôi xin cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước "
        "pháp luật về lời khai của mình."};
  }
  return c;
}

void Fatal(const char* what, const Error& e) {
  std::fflush(stdout);
  std::fprintf(stderr, "ocr_benchmark: %s: %s\n", what, e.ToString().c_str());
  std::exit(1);
}

// The pipeline on `pdfs` with `threads` engines; returns the seconds and the characters read.
double Pipeline(const std::vector<std::string>& pdfs, const ocr::OcrOptions& options, int threads,
                size_t* chars) {
  std::vector<ocr::Engine> engines;
  for (int t = 0; t < threads; ++t) {
    auto e = ocr::Engine::Create(options);
    if (!e) Fatal("engine", e.error());
    engines.push_back(std::move(*e));
  }
  std::atomic<size_t> next{0}, total{0};
  auto work = [&](ocr::Engine& engine) {
    for (size_t i = next++; i < pdfs.size(); i = next++) {
      auto r = engine.RecognizePdf(pdfs[i]);
      if (!r) Fatal("recognise", r.error());
      total += r->Text().size();
    }
  };
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, std::ref(engines[t]));
  work(engines[0]);
  for (auto& th : pool) th.join();
  *chars = total;
  return Seconds(t0);
}

// --- 5 and 6: the Digitiser ---------------------------------------------------------------

namespace fs = std::filesystem;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : MOTCUA_DEFAULT_SOURCE_DIR) / "data";
}

struct PixDeleter {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// The ID card's page (as digitise_test.cpp's CardScan), one of four holders.
sign::DocumentContent CardContent(int variant) {
  static const char* const kNames[] = {"NGUYỄN VĂN AN", "TRẦN THỊ BÍCH NGỌC", "LÊ HOÀNG PHÚC",
                                       "PHẠM THỊ THU HƯƠNG"};
  sign::DocumentContent c;
  c.authority = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
  c.unit = "Độc lập - Tự do - Hạnh phúc";
  c.number = "Số: 01";
  c.place = "Thạch Hà";
  c.date = {2026, 3, 12};
  c.title = "CĂN CƯỚC CÔNG DÂN";
  c.paragraphs = {"Số / No.: 0123456789" + std::to_string(10 + variant),
                  std::string("Họ và tên / Full name: ") + kNames[variant % 4],
                  "Ngày sinh / Date of birth: 0" + std::to_string(1 + variant % 9) + "/02/1990",
                  "Giới tính / Sex: " + std::string(variant % 2 ? "Nữ" : "Nam"),
                  "Quê quán: Xã Thạch Hà, Tỉnh Sông Trà"};
  c.signer_position = "CỤC TRƯỞNG";
  c.signer_name = "Trần Văn Bình";
  return c;
}

// `count` distinct noisy scans (PNG, 150 dpi, 1240×789): the card's page rasterised, cut to its
// upper 45 % (the card's text and its signer; the blank rest of the A4 page is dropped), turned
// 0.6°, blurred 3×3 and 0.4 % salt-and-pepper pixels from seed i (the scanner defects of
// src/ocr/ocr_test.cpp).
std::vector<std::string> CardScans(int count, const ocr::OcrOptions& options) {
  constexpr int kDpi = 150;
  std::vector<std::string> rasters;
  for (int v = 0; v < std::min(count, 4); ++v) {
    auto pdf = sign::RenderDocument(CardContent(v));
    if (!pdf) Fatal("render", pdf.error());
    auto pages = ocr::RasterisePdf(*pdf, options, kDpi);
    if (!pages) Fatal("rasterise", pages.error());
    if (pages->empty()) Fatal("rasterise", Error{ErrorCode::kInternal, "bench.no_page", "", {}});
    rasters.push_back(std::move(pages->front()));
  }
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    const std::string& pgm = rasters[static_cast<size_t>(i) % rasters.size()];
    PixPtr page(pixReadMem(reinterpret_cast<const l_uint8*>(pgm.data()), pgm.size()));
    if (!page) Fatal("decode", Error{ErrorCode::kInternal, "bench.decode", "pgm", {}});
    const l_int32 w = pixGetWidth(page.get()), h = pixGetHeight(page.get());
    PixPtr box_pix;
    {
      Box* box = boxCreate(0, 0, w, h * 9 / 20);
      box_pix.reset(pixClipRectangle(page.get(), box, nullptr));
      boxDestroy(&box);
    }
    PixPtr grey(pixConvertTo8(box_pix.get(), 0));
    PixPtr turned(pixRotate(grey.get(), 0.6F * 3.14159265F / 180.0F, L_ROTATE_AREA_MAP,
                            L_BRING_IN_WHITE, 0, 0));
    PixPtr blurred(pixBlockconvGray(turned.get(), nullptr, 1, 1));
    std::mt19937 rng(static_cast<unsigned>(1000 + i));
    std::uniform_real_distribution<double> u(0, 1);
    const l_int32 bw = pixGetWidth(blurred.get()), bh = pixGetHeight(blurred.get());
    for (l_int32 y = 0; y < bh; ++y) {
      for (l_int32 x = 0; x < bw; ++x) {
        const double r = u(rng);
        if (r < 0.002) {
          pixSetPixel(blurred.get(), x, y, 0);
        } else if (r < 0.004) {
          pixSetPixel(blurred.get(), x, y, 255);
        }
      }
    }
    pixSetResolution(blurred.get(), kDpi, kDpi);
    l_uint8* data = nullptr;
    size_t size = 0;
    if (pixWriteMem(&data, &size, blurred.get(), IFF_PNG) != 0) {
      Fatal("encode", Error{ErrorCode::kInternal, "bench.encode", "png", {}});
    }
    out.emplace_back(reinterpret_cast<const char*>(data), size);
    lept_free(data);
  }
  return out;
}

// The baseline: a plain ocr::Engine per thread over the images (engines made beforehand).
double EngineLoop(const std::vector<std::string>& images, const ocr::OcrOptions& options,
                  int threads) {
  std::vector<ocr::Engine> engines;
  for (int t = 0; t < threads; ++t) {
    auto e = ocr::Engine::Create(options);
    if (!e) Fatal("engine", e.error());
    engines.push_back(std::move(*e));
  }
  std::atomic<size_t> next{0};
  auto work = [&](ocr::Engine& engine) {
    for (size_t i = next++; i < images.size(); i = next++) {
      auto r = engine.RecognizeImage(images[i]);
      if (!r) Fatal("recognise", r.error());
    }
  };
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, std::ref(engines[t]));
  work(engines[0]);
  for (auto& th : pool) th.join();
  return Seconds(t0);
}

int64_t RssKiB(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::atoll(line.c_str() + std::strlen(field));
  }
  return -1;
}

struct Sample {
  double t = 0;
  int64_t pending = 0;  // the durable backlog (ocr_pending rows)
  app::DigitiserStats stats;
};

struct DigitiserRun {
  int files = 0;
  double upload_s = 0;  // the uploads through Files::Upload (blob + FileUploaded, one commit each)
  double start_s = 0;   // Digitiser::Start: one engine per worker
  double drain_s = 0;   // after Start until every file is recognised (or the time limit)
  app::DigitiserStats stats;
  int64_t pending_end = 0;
  bool complete = false;
  std::vector<Sample> samples;
};

// A fresh SQLite store in a temporary directory; the scans uploaded by a counter officer (the
// images cycle when `files` exceeds them); a Digitiser with `workers`. Samples the backlog every
// `sample_every` seconds; stops once every file is recognised or after `limit_s` seconds.
DigitiserRun RunDigitiser(const std::vector<std::string>& scans, int files, int workers,
                          const ocr::OcrOptions& options, double sample_every, double limit_s) {
  DigitiserRun run;
  run.files = files;
  const fs::path root =
      fs::temp_directory_path() / ("motcua-ocr-bench-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(workers) + "-" + std::to_string(files));
  fs::remove_all(root);
  fs::create_directories(root);
  auto temp = store::testing::TempStore::Create("sqlite");
  if (!temp) Fatal("store", temp.error());
  auto opened = (*temp)->Open({.create = true});
  if (!opened) Fatal("store", opened.error());
  std::unique_ptr<store::Store> db = std::move(*opened);
  FixedClock clock{FromVietnamLocal({2026, 3, 3}, 8 * 60)};
  auto from_data = app::Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
  if (!from_data) Fatal("catalogue", from_data.error());
  if (auto imported = app::ImportCatalog(*db, **from_data, clock.Now()); !imported) {
    Fatal("catalogue", imported.error());
  }
  auto catalog = app::Catalog::Load(*db, DataDir());
  if (!catalog) Fatal("catalogue", catalog.error());
  app::Lifecycle lifecycle(*db, *catalog, clock);
  const app::BlobStore blobs(root / "files");
  app::Files uploads(*db, blobs, lifecycle.access(), clock);
  app::Actor officer{app::Actor::Kind::kOfficer, "bench-officer", "99501", {"one_stop_officer"}};
  officer.account = "acc-bench-officer";

  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < files; ++i) {
    auto f = uploads.Upload(officer, "cccd-" + std::to_string(i) + ".png", "image/png",
                            scans[static_cast<size_t>(i) % scans.size()]);
    if (!f) Fatal("upload", f.error());
  }
  run.upload_s = Seconds(t0);

  ocr::OcrOptions o = options;
  o.temp_dir = root;
  app::Digitiser d(*db, [&uploads](const domain::FileRef& ref) { return uploads.Bytes(ref); },
                   app::TesseractRecognisers(o), clock, {.workers = workers});
  t0 = std::chrono::steady_clock::now();
  if (auto started = d.Start(); !started) Fatal("digitiser", started.error());
  run.start_s = Seconds(t0);
  t0 = std::chrono::steady_clock::now();
  auto sample = [&] {
    auto pending = d.CountPending();
    if (!pending) Fatal("backlog", pending.error());
    run.samples.push_back({Seconds(t0), *pending, d.Stats()});
  };
  sample();
  double next_sample = sample_every;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const app::DigitiserStats s = d.Stats();
    const double t = Seconds(t0);
    if (s.recognised + s.failed >= files) {
      run.drain_s = t;
      run.complete = true;
      break;
    }
    if (limit_s > 0 && t >= limit_s) {
      run.drain_s = t;
      break;
    }
    if (t >= next_sample) {
      sample();
      next_sample += sample_every;
    }
  }
  sample();
  d.Stop();
  run.stats = d.Stats();
  auto left = d.CountPending();
  if (!left) Fatal("backlog", left.error());
  run.pending_end = *left;
  db.reset();
  fs::remove_all(root);
  return run;
}

void PrintSamples(const DigitiserRun& run) {
  std::printf("    %8s %10s %8s %8s %10s\n", "t (s)", "backlog", "queued", "running", "recognised");
  for (const Sample& s : run.samples) {
    std::printf("    %8.1f %10lld %8lld %8lld %10lld\n", s.t, static_cast<long long>(s.pending),
                static_cast<long long>(s.stats.queued), static_cast<long long>(s.stats.running),
                static_cast<long long>(s.stats.recognised));
  }
}

void DigitiserSection(int scans_n, const ocr::OcrOptions& options) {
  const std::vector<std::string> scans = CardScans(scans_n, options);
  size_t bytes = 0;
  for (const std::string& s : scans) bytes += s.size();
  std::printf(
      "digitiser: %d noisy ID-card scans (PNG 150 dpi, %zu KiB on average), uploaded through "
      "Files::Upload to SQLite, then app::Digitiser until every FileRecognised\n",
      scans_n, bytes / scans.size() / 1024);
  // Baseline side by side: the engine alone, same images.
  const double base1 = EngineLoop(scans, options, 1);
  const double base2 = EngineLoop(scans, options, 2);
  auto per_min = [&](double s, int n) { return s > 0 ? 60.0 * n / s : 0.0; };
  std::printf("  baseline, ocr::Engine loop, 1 thread:     %8.1f pages/min (%.0f ms/page)\n",
              per_min(base1, scans_n), 1000 * base1 / scans_n);
  std::printf("  baseline, ocr::Engine loop, 2 threads:    %8.1f pages/min (%.0f ms/page)\n",
              per_min(base2, scans_n), 1000 * base2 / scans_n);
  for (int workers : {1, 2}) {
    const DigitiserRun r = RunDigitiser(scans, scans_n, workers, options, 5.0, 0);
    const double base = workers == 1 ? base1 : base2;
    const double e2e = r.upload_s + r.start_s + r.drain_s;
    std::printf("  Digitiser, %d worker%s (fresh store):\n", workers, workers == 1 ? " " : "s");
    std::printf("    uploads (Files::Upload):            %8.1f uploads/s\n", r.files / r.upload_s);
    std::printf("    start (one engine per worker):      %8.0f ms\n", 1000 * r.start_s);
    std::printf("    drain, Start → last FileRecognised:  %8.1f pages/min (%.0f ms/page)\n",
                per_min(r.drain_s, r.files), 1000 * r.drain_s / r.files);
    std::printf("    end to end, first upload → last:     %8.1f pages/min\n",
                per_min(e2e, r.files));
    std::printf("    vs baseline (%d thread%s): drain time / engine loop time = %.2f\n", workers,
                workers == 1 ? "" : "s", r.drain_s / base);
    std::printf(
        "    queue high-water mark %lld of capacity %lld; recognised %lld, failed %lld, "
        "retries %lld; backlog left %lld\n",
        static_cast<long long>(r.stats.max_queued), static_cast<long long>(r.stats.capacity),
        static_cast<long long>(r.stats.recognised), static_cast<long long>(r.stats.failed),
        static_cast<long long>(r.stats.retries), static_cast<long long>(r.pending_end));
    PrintSamples(r);
  }
}

void BurstSection(int burst, double limit_s, const ocr::OcrOptions& options) {
  const std::vector<std::string> scans = CardScans(std::min(burst, 40), options);
  std::printf(
      "burst: %d scans uploaded at once (%zu distinct images, cycled), then app::Digitiser "
      "with 2 workers%s\n",
      burst, scans.size(),
      limit_s > 0 ? (" for at most " + std::to_string(static_cast<int>(limit_s)) + " s").c_str()
                  : "");
  const int64_t rss0 = RssKiB("VmRSS:");
  const DigitiserRun r = RunDigitiser(scans, burst, 2, options, 15.0, limit_s);
  PrintSamples(r);
  std::printf("  uploads: %.1f uploads/s (%d in %.1f s)\n", burst / r.upload_s, burst, r.upload_s);
  std::printf(
      "  %s: %lld recognised, %lld failed in %.1f s (%.1f pages/min); durable backlog "
      "%lld → %lld\n",
      r.complete ? "drained" : "stopped at the time limit",
      static_cast<long long>(r.stats.recognised), static_cast<long long>(r.stats.failed), r.drain_s,
      60.0 * static_cast<double>(r.stats.recognised) / r.drain_s,
      static_cast<long long>(r.samples.front().pending), static_cast<long long>(r.pending_end));
  std::printf("  in-memory queue: high-water mark %lld, capacity %lld: %s\n",
              static_cast<long long>(r.stats.max_queued), static_cast<long long>(r.stats.capacity),
              r.stats.max_queued <= r.stats.capacity ? "bounded" : "EXCEEDED");
  std::printf("  process RSS: %lld MiB before the store, %lld MiB at the end (peak %lld MiB)\n",
              static_cast<long long>(rss0 / 1024), static_cast<long long>(RssKiB("VmRSS:") / 1024),
              static_cast<long long>(RssKiB("VmHWM:") / 1024));
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false, digitiser_only = false;
  int pages = 0, dpi = 300, scans = 0, burst = 0;
  double burst_seconds = 0;
  std::string write_scan;  // --write-scan FILE: the first generated ID-card scan, to look at
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) smoke = true;
    if (std::strcmp(argv[i], "--digitiser-only") == 0) digitiser_only = true;
    if (std::strcmp(argv[i], "--pages") == 0 && i + 1 < argc) pages = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--dpi") == 0 && i + 1 < argc) dpi = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--scans") == 0 && i + 1 < argc) scans = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--burst") == 0 && i + 1 < argc) burst = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--burst-seconds") == 0 && i + 1 < argc) {
      burst_seconds = std::atof(argv[++i]);
    }
    if (std::strcmp(argv[i], "--write-scan") == 0 && i + 1 < argc) write_scan = argv[++i];
  }
  if (pages <= 0) pages = smoke ? 2 : 12;
  if (scans <= 0) scans = smoke ? 2 : 24;
  if (smoke) dpi = 150;
  ocr::OcrOptions options;
  options.pdf_dpi = dpi;
  const unsigned cores = std::thread::hardware_concurrency();
  if (!write_scan.empty()) {
    std::ofstream(write_scan, std::ios::binary) << CardScans(1, options).front();
    return 0;
  }
  if (digitiser_only || burst > 0) {
    std::printf("ocr_benchmark: tesseract LSTM 'vie', %u cores\n", cores);
    if (digitiser_only) DigitiserSection(scans, options);
    if (burst > 0) BurstSection(burst, burst_seconds, options);
    return 0;
  }

  std::vector<std::string> pdfs;
  for (int i = 0; i < pages; ++i) {
    auto pdf = sign::RenderDocument(Content(i));
    if (!pdf) Fatal("render", pdf.error());
    pdfs.push_back(std::move(*pdf));
  }
  std::printf("ocr_benchmark: %d A4 pages at %d dpi, tesseract LSTM 'vie', %u cores\n", pages, dpi,
              cores);

  auto t0 = std::chrono::steady_clock::now();
  auto engine = ocr::Engine::Create(options);
  if (!engine) Fatal("engine", engine.error());
  const double start_s = Seconds(t0);

  // 1. Baseline: rasterisation alone.
  std::vector<std::string> images;
  t0 = std::chrono::steady_clock::now();
  for (const std::string& pdf : pdfs) {
    auto r = ocr::RasterisePdf(pdf, options, dpi);
    if (!r) Fatal("rasterise", r.error());
    for (std::string& img : *r) images.push_back(std::move(img));
  }
  const double raster_s = Seconds(t0);

  // 2. OCR alone, one thread.
  t0 = std::chrono::steady_clock::now();
  for (const std::string& img : images) {
    auto r = engine->RecognizeImage(img);
    if (!r) Fatal("recognise", r.error());
  }
  const double ocr_s = Seconds(t0);

  // 3. The whole pipeline, 1 and 2 threads.
  size_t chars1 = 0, chars2 = 0;
  const double one_s = Pipeline(pdfs, options, 1, &chars1);
  const double two_s = Pipeline(pdfs, options, 2, &chars2);
  // 4. For comparison: tesseract's own OpenMP threads on (Debian's default), 1 engine.
  ocr::OcrOptions openmp = options;
  openmp.tesseract_openmp = true;
  size_t chars_omp = 0;
  const double omp_s = Pipeline(pdfs, openmp, 1, &chars_omp);

  auto per_min = [&](double s) { return 60.0 * pages / s; };
  std::printf("  engine start (Init 'vie'):                 %8.0f ms\n", 1000 * start_s);
  std::printf("  baseline, rasterisation alone (pdftoppm):  %8.1f pages/min (%.0f ms/page)\n",
              per_min(raster_s), 1000 * raster_s / pages);
  std::printf("  OCR alone of the rasterised pages, 1 thread:%7.1f pages/min (%.0f ms/page)\n",
              per_min(ocr_s), 1000 * ocr_s / pages);
  std::printf("  pipeline PDF→text, 1 thread:               %8.1f pages/min (%.0f ms/page)\n",
              per_min(one_s), 1000 * one_s / pages);
  std::printf("  pipeline PDF→text, 2 threads:              %8.1f pages/min (%.0f ms/page)\n",
              per_min(two_s), 1000 * two_s / pages);
  std::printf("  pipeline, 1 engine with tesseract's OpenMP: %7.1f pages/min (%.0f ms/page)\n",
              per_min(omp_s), 1000 * omp_s / pages);
  std::printf("  ratio pipeline(1 thread)/rasterisation time: %.1f; 2-thread speed-up: %.2f\n",
              one_s / raster_s, one_s / two_s);
  std::printf("  characters read: %zu (1 thread), %zu (2 threads)%s\n", chars1, chars2,
              chars1 == chars2 ? "" : "  [differ]");
  DigitiserSection(scans, options);
  return 0;
}
