// Static files resolved directly (no server): inside the root only, content types, index.html.
#include "http/static_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace motcua::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("motcua-static-" + std::to_string(rd()));
    fs::create_directories(dir_ / "root" / "sub");
    std::ofstream(dir_ / "root" / "index.html") << "index";
    std::ofstream(dir_ / "root" / "sub" / "index.html") << "sub-index";
    std::ofstream(dir_ / "root" / "logo.svg") << "<svg/>";
    std::ofstream(dir_ / "outside.txt") << "outside";
    fs::create_directory_symlink(dir_, dir_ / "root" / "up");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(StaticFilesTest, ServesInsideTheRoot) {
  StaticFiles files(dir_ / "root");
  ASSERT_TRUE(files.has_root());
  EXPECT_EQ(files.Serve("/")->body, "index");
  EXPECT_EQ(files.Serve("/sub/")->body, "sub-index");
  EXPECT_EQ(files.Serve("/sub")->body, "sub-index");
  EXPECT_EQ(files.Serve("/logo.svg")->content_type, "image/svg+xml");
  EXPECT_EQ(files.Serve("/logo%2Esvg?x=1")->body, "<svg/>");
}

TEST_F(StaticFilesTest, RefusesEverythingElse) {
  StaticFiles files(dir_ / "root");
  for (std::string_view t : {"/../outside.txt", "/%2e%2e/outside.txt", "/sub/../../outside.txt",
                             "/up/outside.txt", "/sub%2f..%2f..%2foutside.txt", "/nope"}) {
    auto r = files.Serve(t);
    ASSERT_FALSE(r.has_value()) << t;
    EXPECT_TRUE(r.error().key == "http.bad_path" || r.error().key == "http.not_found") << t;
  }
}

TEST_F(StaticFilesTest, WithoutARootOnlyTheBuiltInPage) {
  StaticFiles files(dir_ / "missing");
  EXPECT_FALSE(files.has_root());
  auto r = files.Serve("/");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->body, BuiltInIndexHtml());
  EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(files.Serve("/index.html").has_value());
}

TEST(ContentTypeTest, ByExtension) {
  EXPECT_EQ(ContentTypeFor("a.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("a.json"), "application/json; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace motcua::http
