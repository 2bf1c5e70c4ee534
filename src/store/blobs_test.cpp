#include "store/blobs.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <set>

namespace motcua::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string Sha(std::string_view b) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(b.data(), b.size(), md, &n, EVP_sha256(), nullptr);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += kDigits[md[i] >> 4];
    out += kDigits[md[i] & 15];
  }
  return out;
}

std::string Pdf(const std::string& text) {
  std::string body = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% " + text + "\n";
  const size_t xref = body.size();
  body += "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Root 1 0 R >>\nstartxref\n" +
          std::to_string(xref) + "\n%%EOF\n";
  return body;
}

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string Png(uint32_t w, uint32_t h, bool with_iend = true) {
  std::string s("\x89PNG\r\n\x1a\n", 8);
  s += Be32(13) + "IHDR" + Be32(w) + Be32(h);
  s += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, deflate, adaptive, no interlace
  s += Be32(0);                                 // CRC (not checked)
  s += Be32(10) + "IDAT" + std::string(10, 'x') + Be32(0);
  if (with_iend) s += std::string("\0\0\0\0IEND\xAE\x42\x60\x82", 12);
  return s;
}

std::string Jpeg(uint16_t w, uint16_t h, bool with_eoi = true, size_t exif = 0) {
  std::string s("\xFF\xD8", 2);
  s += std::string("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
  while (exif > 0) {  // APP1 segments of up to 64 KiB before the frame header
    const size_t n = std::min<size_t>(exif, 65000);
    s += "\xFF\xE1";
    s += static_cast<char>((n + 2) >> 8);
    s += static_cast<char>((n + 2) & 0xFF);
    s += std::string(n, 'e');
    exif -= n;
  }
  s += std::string("\xFF\xC0\x00\x11\x08", 5);
  s += static_cast<char>(h >> 8);
  s += static_cast<char>(h & 0xFF);
  s += static_cast<char>(w >> 8);
  s += static_cast<char>(w & 0xFF);
  s += std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
  s += std::string("\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00", 10);
  s += std::string(100, '\x55');
  if (with_eoi) s += "\xFF\xD9";
  return s;
}

// A real zip archive's local header (a zip bomb starts exactly like this: "PK\3\4", deflate,
// a tiny compressed size and a huge uncompressed one). Nothing is ever inflated.
std::string ZipBomb() {
  std::string s("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10);
  s += std::string("\x00\x00\x00\x00", 4);  // time, date
  s += std::string("\x00\x00\x00\x00", 4);  // crc
  s += std::string("\x00\x10\x00\x00", 4);  // compressed: 4 KiB
  s += std::string("\x00\x00\x00\xFF", 4);  // uncompressed: 4 GiB
  s += std::string("\x08\x00\x00\x00", 4) + "zero.bin";
  s += std::string(4096, '\0');
  return s;
}

class BlobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("motcua-blobs-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    blobs_ = std::make_unique<BlobStore>(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Every regular file under the root but the lock file: blobs and temporary files.
  std::set<std::string> Files() const {
    std::set<std::string> out;
    std::error_code ec;
    if (!fs::exists(root_, ec)) return out;
    for (const auto& e : fs::recursive_directory_iterator(root_)) {
      if (e.is_regular_file() && e.path().filename() != ".lock") {
        out.insert(fs::relative(e.path(), root_).string());
      }
    }
    return out;
  }

  Result<BlobInfo> Upload(std::string_view bytes, std::string_view type, BlobLimits limits = {},
                          size_t chunk = 1000) {
    auto w = blobs_->Begin(limits);
    if (!w) return std::unexpected(w.error());
    for (size_t off = 0; off < bytes.size(); off += chunk) {
      if (auto r = w->Write(bytes.substr(off, chunk)); !r) return std::unexpected(r.error());
    }
    return w->Commit(type);
  }

  std::string Key(std::string_view bytes, std::string_view type, BlobLimits limits = {}) {
    auto r = Upload(bytes, type, limits);
    return r ? "ok" : r.error().key;
  }

  void Age(const fs::path& p, std::chrono::hours by) {
    fs::last_write_time(p, fs::file_time_type::clock::now() - by);
  }

  fs::path root_;
  std::unique_ptr<BlobStore> blobs_;
};

TEST_F(BlobsTest, LayoutIsTwoLevelsAndNothingElseIsLeft) {
  const std::string pdf = Pdf("a");
  auto info = blobs_->Put(pdf);
  ASSERT_TRUE(info.has_value()) << info.error().ToString();
  const std::string h = Sha(pdf);
  EXPECT_EQ(info->sha256, h);
  EXPECT_EQ(info->size, static_cast<int64_t>(pdf.size()));
  EXPECT_FALSE(info->existed);
  EXPECT_EQ(Files(), (std::set<std::string>{h.substr(0, 2) + "/" + h.substr(2, 2) + "/" + h}));
  EXPECT_EQ(blobs_->PathOf(h), root_ / h.substr(0, 2) / h.substr(2, 2) / h);
  EXPECT_TRUE(blobs_->Exists(h));
  EXPECT_EQ(blobs_->Get(h).value(), pdf);
  auto reader = blobs_->OpenRead(h);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ(reader->path, blobs_->PathOf(h));
  EXPECT_EQ(reader->size, static_cast<int64_t>(pdf.size()));
}

TEST_F(BlobsTest, SameBytesAreStoredOnce) {
  const std::string pdf = Pdf("dedupe");
  ASSERT_TRUE(blobs_->Put(pdf).has_value());
  auto again = Upload(pdf, "application/pdf");
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(again->content_type, "application/pdf");
  EXPECT_EQ(Files().size(), 1u) << "one blob, no temporary file left";
}

TEST_F(BlobsTest, TheOlderLayoutIsStillReadAndNotDuplicated) {
  const std::string pdf = Pdf("legacy");
  const std::string h = Sha(pdf);
  fs::create_directories(root_ / h.substr(0, 2));
  std::ofstream(root_ / h.substr(0, 2) / h, std::ios::binary) << pdf;
  EXPECT_TRUE(blobs_->Exists(h));
  EXPECT_EQ(blobs_->Get(h).value(), pdf);
  EXPECT_EQ(blobs_->OpenRead(h)->path, blobs_->LegacyPathOf(h));
  auto again = blobs_->Put(pdf);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(Files(), (std::set<std::string>{h.substr(0, 2) + "/" + h}));
}

TEST_F(BlobsTest, StreamingWriterHashesAcrossChunks) {
  std::mt19937 rng(7);
  std::string big = Pdf("x");
  std::string filler(3 << 20, '\0');
  for (char& c : filler) c = static_cast<char>(rng());
  big.insert(20, filler);  // a 3 MiB PDF whose end is still the trailer
  for (size_t chunk : {1ul, 4095ul, 65536ul, 1ul << 20}) {
    if (chunk == 1 && big.size() > 100000) continue;
    auto info = Upload(big, "application/pdf", {}, chunk);
    ASSERT_TRUE(info.has_value()) << chunk << ": " << info.error().ToString();
    EXPECT_EQ(info->sha256, Sha(big));
    EXPECT_EQ(info->size, static_cast<int64_t>(big.size()));
  }
  EXPECT_EQ(Files().size(), 1u);
  EXPECT_EQ(blobs_->Get(Sha(big)).value(), big);
}

TEST_F(BlobsTest, TheSizeLimitRefusesAtOnceAndLeavesNothing) {
  auto w = blobs_->Begin({.max_bytes = 1000});
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE(w->Write(std::string(600, 'a')).has_value());
  EXPECT_EQ(Files().size(), 1u) << "the temporary file";
  auto over = w->Write(std::string(401, 'a'));
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().key, "file.too_large");
  EXPECT_EQ(over.error().code, ErrorCode::kResourceExhausted);
  EXPECT_TRUE(Files().empty()) << "removed as soon as the limit was passed";
  EXPECT_EQ(w->Write("x").error().key, "file.too_large");
  EXPECT_EQ(w->Commit("application/pdf").error().key, "file.too_large");
  EXPECT_TRUE(Files().empty());
  // Exactly at the limit is fine.
  std::string exact = Pdf("");
  exact.insert(10, std::string(1000 - exact.size(), ' '));
  EXPECT_EQ(Key(exact, "application/pdf", {.max_bytes = 1000}), "ok");
}

TEST_F(BlobsTest, AbortAndDestructorRemoveTheTemporaryFile) {
  {
    auto w = blobs_->Begin();
    ASSERT_TRUE(w->Write("%PDF-1.4 half").has_value());
    EXPECT_EQ(Files().size(), 1u);
  }
  EXPECT_TRUE(Files().empty());
  auto w = blobs_->Begin();
  ASSERT_TRUE(w->Write("%PDF-1.4 half").has_value());
  BlobWriter moved = std::move(*w);
  w->Abort();  // the moved-from writer owns nothing
  EXPECT_EQ(Files().size(), 1u);
  moved.Abort();
  EXPECT_TRUE(Files().empty());
}

TEST_F(BlobsTest, EveryRefusalLeavesNothing) {
  std::string elf(
      "\x7f"
      "ELF\x02\x01\x01",
      7);
  elf += std::string(200, '\0');
  std::string mz("MZ\x90\x00\x03", 5);
  mz += std::string(200, '\0');
  const std::string pdf = Pdf("whole");
  const std::string half = pdf.substr(0, pdf.size() / 2);
  struct Case {
    std::string what, bytes, type, key;
  } cases[] = {
      {"PE executable as PDF", mz, "application/pdf", "file.executable"},
      {"ELF executable as PDF", elf, "application/pdf", "file.executable"},
      {"shell script", "#!/bin/sh\nrm -rf /\n", "application/pdf", "file.executable"},
      {"Mach-O", std::string("\xCF\xFA\xED\xFE", 4) + std::string(64, 0), "image/png",
       "file.executable"},
      {"zip bomb", ZipBomb(), "application/pdf", "file.archive"},
      {"gzip", std::string("\x1F\x8B\x08\x00", 4) + std::string(64, 0), "application/pdf",
       "file.archive"},
      {"7z", std::string("7z\xBC\xAF\x27\x1C", 6) + std::string(64, 0), "application/pdf",
       "file.archive"},
      {"rar", std::string("Rar!\x1A\x07\x01\x00", 8), "application/pdf", "file.archive"},
      {"HTML", "<!DOCTYPE html><script>alert(1)</script>", "application/pdf",
       "file.active_content"},
      {"SVG", "  <svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "image/png",
       "file.active_content"},
      {"plain text", "hello", "application/pdf", "file.bad_type"},
      {"PNG declared as PDF", Png(10, 10), "application/pdf", "file.bad_type"},
      {"PDF declared as text", pdf, "text/plain", "file.bad_type"},
      {"truncated PDF", half, "application/pdf", "file.truncated"},
      {"PDF without startxref", "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "application/pdf",
       "file.truncated"},
      {"bad PDF version", "%PDF-x.y\nstartxref\n0\n%%EOF\n", "application/pdf", "file.malformed"},
      {"PNG without IEND", Png(10, 10, false), "image/png", "file.truncated"},
      {"PNG bomb", Png(100000, 100000), "image/png", "file.too_many_pixels"},
      {"PNG without IHDR", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(40, 'x'), "image/png",
       "file.malformed"},
      {"PNG of zero width", Png(0, 10), "image/png", "file.malformed"},
      {"JPEG without EOI", Jpeg(100, 100, false), "image/jpeg", "file.truncated"},
      {"JPEG bomb", Jpeg(65000, 65000), "image/jpeg", "file.too_many_pixels"},
      {"JPEG without a frame", std::string("\xFF\xD8\xFF\xD9", 4), "image/jpeg", "file.malformed"},
      {"empty", "", "application/pdf", "file.empty"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Key(c.bytes, c.type), c.key) << c.what;
    EXPECT_TRUE(Files().empty()) << c.what;
  }
}

TEST_F(BlobsTest, GoodFilesOfEachTypePass) {
  EXPECT_EQ(Key(Pdf("a"), "application/pdf"), "ok");
  EXPECT_EQ(Key(Pdf("b") + "\r\n  \n", "application/pdf"), "ok") << "trailing whitespace";
  EXPECT_EQ(Key(Png(2480, 3508), "image/png"), "ok") << "A4 at 300 dpi";
  EXPECT_EQ(Key(Jpeg(4000, 3000), "image/jpeg"), "ok");
  EXPECT_EQ(Key(Jpeg(640, 480, true, 200000), "image/jpeg"), "ok") << "200 KB of EXIF first";
  EXPECT_EQ(Files().size(), 5u);
  BlobLimits strict;
  strict.content.max_pixels = 1000;
  EXPECT_EQ(Key(Png(40, 40), "image/png", strict), "file.too_many_pixels");
}

TEST_F(BlobsTest, DamageIsDetectedOnRead) {
  const std::string pdf = Pdf("damaged");
  auto info = blobs_->Put(pdf);
  std::ofstream(blobs_->PathOf(info->sha256), std::ios::trunc | std::ios::binary) << "%PDF-1.4 x";
  EXPECT_EQ(blobs_->Get(info->sha256).error().key, "file.corrupt");
  EXPECT_EQ(blobs_->OpenRead(info->sha256).error().key, "file.corrupt");
  EXPECT_TRUE(blobs_->OpenRead(info->sha256, false).has_value());
  EXPECT_EQ(blobs_->Get(std::string(64, 'a')).error().key, "file.missing");
  EXPECT_EQ(blobs_->Get("../../etc/passwd").error().key, "file.missing");
}

TEST_F(BlobsTest, TheCollectorNeverRemovesAReferencedBlob) {
  const std::string kept = blobs_->Put(Pdf("referenced"))->sha256;
  const std::string old_garbage = blobs_->Put(Pdf("unreferenced old"))->sha256;
  const std::string fresh_garbage = blobs_->Put(Pdf("unreferenced fresh"))->sha256;
  // A blob of the older layout, unreferenced and old.
  const std::string legacy_bytes = Pdf("legacy");
  const std::string legacy = Sha(legacy_bytes);
  fs::create_directories(root_ / legacy.substr(0, 2));
  std::ofstream(root_ / legacy.substr(0, 2) / legacy, std::ios::binary) << legacy_bytes;
  Age(blobs_->PathOf(kept), 48h);
  Age(blobs_->PathOf(old_garbage), 48h);
  Age(blobs_->LegacyPathOf(legacy), 48h);
  // A stale temporary file (a crashed upload) and one in flight.
  auto in_flight = blobs_->Begin();
  ASSERT_TRUE(in_flight->Write("%PDF-1.4").has_value());
  std::ofstream(root_ / "tmp" / "stale.tmp") << "partial";
  Age(root_ / "tmp" / "stale.tmp", 48h);
  std::ofstream(root_ / "README") << "not a blob";

  std::set<std::string> asked;
  auto referenced = [&](std::string_view h) -> Result<bool> {
    asked.insert(std::string(h));
    return h == kept;
  };
  auto dry = blobs_->CollectGarbage(referenced, {.min_age = 24h, .dry_run = true});
  ASSERT_TRUE(dry.has_value()) << dry.error().ToString();
  EXPECT_EQ(dry->removed, 2);
  EXPECT_EQ(Files().size(), 7u) << "a dry run removes nothing";

  auto r = blobs_->CollectGarbage(referenced, {.min_age = 24h});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->scanned, 4);
  EXPECT_EQ(r->referenced, 1);
  EXPECT_EQ(r->fresh, 1);
  EXPECT_EQ(r->removed, 2);
  EXPECT_EQ(r->temp_removed, 1);
  EXPECT_EQ(r->foreign, 1);
  EXPECT_FALSE(asked.contains(fresh_garbage)) << "fresh files are kept without asking";
  EXPECT_TRUE(blobs_->Exists(kept));
  EXPECT_EQ(blobs_->Get(kept).value(), Pdf("referenced"));
  EXPECT_TRUE(blobs_->Exists(fresh_garbage));
  EXPECT_FALSE(blobs_->Exists(old_garbage));
  EXPECT_FALSE(blobs_->Exists(legacy));
  EXPECT_FALSE(fs::exists(root_ / "tmp" / "stale.tmp"));
  EXPECT_TRUE(fs::exists(root_ / "README"));
  // The upload in flight still commits.
  EXPECT_TRUE(in_flight->Write("\nstartxref\n0\n%%EOF\n").has_value());
  EXPECT_TRUE(in_flight->Commit("application/pdf").has_value());

  // A failing predicate stops the collection: nothing referenced-or-not is removed blindly.
  Age(blobs_->PathOf(fresh_garbage), 48h);
  auto failing = blobs_->CollectGarbage(
      [](std::string_view) -> Result<bool> { return Fail(ErrorCode::kUnavailable, "store.busy"); },
      {.min_age = 24h});
  ASSERT_FALSE(failing.has_value());
  EXPECT_TRUE(blobs_->Exists(fresh_garbage));
  EXPECT_TRUE(blobs_->Exists(kept));
}

