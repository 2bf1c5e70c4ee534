// The OCR adapter on scans made here: Vietnamese pages rendered by motcua_sign's document writer
// (DejaVu Serif, every diacritic), rasterised by pdftoppm at 200 dpi, then spoiled the way a
// counter scanner spoils them (a slight rotation, blur, salt-and-pepper noise from a fixed seed).
#include "ocr/ocr.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>

#include "ocr/fields.h"
#include "sign/document.h"

namespace motcua::ocr {
namespace {
namespace fs = std::filesystem;

struct PixDeleter {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void WriteFile(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

int Shell(const std::string& command) { return std::system((command + " 2>&1").c_str()); }

sign::DocumentContent Page(std::string title, std::vector<std::string> paragraphs) {
  sign::DocumentContent c;
  c.authority = "ỦY BAN NHÂN DÂN TỈNH SÔNG TRÀ";
  c.unit = "XÃ THẠCH HÀ";
  c.number = "Số: 15/KS";
  c.place = "Thạch Hà";
  c.date = {2026, 3, 12};
  c.title = std::move(title);
  c.paragraphs = std::move(paragraphs);
  c.signer_position = "CHỦ TỊCH";
  c.signer_name = "Nguyễn Thị Hồng Nhung";
  return c;
}

sign::DocumentContent LetterPage() {
  return Page("GIẤY XÁC NHẬN",
              {"Ủy ban nhân dân xã Thạch Hà xác nhận ông Nguyễn Văn An đã nộp đủ hồ sơ đăng ký "
               "khai sinh cho con.",
               "Hồ sơ gồm tờ khai, giấy chứng sinh và bản sao căn cước của người đi khai sinh.",
               "Kết quả được trả tại bộ phận một cửa trong thời hạn ba ngày làm việc."});
}

sign::DocumentContent CardPage() {
  return Page("CĂN CƯỚC CÔNG DÂN",
              {"Số / No.: 012345678901", "Họ và tên / Full name: NGUYỄN VĂN AN",
               "Ngày sinh / Date of birth: 01/02/1990", "Giới tính / Sex: Nam",
               "Quốc tịch / Nationality: Việt Nam",
               "Quê quán / Place of origin: Xã Thạch Hà, Tỉnh Sông Trà",
               "Nơi thường trú / Place of residence: Số 5, đường Trần Phú, xã Thạch Hà"});
}

sign::DocumentContent BirthPage() {
  return Page(
      "GIẤY KHAI SINH",
      {"Họ, chữ đệm, tên: TRẦN MINH KHÔI", "Ngày, tháng, năm sinh: 09/11/2019", "Giới tính: Nam",
       "Dân tộc: Kinh", "Quốc tịch: Việt Nam", "Nơi sinh: Trạm Y tế xã Thạch Hà, tỉnh Sông Trà",
       "Số định danh cá nhân: 042219001234", "Họ, chữ đệm, tên người mẹ: LÊ THỊ HOA",
       "Họ, chữ đệm, tên người cha: TRẦN VĂN NAM"});
}

class OcrTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("motcua-ocr-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_.temp_dir = dir_;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Pdf(const sign::DocumentContent& c) {
    auto pdf = sign::RenderDocument(c);
    EXPECT_TRUE(pdf.has_value()) << pdf.error().ToString();
    return pdf.value_or("");
  }

  // The page as pdftoppm draws it (PNG, greyscale), at `dpi`.
  std::string Raster(const std::string& pdf, int dpi = 200) {
    WriteFile(dir_ / "in.pdf", pdf);
    EXPECT_EQ(Shell("pdftoppm -r " + std::to_string(dpi) + " -gray -png -singlefile " +
                    (dir_ / "in.pdf").string() + " " + (dir_ / "raster").string()),
              0);
    return ReadFile(dir_ / "raster.png");
  }

  // A scanner's defects, the same for a seed: rotated by `degrees`, blurred (3×3 mean), and
  // `noise` of the pixels turned black or white.
  static std::string Spoil(const std::string& png, unsigned seed, float degrees = 0.6F,
                           double noise = 0.004) {
    PixPtr pix(pixReadMem(reinterpret_cast<const l_uint8*>(png.data()), png.size()));
    EXPECT_NE(pix, nullptr);
    if (!pix) return {};
    PixPtr grey(pixConvertTo8(pix.get(), 0));
    PixPtr turned(pixRotate(grey.get(), degrees * 3.14159265F / 180.0F, L_ROTATE_AREA_MAP,
                            L_BRING_IN_WHITE, 0, 0));
    PixPtr blurred(pixBlockconvGray(turned.get(), nullptr, 1, 1));
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    const l_int32 w = pixGetWidth(blurred.get()), h = pixGetHeight(blurred.get());
    for (l_int32 y = 0; y < h; ++y) {
      for (l_int32 x = 0; x < w; ++x) {
        const double r = u(rng);
        if (r < noise / 2) {
          pixSetPixel(blurred.get(), x, y, 0);
        } else if (r < noise) {
          pixSetPixel(blurred.get(), x, y, 255);
        }
      }
    }
    pixSetResolution(blurred.get(), 200, 200);
    l_uint8* data = nullptr;
    size_t size = 0;
    EXPECT_EQ(pixWriteMem(&data, &size, blurred.get(), IFF_PNG), 0);
    std::string out(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    return out;
  }

  std::string Scan(const sign::DocumentContent& c, unsigned seed) {
    return Spoil(Raster(Pdf(c)), seed);
  }

  fs::path dir_;
  OcrOptions options_;
};

// Counts the words of `expected` missing from `text` (both NFC), listing them in `missing`.
int Misses(const std::string& text, const std::vector<std::string>& expected,
           std::string& missing) {
  int n = 0;
  for (const std::string& word : expected) {
    if (text.find(ComposeVietnamese(word)) == std::string::npos) {
      ++n;
      missing += " [" + word + "]";
    }
  }
  return n;
}

TEST_F(OcrTest, ReadsVietnameseWithDiacriticsFromANoisyScan) {
  auto r = RecognizeImage(Scan(LetterPage(), 1), options_);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_EQ(r->page_count(), 1);
  EXPECT_EQ(r->pages[0].number, 1);
  const std::string& text = r->pages[0].text;
  // Text comes out precomposed.
  EXPECT_EQ(text, ComposeVietnamese(text));
  std::string missing;
  // The key words, every one.
  EXPECT_EQ(Misses(text, {"Độc lập", "Tự do", "Hạnh phúc", "Nguyễn Văn An", "khai sinh"}, missing),
            0)
      << missing << "\n"
      << text;
  // The rest, with at most two misses.
  missing.clear();
  EXPECT_LE(
      Misses(text,
             {"CỘNG HÒA",        "XÃ HỘI",           "CHỦ NGHĨA",     "VIỆT NAM",
              "ỦY BAN NHÂN DÂN", "THẠCH HÀ",         "GIẤY XÁC NHẬN", "Ủy ban nhân dân",
              "xác nhận",        "đã nộp đủ",        "hồ sơ",         "đăng ký",
              "tờ khai",         "giấy chứng sinh",  "bản sao",       "căn cước",
              "người",           "Kết quả",          "được trả",      "bộ phận một cửa",
              "thời hạn",        "ba ngày làm việc", "CHỦ TỊCH",      "Nguyễn Thị Hồng Nhung"},
             missing),
      2)
      << missing << "\n"
      << text;
  EXPECT_GT(r->pages[0].confidence, 50);
  EXPECT_DOUBLE_EQ(r->mean_confidence, r->pages[0].confidence);
}

TEST_F(OcrTest, FieldsOfAScannedIdCard) {
  auto r = RecognizeImage(Scan(CardPage(), 2), options_);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  const ExtractedFields f = ExtractFields(r->Text());
  EXPECT_EQ(f.kind, "citizen_id_card") << r->Text();
  EXPECT_EQ(f.id_number.value, "012345678901") << r->Text();
  EXPECT_EQ(f.full_name.value, "NGUYỄN VĂN AN") << r->Text();
  EXPECT_EQ(f.date_of_birth.value, "1990-02-01") << r->Text();
  EXPECT_EQ(f.sex.value, "Nam") << r->Text();
  EXPECT_EQ(f.nationality.value, "Việt Nam") << r->Text();
}

// An engine made on one thread and used on another (a worker's) must not run OpenMP teams there:
// the setting is per thread in libgomp, and spinning teams made workers 4–6× slower.
TEST_F(OcrTest, AnEngineUsedOnAnotherThreadKeepsOpenMpOff) {
  using GetLevels = int (*)();
  const auto get = reinterpret_cast<GetLevels>(::dlsym(RTLD_DEFAULT, "omp_get_max_active_levels"));
  if (get == nullptr) GTEST_SKIP() << "this tesseract does not use OpenMP";
  auto engine = Engine::Create(options_);
  ASSERT_TRUE(engine.has_value()) << engine.error().ToString();
  const std::string scan = Scan(CardPage(), 3);
  int levels = -1;
  bool read = false;
  std::thread worker([&] {
    read = engine->RecognizeImage(scan).has_value();
    levels = get();
  });
  worker.join();
  EXPECT_TRUE(read);
  EXPECT_EQ(levels, 0);
}

TEST_F(OcrTest, FieldsOfAScannedBirthCertificate) {
  auto r = RecognizeImage(Scan(BirthPage(), 3), options_);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  const ExtractedFields f = ExtractFields(r->Text());
  EXPECT_EQ(f.kind, "birth_certificate") << r->Text();
  EXPECT_EQ(f.id_number.value, "042219001234") << r->Text();
  EXPECT_EQ(f.full_name.value, "TRẦN MINH KHÔI") << r->Text();
  EXPECT_EQ(f.date_of_birth.value, "2019-11-09") << r->Text();
}

TEST_F(OcrTest, PdfPagesInOrder) {
  WriteFile(dir_ / "a.pdf", Pdf(CardPage()));
  WriteFile(dir_ / "b.pdf", Pdf(BirthPage()));
  ASSERT_EQ(Shell("qpdf --empty --pages " + (dir_ / "a.pdf").string() + " " +
                  (dir_ / "b.pdf").string() + " -- " + (dir_ / "ab.pdf").string()),
            0);
  options_.pdf_dpi = 200;  // faster; the default 300 is for real scans
  auto r = RecognizePdf(ReadFile(dir_ / "ab.pdf"), options_);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_EQ(r->page_count(), 2);
  EXPECT_EQ(r->pages[0].number, 1);
  EXPECT_EQ(r->pages[1].number, 2);
  EXPECT_NE(r->pages[0].text.find("CĂN CƯỚC"), std::string::npos) << r->pages[0].text;
  EXPECT_NE(r->pages[1].text.find("KHAI SINH"), std::string::npos) << r->pages[1].text;
  // The temporary pages are gone.
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_FALSE(e.path().filename().string().starts_with("motcua-ocr-")) << e.path();
  }
  // Recognize() sniffs the type.
  auto again = Recognize(ReadFile(dir_ / "ab.pdf"), options_);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->page_count(), 2);
}

TEST_F(OcrTest, MultiPageTiffJpegAndEngineReuse) {
  const std::string png = Raster(Pdf(CardPage()));
  PixPtr pix(pixReadMem(reinterpret_cast<const l_uint8*>(png.data()), png.size()));
  ASSERT_NE(pix, nullptr);
  Pixa* pixa = pixaCreate(2);
  pixaAddPix(pixa, pix.get(), L_COPY);
  pixaAddPix(pixa, pix.get(), L_COPY);
  l_uint8* data = nullptr;
  size_t size = 0;
  ASSERT_EQ(pixaWriteMemMultipageTiff(&data, &size, pixa), 0);
  pixaDestroy(&pixa);
  std::string tiff(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  EXPECT_EQ(SniffType(tiff), FileType::kTiff);

  auto engine = Engine::Create(options_);
  ASSERT_TRUE(engine.has_value()) << engine.error().ToString();
  auto r = engine->RecognizeImage(tiff);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_EQ(r->page_count(), 2);
  EXPECT_EQ(r->pages[1].number, 2);
  // The same engine gives the same text for the same page, page after page.
  EXPECT_EQ(r->pages[0].text, r->pages[1].text);
  auto single = engine->RecognizeImage(png);
  ASSERT_TRUE(single.has_value());
  EXPECT_EQ(single->pages[0].text, r->pages[0].text);
  EXPECT_NE(single->pages[0].text.find("NGUYỄN VĂN AN"), std::string::npos);
  // JPEG as a phone or scanner writes it.
  data = nullptr;
  ASSERT_EQ(pixWriteMem(&data, &size, pix.get(), IFF_JFIF_JPEG), 0);
  std::string jpeg(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  EXPECT_EQ(SniffType(jpeg), FileType::kJpeg);
  auto from_jpeg = engine->RecognizeImage(jpeg);
  ASSERT_TRUE(from_jpeg.has_value()) << from_jpeg.error().ToString();
  EXPECT_NE(from_jpeg->pages[0].text.find("NGUYỄN VĂN AN"), std::string::npos)
      << from_jpeg->pages[0].text;
  // Too many frames for a limit of one page.
  options_.max_pages = 1;
  auto limited = RecognizeImage(tiff, options_);
  ASSERT_FALSE(limited.has_value());
  EXPECT_EQ(limited.error().key, "ocr.too_many_pages");
}

TEST_F(OcrTest, BadInputGivesTheRightError) {
  auto key = [&](const std::string& bytes) {
    auto r = Recognize(bytes, options_);
    return r.has_value() ? std::string("ok") : r.error().key;
  };
  EXPECT_EQ(key(""), "ocr.unsupported_type");
  std::mt19937 rng(7);
  std::string random(4096, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  random[0] = 'x';
  EXPECT_EQ(key(random), "ocr.unsupported_type");
  EXPECT_EQ(key("GIF89a" + random), "ocr.unsupported_type");

  const std::string png = Raster(Pdf(CardPage()), 100);
  EXPECT_EQ(key(png.substr(0, png.size() / 2)), "ocr.unreadable_image");
  EXPECT_EQ(key(png.substr(0, 20)), "ocr.unreadable_image");
  EXPECT_EQ(key(std::string("\xff\xd8\xff") + random), "ocr.unreadable_image");
  EXPECT_EQ(key(std::string("II*\0", 4) + random), "ocr.unreadable_image");
  EXPECT_EQ(key("%PDF-1.7\n" + random), "ocr.unreadable_pdf");

  std::string big = png;
  big.resize(25u << 20, '\0');
  auto r = Recognize(big, options_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "ocr.too_large");
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);

  // A page that decodes to more pixels than allowed.
  OcrOptions small = options_;
  small.max_pixels_per_page = 1000;
  auto huge = RecognizeImage(png, small);
  ASSERT_FALSE(huge.has_value());
  EXPECT_EQ(huge.error().key, "ocr.too_large");

  // A PDF is not an image, and an image is not a PDF.
  EXPECT_EQ(RecognizeImage("%PDF-1.4\n", options_).error().key, "ocr.unsupported_type");
  EXPECT_EQ(RecognizePdf(png, options_).error().key, "ocr.unsupported_type");
}

TEST_F(OcrTest, TooManyPdfPagesIsRefusedBeforeRasterising) {
  WriteFile(dir_ / "one.pdf", Pdf(LetterPage()));
  std::string files;
  for (int i = 0; i < 60; ++i) files += (dir_ / "one.pdf").string() + " ";
  ASSERT_EQ(Shell("qpdf --empty --pages " + files + "-- " + (dir_ / "sixty.pdf").string()), 0);
  auto r = RecognizePdf(ReadFile(dir_ / "sixty.pdf"), options_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "ocr.too_many_pages");
  EXPECT_NE(r.error().detail.find("60 pages"), std::string::npos) << r.error().detail;
}

TEST_F(OcrTest, MissingModelOrToolIsEngineUnavailable) {
  OcrOptions o = options_;
  o.tessdata_dir = (dir_ / "no-tessdata").string();
  auto r = RecognizeImage("\x89PNG\r\n\x1a\n", o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "ocr.engine_unavailable");
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  o = options_;
  o.language = "xyz";
  EXPECT_EQ(Engine::Create(o).error().key, "ocr.engine_unavailable");
  o.language = "../vie";
  EXPECT_EQ(Engine::Create(o).error().key, "ocr.engine_unavailable");
  o = options_;
  o.pdfinfo = (dir_ / "no-such-pdfinfo").string();
  auto p = RecognizePdf(Pdf(CardPage()), o);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().key, "ocr.engine_unavailable");
}

TEST(SniffTypeTest, ByMagicNumbers) {
  EXPECT_EQ(SniffType("\x89PNG\r\n\x1a\nrest"), FileType::kPng);
  EXPECT_EQ(SniffType("\xff\xd8\xff\xe0"), FileType::kJpeg);
  EXPECT_EQ(SniffType(std::string_view("MM\0*", 4)), FileType::kTiff);
  EXPECT_EQ(SniffType("junk\n%PDF-1.4"), FileType::kPdf);
  EXPECT_EQ(SniffType("P5\n2480 3508\n255\n"), FileType::kPnm);
  EXPECT_EQ(SniffType("P7\n"), FileType::kUnknown);
  EXPECT_EQ(SniffType(""), FileType::kUnknown);
  EXPECT_EQ(SniffType("PNG"), FileType::kUnknown);
  EXPECT_EQ(FileTypeName(FileType::kPdf), "pdf");
}

}  // namespace
}  // namespace motcua::ocr
