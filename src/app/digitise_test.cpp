// The digitisation pipeline on a real store: generated scans OCR'd by tesseract end up in the
// private text row and are found by a search without diacritics; a file that cannot be read is
// recorded as failed; the backlog survives a restart; the in-memory queue stays within its
// capacity under a burst of 1,000 pending files; transient failures are retried; the projector's
// rows pass verify; the counter officer's confirmation and the search's narrowing (Scans).
#include "app/digitise.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "app/projection.h"
#include "app/scans.h"
#include "secure/random.h"
#include "sign/document.h"
#include "store/testing.h"

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".") / "data";
}

// A one-page ID card rendered by motcua_sign and rasterised (PNG, greyscale, 150 dpi).
std::string CardScan(const fs::path& dir) {
  sign::DocumentContent c;
  c.authority = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
  c.unit = "Độc lập - Tự do - Hạnh phúc";
  c.number = "Số: 01";
  c.place = "Thạch Hà";
  c.date = {2026, 3, 12};
  c.title = "CĂN CƯỚC CÔNG DÂN";
  c.paragraphs = {"Số / No.: 012345678901", "Họ và tên / Full name: NGUYỄN VĂN AN",
                  "Ngày sinh / Date of birth: 01/02/1990", "Quê quán: Xã Thạch Hà, Tỉnh Sông Trà"};
  c.signer_position = "CỤC TRƯỞNG";
  c.signer_name = "Trần Văn Bình";
  auto pdf = sign::RenderDocument(c);
  EXPECT_TRUE(pdf.has_value());
  {
    std::ofstream out(dir / "card.pdf", std::ios::binary);
    out << pdf.value_or("");
  }
  const std::string cmd = "pdftoppm -r 150 -gray -png -singlefile " + (dir / "card.pdf").string() +
                          " " + (dir / "card").string() + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(dir / "card.png", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A recogniser for the pipeline's own tests: one page, the text given, after `delay`; fails with
// engine_unavailable while `unavailable` > 0.
class FakeRecogniser final : public Recogniser {
 public:
  FakeRecogniser(std::string text, std::chrono::milliseconds delay, std::atomic<int>* unavailable)
      : text_(std::move(text)), delay_(delay), unavailable_(unavailable) {}
  Result<ocr::OcrResult> Recognize(std::string_view bytes) override {
    if (unavailable_ && unavailable_->fetch_sub(1) > 0) {
      return Fail(ErrorCode::kUnavailable, "ocr.engine_unavailable", "test");
    }
    if (bytes == "broken") return Fail(ErrorCode::kInvalidArgument, "ocr.unreadable_image");
    std::this_thread::sleep_for(delay_);
    ocr::OcrResult r;
    r.pages.push_back({1, text_, 90});
    r.mean_confidence = 90;
    return r;
  }

 private:
  std::string text_;
  std::chrono::milliseconds delay_;
  std::atomic<int>* unavailable_;
};

class DigitiseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = store::testing::TempStore::Create("sqlite");
    ASSERT_TRUE(t.has_value()) << t.error().ToString();
    temp_ = std::move(*t);
    auto s = temp_->Open({.create = true});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    auto from_data = Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
    ASSERT_TRUE(from_data.has_value()) << from_data.error().ToString();
    ASSERT_TRUE(ImportCatalog(*store_, **from_data, clock_.Now()).has_value());
    catalog_ = Catalog::Load(*store_, DataDir()).value();
    lifecycle_ = std::make_unique<Lifecycle>(*store_, catalog_, clock_);
    dir_ = fs::temp_directory_path() / ("motcua-digitise-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static Actor Officer(const std::string& unit, const std::string& account) {
    Actor a{Actor::Kind::kOfficer, account, unit, {"one_stop_officer"}};
    a.account = account;
    return a;
  }

  // Records uploads as Files::Upload would (FileUploaded projected), without the blob store:
  // the tests hand the bytes to the pipeline themselves.
  std::vector<std::string> AddFiles(int n, const std::string& bytes, const std::string& owner,
                                    const std::string& type = "image/png") {
    std::vector<std::string> ids;
    for (int done = 0; done < n;) {
      const int batch = std::min(200, n - done);
      auto r = store_->Write([&](store::Tx& tx) -> Result<void> {
        for (int i = 0; i < batch; ++i) {
          const std::string id = "f" + secure::RandomToken(12);
          const std::string sha = secure::Sha256Hex(bytes + id);
          bytes_[sha] = bytes;
          NewEvent e;
          e.stream = "file/" + id;
          e.type = "FileUploaded";
          e.unit = "99501";
          e.actor = "officer:" + owner;
          e.at = clock_.Now();
          e.payload["file"] = bj::object{{"id", id},
                                         {"name", "scan-" + std::to_string(done + i) + ".png"},
                                         {"content_type", type},
                                         {"size", static_cast<int64_t>(bytes.size())},
                                         {"sha256", sha},
                                         {"owner", owner},
                                         {"uploaded_at", clock_.Now().us}};
          auto appended = tx.Append(std::move(e));
          if (!appended) return std::unexpected(appended.error());
          if (auto p = Project(tx, *appended, false); !p) return p;
          ids.push_back(id);
        }
        return {};
      });
      EXPECT_TRUE(r.has_value()) << r.error().ToString();
      done += batch;
    }
    return ids;
  }

  BytesSource Bytes() {
    return [this](const domain::FileRef& ref) -> Result<std::string> {
      auto it = bytes_.find(ref.sha256);
      if (it == bytes_.end()) return Fail(ErrorCode::kDataLoss, "file.missing");
      return it->second;
    };
  }
  static RecogniserFactory Fake(std::string text, std::chrono::milliseconds delay = {},
                                std::atomic<int>* unavailable = nullptr) {
    return [=]() -> Result<std::unique_ptr<Recogniser>> {
      return std::unique_ptr<Recogniser>(
          std::make_unique<FakeRecogniser>(text, delay, unavailable));
    };
  }
  int Events(const std::string& type) {
    int n = 0;
    EXPECT_TRUE(store_->ForEachEvent(0, [&](const Event& e) -> Result<void> {
      n += e.type == type;
      return {};
    }));
    return n;
  }
  void ExpectVerified() {
    auto v = Verify(*store_);
    ASSERT_TRUE(v.has_value()) << v.error().ToString();
    EXPECT_EQ(v->mismatches, 0) << v->first_mismatch;
  }

  FixedClock clock_{FromVietnamLocal({2026, 3, 2}, 9 * 60)};
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const Catalog> catalog_;
  std::unique_ptr<Lifecycle> lifecycle_;
  fs::path dir_;
  std::map<std::string, std::string> bytes_;
};

TEST_F(DigitiseTest, GeneratedScanIsStoredPrivatelyAndFoundWithoutDiacritics) {
  const std::string png = CardScan(dir_);
  ASSERT_FALSE(png.empty());
  const auto ids = AddFiles(1, png, "acc-officer");
  EXPECT_TRUE(store_->GetCatalog("ocr_pending", ids[0])->has_value());
  ocr::OcrOptions o;
  o.temp_dir = dir_;
  Digitiser d(*store_, Bytes(), TesseractRecognisers(o), clock_,
              {.poll_interval = std::chrono::milliseconds(50)});
  ASSERT_TRUE(d.Start().has_value());
  ASSERT_TRUE(d.WaitIdle(std::chrono::seconds(120)));
  d.Stop();
  EXPECT_EQ(d.Stats().recognised, 1);
  EXPECT_FALSE(store_->GetCatalog("ocr_pending", ids[0])->has_value());

  auto row = store_->GetText(kOcrTextKind, ids[0]);
  ASSERT_TRUE(row.has_value() && row->has_value());
  EXPECT_NE((*row)->text.find("NGUYỄN VĂN AN"), std::string::npos) << (*row)->text;
  EXPECT_EQ((*row)->owner, "acc-officer");
  auto found = store_->SearchText(kOcrTextKind, {"nguyen van"}, "", 10);
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().key, ids[0]);
  EXPECT_TRUE(store_->SearchText(kOcrTextKind, {"nguyen van", "khong co"}, "", 10)->empty());

  auto rec = OcrRecord::FromRow(**row);
  ASSERT_TRUE(rec.has_value()) << rec.error().ToString();
  EXPECT_EQ(rec->kind, "citizen_id_card");
  ASSERT_EQ(rec->pages.size(), 1u);
  EXPECT_EQ(rec->pages[0].text, (*row)->text);
  auto id = std::find_if(rec->fields.begin(), rec->fields.end(),
                         [](const auto& f) { return f.first == "id_number"; });
  ASSERT_NE(id, rec->fields.end());
  EXPECT_EQ(id->second.value, "012345678901");

  // The log has the metadata, never the text or the values.
  auto stream = store_->ReadStream("file/" + ids[0]);
  ASSERT_TRUE(stream.has_value());
  ASSERT_EQ(stream->size(), 2u);
  const Event& e = stream->back();
  EXPECT_EQ(e.type, "FileRecognised");
  EXPECT_EQ(e.payload.at("pages").as_int64(), 1);
  EXPECT_EQ(e.payload.at("kind").as_string(), "citizen_id_card");
  EXPECT_TRUE(e.payload.at("fields").at("id_number").at("found").as_bool());
  EXPECT_EQ(e.payload_json.find("012345678901"), std::string::npos);
  EXPECT_EQ(e.payload_json.find("NGUY"), std::string::npos);
  ExpectVerified();

  // The officer finds it through Scans, without diacritics; another unit's officer does not.
  Scans scans(*store_, *lifecycle_, clock_);
  auto hits = scans.Search(Officer("99501", "acc-officer"), "Nguyen  VAN an", 10);
  ASSERT_TRUE(hits.has_value()) << hits.error().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().file, ids[0]);
  EXPECT_NE(hits->front().snippet.find("NGUYỄN VĂN AN"), std::string::npos);
  auto other = scans.Search(Officer("99502", "acc-other"), "nguyen van", 10);
  ASSERT_TRUE(other.has_value());
  EXPECT_TRUE(other->empty());
}

