// `motcua ocr FILE`, directly and through the command dispatcher: a page rendered here
// (motcua_sign) and rasterised by pdftoppm is read back as JSON with its fields; bad usage and
// unreadable files are JSON errors with exit 2, and their messages are the catalogue's.
#include "cli/ocr_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "base/json.h"
#include "cli/commands.h"
#include "sign/document.h"

namespace motcua::cli {
namespace {
namespace fs = std::filesystem;

struct Out {
  int code;
  std::string out, err;
};

Out Ocr(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = RunOcrCommand(args, out, err);
  return {code, out.str(), err.str()};
}

Out Motcua(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = Run(args, out, err);
  return {code, out.str(), err.str()};
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path SourceDir() {
  const char* s = std::getenv("MOTCUA_SOURCE_DIR");
  return s != nullptr ? fs::path(s) : fs::path(".");
}

class OcrCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("motcua-ocr-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // An ID-card-like page as a 200 dpi greyscale PNG.
  fs::path CardPng() {
    sign::DocumentContent c;
    c.authority = "BỘ CÔNG AN";
    c.unit = "CỤC CẢNH SÁT";
    c.number = "Số: 01/CC";
    c.place = "Hà Nội";
    c.date = {2024, 7, 1};
    c.title = "CĂN CƯỚC CÔNG DÂN";
    c.paragraphs = {"Số / No.: 079203004567", "Họ và tên / Full name: PHẠM THỊ THU HÀ",
                    "Ngày sinh / Date of birth: 28/02/2003", "Giới tính / Sex: Nữ"};
    c.signer_position = "CỤC TRƯỞNG";
    c.signer_name = "Lê Văn Minh";
    auto pdf = sign::RenderDocument(c);
    EXPECT_TRUE(pdf.has_value());
    std::ofstream(dir_ / "card.pdf", std::ios::binary) << pdf.value_or("");
    const std::string cmd = "pdftoppm -r 200 -gray -png -singlefile " +
                            (dir_ / "card.pdf").string() + " " + (dir_ / "card").string();
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return dir_ / "card.png";
  }

  fs::path dir_;
};

// The error's code, after checking the shape {"code","message"} and that the message is the
// catalogue's "<vi> / <en>" for that code.
std::string ErrorCode(const Out& r) {
  EXPECT_TRUE(r.out.empty()) << r.out;
  auto doc = json::Parse(r.err.substr(0, r.err.find('\n')));
  EXPECT_TRUE(doc.has_value()) << r.err;
  if (!doc || !doc->is_object()) return {};
  const auto* code = doc->as_object().if_contains("code");
  const auto* message = doc->as_object().if_contains("message");
  if (code == nullptr || !code->is_string() || message == nullptr || !message->is_string()) {
    ADD_FAILURE() << r.err;
    return {};
  }
  const std::string key(code->get_string());
  auto catalogue = json::Parse(ReadFile(SourceDir() / "data" / "messages.json"));
  EXPECT_TRUE(catalogue.has_value());
  if (catalogue && catalogue->is_object()) {
    const auto* entry = catalogue->as_object().if_contains(key);
    EXPECT_NE(entry, nullptr) << key << " is not in data/messages.json";
    if (entry != nullptr) {
      const std::string expected = std::string(entry->at("vi").as_string()) + " / " +
                                   std::string(entry->at("en").as_string());
      EXPECT_TRUE(std::string(message->get_string()).starts_with(expected))
          << message->get_string() << "\nexpected: " << expected;
    }
  }
  return key;
}

TEST_F(OcrCommandTest, PrintsTextAndFieldsAsJson) {
  const fs::path png = CardPng();
  Out r = Motcua({"ocr", png.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto doc = json::Parse(r.out);
  ASSERT_TRUE(doc.has_value()) << r.out;
  const auto& o = doc->as_object();
  EXPECT_EQ(o.at("file_type").as_string(), "png");
  const auto& pages = o.at("pages").as_array();
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].at("page").as_int64(), 1);
  const std::string text(pages[0].at("text").as_string());
  EXPECT_NE(text.find("PHẠM THỊ THU HÀ"), std::string::npos) << text;
  EXPECT_NE(text.find("Độc lập"), std::string::npos) << text;
  EXPECT_GT(pages[0].at("confidence").as_int64(), 50);
  EXPECT_EQ(o.at("kind").as_string(), "citizen_id_card");
  const auto& fields = o.at("fields").as_object();
  EXPECT_EQ(fields.at("id_number").at("value").as_string(), "079203004567") << r.out;
  EXPECT_EQ(fields.at("full_name").at("value").as_string(), "PHẠM THỊ THU HÀ") << r.out;
  EXPECT_EQ(fields.at("date_of_birth").at("value").as_string(), "2003-02-28") << r.out;
  EXPECT_TRUE(fields.at("date_of_birth").at("found").as_bool());
  EXPECT_EQ(fields.at("sex").at("value").as_string(), "Nữ");
  EXPECT_TRUE(fields.at("place_of_origin").at("value").is_null());
  EXPECT_FALSE(fields.at("place_of_origin").at("found").as_bool());

  // --pages is the page limit.
  Out limited = Ocr({png.string(), "--pages", "1"});
  EXPECT_EQ(limited.code, 0) << limited.err;
}

TEST_F(OcrCommandTest, BadUsageAndBadFilesAreJsonErrors) {
  Out missing = Motcua({"ocr", (dir_ / "no-such.png").string()});
  EXPECT_EQ(missing.code, 2);
  EXPECT_EQ(ErrorCode(missing), "cli.cannot_read");

  Out none = Ocr({});
  EXPECT_EQ(none.code, 2);
  EXPECT_EQ(ErrorCode(none), "cli.missing_argument");

  EXPECT_EQ(ErrorCode(Ocr({"a.png", "--lang", "eng"})), "cli.unknown_flag");
  EXPECT_EQ(ErrorCode(Ocr({"a.png", "b.png"})), "cli.unknown_flag");
  EXPECT_EQ(ErrorCode(Ocr({"a.png", "--pages"})), "cli.missing_argument");
  EXPECT_EQ(ErrorCode(Ocr({"a.png", "--pages", "0"})), "cli.bad_number");
  EXPECT_EQ(ErrorCode(Ocr({"a.png", "--pages", "2x"})), "cli.bad_number");
  EXPECT_EQ(ErrorCode(Ocr({"a.png", "--pages", "1", "--pages", "2"})), "cli.duplicate_flag");

  std::ofstream(dir_ / "notes.txt") << "not an image\n";
  Out text = Ocr({(dir_ / "notes.txt").string()});
  EXPECT_EQ(text.code, 2);
  EXPECT_EQ(ErrorCode(text), "ocr.unsupported_type");

  const std::string png = ReadFile(CardPng());
  std::ofstream(dir_ / "cut.png", std::ios::binary) << png.substr(0, png.size() / 3);
  Out cut = Ocr({(dir_ / "cut.png").string()});
  EXPECT_EQ(cut.code, 2);
  EXPECT_EQ(ErrorCode(cut), "ocr.unreadable_image");

  std::ofstream(dir_ / "bad.pdf", std::ios::binary) << "%PDF-1.7\nnot really\n";
  EXPECT_EQ(ErrorCode(Ocr({(dir_ / "bad.pdf").string()})), "ocr.unreadable_pdf");
}

}  // namespace
}  // namespace motcua::cli
