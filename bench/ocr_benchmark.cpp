// OCR benchmark (issue #8): pages per minute of the digitisation pipeline on this machine:
//   1. the baseline: rasterisation alone (pdftoppm, one page per run, greyscale) at the dpi;
//   2. OCR alone (tesseract LSTM, Vietnamese) of the pages already rasterised, one thread;
//   3. the whole pipeline (PDF → pdftoppm → tesseract) with 1 and with 2 threads, one engine
//      (tesseract::TessBaseAPI) per thread, pages taken from a shared counter;
//   4. the same with 1 engine and tesseract's own OpenMP threads on (OcrOptions::tesseract_openmp);
// with the ratios: pipeline / rasterisation time, and the 2-thread speed-up.
// The pages are A4 administrative documents rendered by motcua_sign (DejaVu Serif), clean (no
// scanner noise): a real scan is slower. Usage: ocr_benchmark [--smoke] [--pages N] [--dpi D].
// Figures are printed, never asserted.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "ocr/ocr.h"
#include "sign/document.h"

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

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false;
  int pages = 0, dpi = 300;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) smoke = true;
    if (std::strcmp(argv[i], "--pages") == 0 && i + 1 < argc) pages = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--dpi") == 0 && i + 1 < argc) dpi = std::atoi(argv[++i]);
  }
  if (pages <= 0) pages = smoke ? 2 : 12;
  if (smoke) dpi = 150;
  ocr::OcrOptions options;
  options.pdf_dpi = dpi;

  std::vector<std::string> pdfs;
  for (int i = 0; i < pages; ++i) {
    auto pdf = sign::RenderDocument(Content(i));
    if (!pdf) Fatal("render", pdf.error());
    pdfs.push_back(std::move(*pdf));
  }
  const unsigned cores = std::thread::hardware_concurrency();
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
  return 0;
}