TEST_F(DigitiseTest, UnreadableFileIsRecordedAsFailedAndLeavesTheBacklog) {
  const auto ids = AddFiles(1, std::string("\x89PNG\r\n\x1a\n", 8) + "truncated", "acc1");
  ocr::OcrOptions o;
  o.temp_dir = dir_;
  Digitiser d(*store_, Bytes(), TesseractRecognisers(o), clock_,
              {.poll_interval = std::chrono::milliseconds(50)});
  ASSERT_TRUE(d.Start().has_value());
  ASSERT_TRUE(d.WaitIdle(std::chrono::seconds(60)));
  d.Stop();
  EXPECT_EQ(d.Stats().failed, 1);
  auto stream = store_->ReadStream("file/" + ids[0]);
  ASSERT_TRUE(stream.has_value());
  ASSERT_EQ(stream->size(), 2u);
  EXPECT_EQ(stream->back().type, "FileRecognitionFailed");
  EXPECT_EQ(stream->back().payload.at("error").at("code").as_string(), "ocr.unreadable_image");
  EXPECT_FALSE(store_->GetText(kOcrTextKind, ids[0])->has_value());
  Scans scans(*store_, *lifecycle_, clock_);
  auto v = scans.GetOwn(Officer("99501", "acc1"), ids[0]);
  ASSERT_TRUE(v.has_value()) << v.error().ToString();
  EXPECT_EQ(v->state, "failed");
  EXPECT_EQ(v->error_code, "ocr.unreadable_image");
  ExpectVerified();
}