TEST_F(BlobsTest, ReCommittingAnOldBlobMakesItFreshForTheCollector) {
  const std::string pdf = Pdf("again");
  const std::string h = blobs_->Put(pdf)->sha256;
  Age(blobs_->PathOf(h), 48h);
  // The same bytes are uploaded again: deduplicated, and their time renewed, so that the
  // collector does not take them before the new record commits.
  auto again = Upload(pdf, "application/pdf");
  ASSERT_TRUE(again->existed);
  auto r = blobs_->CollectGarbage([](std::string_view) -> Result<bool> { return false; },
                                  {.min_age = 24h});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->fresh, 1);
  EXPECT_TRUE(blobs_->Exists(h));
}

TEST(BlobContentTest, DetectsFromBytesOnly) {
  EXPECT_EQ(DetectKind("%PDF-1.7\n"), BlobKind::kPdf);
  EXPECT_EQ(DetectKind(std::string("\x89PNG\r\n\x1a\n", 8)), BlobKind::kPng);
  EXPECT_EQ(DetectKind("\xFF\xD8\xFF\xE0"), BlobKind::kJpeg);
  EXPECT_EQ(DetectKind("MZ\x90"), BlobKind::kExecutable);
  EXPECT_EQ(DetectKind("\x7f"
                       "ELF"),
            BlobKind::kExecutable);
  EXPECT_EQ(DetectKind(std::string("\0asm", 4)), BlobKind::kExecutable);
  EXPECT_EQ(DetectKind("PK\x03\x04"), BlobKind::kArchive);
  EXPECT_EQ(DetectKind("\xFD"
                       "7zXZ"),
            BlobKind::kArchive);
  std::string tar(512, '\0');
  tar.replace(257, 5, "ustar");
  EXPECT_EQ(DetectKind(tar), BlobKind::kArchive);
  EXPECT_EQ(DetectKind("\xEF\xBB\xBF<html>"), BlobKind::kActiveContent);
  EXPECT_EQ(DetectKind("<?xml version='1.0'?>"), BlobKind::kActiveContent);
  EXPECT_EQ(DetectKind("hello <html>"), BlobKind::kUnknown);
  EXPECT_EQ(DetectKind(""), BlobKind::kUnknown);
  // A PDF keeps being a PDF whatever the name; junk before the header is not a PDF.
  EXPECT_EQ(DetectKind(" %PDF-1.4"), BlobKind::kUnknown);
  EXPECT_EQ(ContentTypeOf(BlobKind::kPdf), "application/pdf");
  EXPECT_EQ(ContentTypeOf(BlobKind::kArchive), "");
}

}  // namespace
}  // namespace motcua::store