TEST_F(DigitiseTest, BacklogSurvivesARestartWithoutDuplicates) {
  const auto ids = AddFiles(30, "bytes", "acc1");
  {
    Digitiser d(*store_, Bytes(), Fake("NGUYỄN VĂN AN", std::chrono::milliseconds(20)), clock_,
                {.workers = 1, .poll_interval = std::chrono::milliseconds(20)});
    ASSERT_TRUE(d.Start().has_value());
    while (d.Stats().recognised < 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    d.Stop();  // jobs still queued stay in the durable backlog
    EXPECT_LT(d.Stats().recognised, 30);
  }
  auto left = Digitiser(*store_, Bytes(), Fake("x"), clock_).CountPending();
  ASSERT_TRUE(left.has_value());
  EXPECT_GT(*left, 0);
  EXPECT_LT(*left, 30);
  Digitiser again(*store_, Bytes(), Fake("NGUYỄN VĂN AN"), clock_,
                  {.workers = 2, .poll_interval = std::chrono::milliseconds(20)});
  ASSERT_TRUE(again.Start().has_value());
  ASSERT_TRUE(again.WaitIdle(std::chrono::seconds(30)));
  again.Stop();
  EXPECT_EQ(again.Stats().recognised, *left);
  EXPECT_EQ(Events("FileRecognised"), 30);  // each file once
  EXPECT_EQ(store_->SearchText(kOcrTextKind, {"nguyen"}, "", 100)->size(), 30u);
  ExpectVerified();
}

TEST_F(DigitiseTest, BurstOfAThousandStaysWithinTheQueueCapacity) {
  AddFiles(1000, "tiny page", "acc1");
  Digitiser d(*store_, Bytes(), Fake("trang", std::chrono::milliseconds(1)), clock_,
              {.workers = 2, .poll_interval = std::chrono::milliseconds(20)});
  ASSERT_TRUE(d.Start().has_value());
  ASSERT_TRUE(d.WaitIdle(std::chrono::seconds(120)));
  d.Stop();
  const DigitiserStats s = d.Stats();
  EXPECT_EQ(s.capacity, 4);
  EXPECT_EQ(s.recognised, 1000);
  EXPECT_EQ(s.pages, 1000);
  EXPECT_LE(s.max_queued, s.capacity);
  EXPECT_GE(s.max_queued, 1);
  EXPECT_EQ(*d.CountPending(), 0);
  EXPECT_EQ(Events("FileRecognised"), 1000);
}

TEST_F(DigitiseTest, TransientFailuresAreRetriedWithBackoff) {
  const auto ids = AddFiles(2, "bytes", "acc1");
  AddFiles(1, "broken", "acc1");
  std::atomic<int> unavailable{3};
  Digitiser d(*store_, Bytes(), Fake("VĂN", {}, &unavailable), clock_,
              {.workers = 1,
               .poll_interval = std::chrono::milliseconds(20),
               .retry_initial = std::chrono::milliseconds(10),
               .retry_max = std::chrono::milliseconds(40)});
  ASSERT_TRUE(d.Start().has_value());
  ASSERT_TRUE(d.WaitIdle(std::chrono::seconds(30)));
  d.Stop();
  EXPECT_GE(d.Stats().retries, 3);
  EXPECT_EQ(d.Stats().recognised, 2);
  EXPECT_EQ(d.Stats().failed, 1);  // the broken one, permanently
  EXPECT_EQ(Events("FileRecognitionFailed"), 1);
  ExpectVerified();
}

TEST_F(DigitiseTest, OfficerConfirmsFieldsBeforeAndAfterRecognition) {
  const auto ids = AddFiles(1, "bytes", "acc1");
  Scans scans(*store_, *lifecycle_, clock_);
  const Actor officer = Officer("99501", "acc1");
  // Validation: unknown fields, bad values, kinds; another account's file is not found.
  auto bad = scans.Confirm(officer, ids[0], "citizen_id_card", {{"id_number", "12345"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().key, "scan.bad_field");
  EXPECT_EQ(scans.Confirm(officer, ids[0], "citizen_id_card", {{"religion", "x"}}).error().key,
            "scan.unknown_field");
  EXPECT_EQ(scans.Confirm(officer, ids[0], "passport", {{"id_number", "012345678901"}}).error().key,
            "scan.bad_kind");
  EXPECT_EQ(scans.Confirm(officer, ids[0], "citizen_id_card", {{"date_of_birth", "31/02/1990"}})
                .error()
                .key,
            "scan.bad_field");
  EXPECT_EQ(scans.Confirm(officer, ids[0], "citizen_id_card", {{"full_name", "AN"}}).error().key,
            "scan.bad_field");
  EXPECT_EQ(
      scans.Confirm(officer, ids[0], "citizen_id_card", {{"full_name", "NGUYỄN 2"}}).error().key,
      "scan.bad_field");
  EXPECT_EQ(scans
                .Confirm(Officer("99501", "acc2"), ids[0], "citizen_id_card",
                         {{"id_number", "012345678901"}})
                .error()
                .key,
            "file.not_found");
  Actor citizen{Actor::Kind::kCitizen, "051095000123", "", {"citizen"}};
  citizen.account = "acc1";
  EXPECT_EQ(scans.Confirm(citizen, ids[0], "citizen_id_card", {{"id_number", "012345678901"}})
                .error()
                .key,
            "auth.forbidden");

  auto v = scans.Confirm(officer, ids[0], "citizen_id_card",
                         {{"id_number", "012345678901"},
                          {"full_name", "Nguyễn Văn An"},
                          {"date_of_birth", "01/02/1990"}});
  ASSERT_TRUE(v.has_value()) << v.error().ToString();
  EXPECT_EQ(v->state, "pending");
  ASSERT_TRUE(v->confirmed.has_value());
  EXPECT_EQ(v->confirmed->fields[1].second, "NGUYỄN VĂN AN");
  EXPECT_EQ(v->confirmed->fields[2].second, "1990-02-01");
  EXPECT_EQ(v->confirmed->by, "officer:acc1");

  // The OCR result arrives later and keeps the confirmation.
  Digitiser d(*store_, Bytes(), Fake("GIẤY KHAI SINH\nHọ, chữ đệm, tên: TRẦN MINH KHÔI"), clock_,
              {.poll_interval = std::chrono::milliseconds(20)});
  ASSERT_TRUE(d.Start().has_value());
  ASSERT_TRUE(d.WaitIdle(std::chrono::seconds(30)));
  d.Stop();
  auto after = scans.GetOwn(officer, ids[0]);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->state, "done");
  EXPECT_EQ(after->kind, "birth_certificate");
  ASSERT_TRUE(after->confirmed.has_value());
  EXPECT_EQ(after->confirmed->fields[0].second, "012345678901");
  // The confirmation's event names the fields, never their values.
  auto stream = store_->ReadStream("file/" + ids[0]);
  ASSERT_TRUE(stream.has_value());
  bool confirmed_event = false;
  for (const Event& e : *stream) {
    if (e.type != "FileFieldsConfirmed") continue;
    confirmed_event = true;
    EXPECT_EQ(e.payload_json.find("012345678901"), std::string::npos);
    EXPECT_EQ(e.payload_json.find("NGUY"), std::string::npos);
  }
  EXPECT_TRUE(confirmed_event);
  ExpectVerified();
}

}  // namespace
}  // namespace motcua::app
