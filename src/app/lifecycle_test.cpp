// The lifecycle through the app layer on a real store (SQLite as lifecycle_test, PostgreSQL as
// lifecycle_pgtest): end to end, codes, bad input changing nothing, unit history across the
// 1 July 2025 reorganisation, rebuild-equals-state, verify catching tampering, and demo
// determinism.
#include "app/lifecycle.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "app/calendar_admin.h"
#include "app/demo.h"
#include "app/drafts.h"
#include "app/files.h"
#include "app/lookup.h"
#include "base/json.h"
#include "app/projection.h"
#include "store/testing.h"

#ifndef MOTCUA_STORE_BACKEND
#error "MOTCUA_STORE_BACKEND must name the backend under test"
#endif

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
using domain::DossierState;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".") / "data";
}

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = store::testing::TempStore::Create(MOTCUA_STORE_BACKEND);
    ASSERT_TRUE(t.has_value()) << t.error().ToString();
    temp_ = std::move(*t);
    auto s = temp_->Open({.create = true});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    auto from_data = Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
    ASSERT_TRUE(from_data.has_value()) << from_data.error().ToString();
    ASSERT_TRUE(ImportCatalog(*store_, **from_data, clock_.Now()).has_value());
    auto c = Catalog::Load(*store_, DataDir());
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    catalog_ = *c;
    lifecycle_ = std::make_unique<Lifecycle>(*store_, catalog_, clock_);
  }

  static Actor Officer(const std::string& unit, const std::string& role) {
    return Actor{Actor::Kind::kOfficer, unit + "." + role, unit, {role}};
  }
  static Actor CitizenActor() { return Actor{Actor::Kind::kCitizen, "051095000123", "", {}}; }

  // Birth registration (1.001193) online at commune `unit`, by the citizen.
  SubmitRequest BirthRequest(const std::string& unit) const {
    SubmitRequest r;
    r.procedure_code = "1.001193";
    r.channel = domain::Channel::kOnline;
    r.applicant.id_number = "051095000123";
    r.applicant.name = "Nguyễn Văn An";
    r.receiving_unit = unit;
    r.competent_unit = unit;
    for (const auto& c : catalog_->procedures().Find("1.001193")->components) {
      if (c.required) r.components.push_back({c.code, "", true, false, ""});
    }
    return r;
  }

  // Some commune valid on a date.
  std::string CommuneOn(CivilDate d, size_t i = 0) const {
    return catalog_->units().UnitsOn(domain::UnitLevel::kCommune, d).at(i)->code;
  }

  int64_t Head() { return *store_->HeadSeq(); }

  FixedClock clock_{FromVietnamLocal({2026, 3, 3}, 9 * 60)};  // Tuesday
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const Catalog> catalog_;
  std::unique_ptr<Lifecycle> lifecycle_;
};

TEST_F(LifecycleTest, OnlineDossierEndToEnd) {
  const std::string unit = CommuneOn({2026, 3, 3});
  auto d = lifecycle_->Submit(CitizenActor(), BirthRequest(unit));
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_EQ(d->code, unit + "-260303-0001");
  clock_.Advance(30 * kMicrosPerMinute);
  auto r = lifecycle_->Receive(Officer(unit, "one_stop_officer"), d->code, {});
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_TRUE(r->due_at.has_value());
  // Birth registration is same-day: received 09:30 before the cut-off → due the same day.
  EXPECT_EQ(ToVietnamLocal(*r->due_at).date, (CivilDate{2026, 3, 3}));
  domain::Dossier cur = *r;
  while (cur.state != DossierState::kResultReady) {
    clock_.Advance(20 * kMicrosPerMinute);
    auto step = lifecycle_->CompleteStep(
        Officer(cur.current_unit, cur.steps[cur.current_step].role), cur.code, "");
    ASSERT_TRUE(step.has_value()) << step.error().ToString();
    cur = *step;
  }
  clock_.Advance(20 * kMicrosPerMinute);
  auto ret = lifecycle_->Return(Officer(cur.current_unit, "one_stop_officer"), cur.code, "counter");
  ASSERT_TRUE(ret.has_value()) << ret.error().ToString();
  auto view = lifecycle_->Get(CitizenActor(), d->code);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->dossier.state, DossierState::kReturned);
  EXPECT_FALSE(view->overdue.overdue);
  auto history = lifecycle_->History(CitizenActor(), d->code);
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(history->front().type, "DossierSubmitted");
  EXPECT_EQ(history->back().type, "DossierReturned");
  EXPECT_EQ(static_cast<int64_t>(history->size()), view->dossier.version);
  auto row = store_->GetDossier(d->code);
  EXPECT_EQ((*row)->status_code, 10);
  EXPECT_EQ((*row)->applicant_key, "051095000123");
}

TEST_F(LifecycleTest, CounterIntakeAndCodesPerUnitAndDay) {
  const std::string a = CommuneOn({2026, 3, 3}, 0), b = CommuneOn({2026, 3, 3}, 1);
  SubmitRequest req = BirthRequest(a);
  req.channel = domain::Channel::kCounter;
  req.receive_now = true;
  auto d1 = lifecycle_->Submit(Officer(a, "one_stop_officer"), req);
  ASSERT_TRUE(d1.has_value()) << d1.error().ToString();
  EXPECT_EQ(d1->state, DossierState::kReceived);
  auto d2 = lifecycle_->Submit(Officer(a, "one_stop_officer"), req);
  auto d3 = lifecycle_->Submit(CitizenActor(), BirthRequest(b));
  ASSERT_TRUE(d2 && d3);
  EXPECT_EQ(d2->code, a + "-260303-0002");
  EXPECT_EQ(d3->code, b + "-260303-0001");
  clock_.Advance(kMicrosPerDay);
  auto d4 = lifecycle_->Submit(CitizenActor(), BirthRequest(a));
  EXPECT_EQ(d4->code, a + "-260304-0001");
  // An officer of another unit cannot take in dossiers for this one.
  auto other = lifecycle_->Submit(Officer(b, "one_stop_officer"), req);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(LifecycleTest, BadInputChangesNothing) {
  const std::string unit = CommuneOn({2026, 3, 3});
  auto d = lifecycle_->Submit(CitizenActor(), BirthRequest(unit));
  ASSERT_TRUE(d.has_value());
  const int64_t head = Head();
  SubmitRequest unknown = BirthRequest(unit);
  unknown.procedure_code = "9.999999";
  EXPECT_EQ(lifecycle_->Submit(CitizenActor(), unknown).error().key, "procedure.not_found");
  SubmitRequest bad_id = BirthRequest(unit);
  bad_id.applicant.id_number = "12AB";
  bad_id.channel = domain::Channel::kCounter;
  EXPECT_EQ(lifecycle_->Submit(Officer(unit, "one_stop_officer"), bad_id).error().key,
            "applicant.bad_id_number");
  SubmitRequest bad_unit = BirthRequest("nope");
  EXPECT_EQ(lifecycle_->Submit(CitizenActor(), bad_unit).error().key, "dossier.bad_receiving_unit");
  EXPECT_EQ(lifecycle_->Return(Officer(unit, "one_stop_officer"), d->code, "counter").error().key,
            "dossier.illegal_transition");
  EXPECT_EQ(lifecycle_->Receive(Officer(unit, "one_stop_officer"), "NO-SUCH", {}).error().key,
            "dossier.not_found");
  // The channel is a fact the indicators count: citizens file online for themselves only;
  // staff record counter, postal and assisted dossiers.
  SubmitRequest claim_counter = BirthRequest(unit);
  claim_counter.channel = domain::Channel::kCounter;
  EXPECT_EQ(lifecycle_->Submit(CitizenActor(), claim_counter).error().key,
            "dossier.channel_not_allowed");
  SubmitRequest for_someone = BirthRequest(unit);
  for_someone.applicant.id_number = "051095000999";
  // Filing for someone else is outside a citizen's own scope (the permission table says so
  // before the channel rules are consulted).
  EXPECT_EQ(lifecycle_->Submit(CitizenActor(), for_someone).error().key, "auth.forbidden");
  EXPECT_EQ(lifecycle_->Submit(Officer(unit, "one_stop_officer"), BirthRequest(unit)).error().key,
            "dossier.channel_not_allowed");
  EXPECT_EQ(Head(), head);
  // The rejected submissions did not consume a dossier number either.
  auto next = lifecycle_->Submit(CitizenActor(), BirthRequest(unit));
  EXPECT_EQ(next->code, unit + "-260303-0002");
}

TEST_F(LifecycleTest, DossierFiledBeforeTheMergerIsStillAttributedCorrectlyAfterIt) {
  // Filed in an old commune (under its district) on Friday 27 June 2025, still open on 1 July.
  clock_.Set(FromVietnamLocal({2025, 6, 27}, 9 * 60));
  const CivilDate before{2025, 6, 27}, after{2025, 7, 1};
  std::string old_commune;
  for (const auto* u : catalog_->units().UnitsOn(domain::UnitLevel::kCommune, before)) {
    if (u->valid_to && *u->valid_to == CivilDate{2025, 6, 30}) {
      old_commune = u->code;
      break;
    }
  }
  ASSERT_FALSE(old_commune.empty());
  SubmitRequest req = BirthRequest(old_commune);
  req.procedure_code = "1.004873";  // marital status certificate: working days, not same day
  req.components.clear();
  for (const auto& c : catalog_->procedures().Find(req.procedure_code)->components) {
    if (c.required) req.components.push_back({c.code, "", true, false, ""});
  }
  auto d = lifecycle_->Submit(CitizenActor(), req);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  ASSERT_TRUE(
      lifecycle_->Receive(Officer(old_commune, "one_stop_officer"), d->code, {}).has_value());
  // 1 July 2025: the successor commune continues the work.
  clock_.Set(FromVietnamLocal(after, 8 * 60));
  auto carried = catalog_->units().CarriedBy(old_commune, after);
  ASSERT_EQ(carried.size(), 1u);
  const std::string successor = carried[0]->code;
  auto moved =
      lifecycle_->Transfer(Actor::System(), d->code, successor, true, "Sắp xếp đơn vị hành chính");
  ASSERT_TRUE(moved.has_value()) << moved.error().ToString();
  EXPECT_EQ(moved->receiving_unit, old_commune);  // receipt stays where it happened
  EXPECT_EQ(moved->competent_unit, successor);
  EXPECT_EQ(moved->current_unit, successor);
  // Queries by the old unit still find it (history), and so do queries by the successor; the
  // successor's officers reach the dissolved commune's records.
  const Actor successor_officer = Officer(successor, "one_stop_officer");
  auto by_old = lifecycle_->List(successor_officer, {.unit = old_commune}, true);
  ASSERT_TRUE(by_old.has_value()) << by_old.error().ToString();
  ASSERT_EQ(by_old->rows.size(), 1u);
  EXPECT_EQ(by_old->total, 1);
  auto by_new = lifecycle_->List(successor_officer, {.unit = successor}, false);
  ASSERT_TRUE(by_new.has_value()) << by_new.error().ToString();
  ASSERT_EQ(by_new->rows.size(), 1u);
  // The old commune sits under a district before the merger; the new one directly under the
  // province after it.
  EXPECT_NE(catalog_->units().AncestorAt(old_commune, domain::UnitLevel::kDistrict), nullptr);
  EXPECT_EQ(catalog_->units().AncestorAt(successor, domain::UnitLevel::kDistrict), nullptr);
  // The successor's officers carry on.
  auto step = lifecycle_->CompleteStep(Officer(successor, moved->steps[0].role), d->code, "");
  ASSERT_TRUE(step.has_value()) << step.error().ToString();
  // The old commune's officers can no longer act on it.
  auto stale = lifecycle_->CompleteStep(Officer(old_commune, step->steps[1].role), d->code, "");
  EXPECT_EQ(stale.error().key, "dossier.not_holder");
}

class DemoTest : public LifecycleTest {
 protected:
  DemoStats Generate(uint64_t seed, int64_t n) {
    DemoOptions o;
    o.dossiers = n;
    o.seed = seed;
    o.from = {2025, 6, 2};
    o.until = {2025, 8, 29};
    FixedClock clock(FromVietnamLocal(o.from, 0));
    auto stats = GenerateDemo(*store_, catalog_, clock, o);
    EXPECT_TRUE(stats.has_value()) << stats.error().ToString();
    return stats.value_or(DemoStats{});
  }
};

TEST_F(DemoTest, RebuildEqualsStateAndVerifyPasses) {
  const DemoStats stats = Generate(7, 600);
  EXPECT_EQ(stats.dossiers, 600);
  EXPECT_GT(stats.reorganisation_transfers, 0);  // the range crosses 1 July 2025
  EXPECT_GT(stats.returned, 300);
  std::vector<store::DossierRow> before;
  ASSERT_TRUE(store_->ForEachDossier([&](const store::DossierRow& r) -> Result<void> {
    before.push_back(r);
    return {};
  }));
  auto report = Verify(*store_);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->mismatches, 0) << report->first_mismatch;
  EXPECT_EQ(report->dossiers, 600);
  auto replayed = Rebuild(*store_, 997);
  ASSERT_TRUE(replayed.has_value()) << replayed.error().ToString();
  EXPECT_EQ(*replayed, *store_->HeadSeq());
  std::vector<store::DossierRow> after;
  ASSERT_TRUE(store_->ForEachDossier([&](const store::DossierRow& r) -> Result<void> {
    after.push_back(r);
    return {};
  }));
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) ASSERT_EQ(before[i], after[i]) << before[i].code;
  // Counters were restored too: the next dossier continues the day's numbering.
  EXPECT_EQ(Verify(*store_)->mismatches, 0);
}

TEST_F(DemoTest, VerifyCatchesTamperedProjectionsAndLog) {
  Generate(3, 120);
  // A projection row edited behind the log's back.
  std::string code;
  ASSERT_TRUE(store_->ForEachDossier([&](const store::DossierRow& r) -> Result<void> {
    if (code.empty()) code = r.code;
    return {};
  }));
  auto row = *store_->GetDossier(code);
  row->state = "tampered";
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) { return tx.PutDossier(*row); }));
  auto report = Verify(*store_);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->mismatches, 1);
  EXPECT_NE(report->first_mismatch.find(code), std::string::npos);
  // Rebuild repairs it.
  ASSERT_TRUE(Rebuild(*store_).has_value());
  EXPECT_EQ(Verify(*store_)->mismatches, 0);
  // An event edited in the store: the chain breaks at that event.
  store_.reset();
  ASSERT_TRUE(temp_->TamperWithEvent(40, R"({"forged":true})").has_value());
  auto reopened = temp_->Open({.read_only = true});
  ASSERT_TRUE(reopened.has_value());
  auto broken = Verify(**reopened);
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().key, "store.chain_broken");
  EXPECT_EQ(broken.error().params.at(0).second, "40");
}

TEST_F(DemoTest, SameSeedSameLog) {
  Generate(11, 150);
  const int64_t head = *store_->HeadSeq();
  std::string last_hash;
  ASSERT_TRUE(store_->ForEachEvent(head - 1, [&](const Event& e) -> Result<void> {
    last_hash = e.hash;
    return {};
  }));
  // A second store, same seed: byte-identical log (the import's timestamp is fixed by the test
  // clock; dossier events come only from the seed).
  auto t2 = store::testing::TempStore::Create(MOTCUA_STORE_BACKEND);
  ASSERT_TRUE(t2.has_value());
  auto s2 = (*t2)->Open({.create = true});
  ASSERT_TRUE(s2.has_value());
  auto from_data = Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
  ASSERT_TRUE(ImportCatalog(**s2, **from_data, clock_.Now()).has_value());
  DemoOptions o;
  o.dossiers = 150;
  o.seed = 11;
  o.from = {2025, 6, 2};
  o.until = {2025, 8, 29};
  FixedClock clock(FromVietnamLocal(o.from, 0));
  ASSERT_TRUE(GenerateDemo(**s2, catalog_, clock, o).has_value());
  EXPECT_EQ(*(*s2)->HeadSeq(), head);
  std::string other_hash;
  ASSERT_TRUE((*s2)->ForEachEvent(head - 1, [&](const Event& e) -> Result<void> {
    other_hash = e.hash;
    return {};
  }));
  EXPECT_EQ(other_hash, last_hash);
  // A different seed gives a different log.
  s2->reset();
  t2->reset();
}


// ---------------------------------------------------------------------------------------------
// The web front end's use cases: files, ratings, the public lookup, drafts, assisted filing.

class PortalTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    blob_dir_ = fs::temp_directory_path() /
                ("motcua-blobs-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(blob_dir_);
    blobs_ = std::make_unique<BlobStore>(blob_dir_);
    files_ = std::make_unique<Files>(*store_, *blobs_, lifecycle_->access(), clock_);
    auto key = secure::SecretKey::FromBytes(std::string(32, 'k'));
    ASSERT_TRUE(key.has_value());
    key_ = std::make_unique<secure::SecretKey>(std::move(*key));
  }
  void TearDown() override { fs::remove_all(blob_dir_); }

  // Signed in through a session, as on the portal (so their actions are audited).
  static Actor Citizen(const std::string& id_number, const std::string& account) {
    Actor a{Actor::Kind::kCitizen, id_number, "", {}};
    a.account = account;
    a.via = "session";
    return a;
  }
  Actor An() const { return Citizen("051095000123", "acc-an"); }
  static std::string Pdf(const std::string& text) {
    return "%PDF-1.4\n% " + text + "\nstartxref\n0\n%%EOF\n";
  }

  // The birth request with every required component carried by a fresh upload of `who`.
  SubmitRequest WithFiles(const std::string& unit, const Actor& who) {
    SubmitRequest r = BirthRequest(unit);
    r.applicant.phone = "0912 345 678";
    for (auto& c : r.components) {
      auto f = files_->Upload(who, c.code + ".pdf", "application/pdf", Pdf(c.code));
      EXPECT_TRUE(f.has_value()) << f.error().ToString();
      if (f) c.files.push_back(domain::FileRef{f->ref.id, {}, {}, 0, {}});
    }
    return r;
  }

  domain::Dossier ToReturned(const std::string& unit, const Actor& citizen) {
    auto d = lifecycle_->Submit(citizen, WithFiles(unit, citizen));
    EXPECT_TRUE(d.has_value()) << d.error().ToString();
    auto cur = lifecycle_->Receive(Officer(unit, "one_stop_officer"), d->code, {});
    EXPECT_TRUE(cur.has_value());
    while (cur && cur->state != DossierState::kResultReady) {
      clock_.Advance(20 * kMicrosPerMinute);
      cur = lifecycle_->CompleteStep(
          Officer(cur->current_unit, cur->steps[cur->current_step].role), cur->code, "");
      EXPECT_TRUE(cur.has_value());
    }
    auto ret = lifecycle_->Return(Officer(unit, "one_stop_officer"), d->code, "online");
    EXPECT_TRUE(ret.has_value()) << ret.error().ToString();
    return *ret;
  }

  fs::path blob_dir_;
  std::unique_ptr<BlobStore> blobs_;
  std::unique_ptr<Files> files_;
  std::unique_ptr<secure::SecretKey> key_;
};

TEST_F(PortalTest, UploadsAreCheckedDurableAndOwned) {
  const int64_t head = Head();
  EXPECT_EQ(files_->Upload(An(), "a.pdf", "application/pdf", "").error().key, "file.empty");
  EXPECT_EQ(files_->Upload(An(), "a.pdf", "application/pdf", "hello").error().key,
            "file.bad_type");
  EXPECT_EQ(files_->Upload(An(), "a.png", "image/png", Pdf("x")).error().key, "file.bad_type");
  EXPECT_EQ(files_->Upload(An(), "a.exe", "application/x-msdownload", "MZ").error().key,
            "file.executable");
  EXPECT_EQ(files_->Upload(An(), "a.pdf", "application/pdf", "%PDF-1.4\n% cut").error().key,
            "file.truncated");
  for (const char* name : {"../../etc/passwd", "..\\..\\x.pdf", "/etc/passwd", "..", "a\nb.pdf"}) {
    EXPECT_EQ(files_->Upload(An(), name, "application/pdf", Pdf("x")).error().key,
              "file.bad_name")
        << name;
  }
  EXPECT_EQ(files_->Upload(An(), "big.pdf", "application/pdf",
                           Pdf(std::string(static_cast<size_t>(kMaxFileBytes), 'x')))
                .error()
                .key,
            "file.too_large");
  EXPECT_EQ(files_->Upload(Actor::Anonymous(), "a.pdf", "application/pdf", Pdf("x")).error().key,
            "auth.missing");
  EXPECT_EQ(Head(), head) << "a refused upload wrote nothing";

  EXPECT_TRUE(fs::is_empty(blob_dir_ / "tmp")) << "a refused upload left no temporary file";
  auto f = files_->Upload(An(), "giấy khai sinh.pdf", "application/pdf", Pdf("ks"));
  ASSERT_TRUE(f.has_value()) << f.error().ToString();
  EXPECT_EQ(f->ref.name, "giấy khai sinh.pdf");
  EXPECT_EQ(f->ref.size, static_cast<int64_t>(Pdf("ks").size()));
  EXPECT_EQ(Head(), head + 2) << "FileUploaded and its audit record";
  auto own = files_->ReadOwn(An(), f->ref.id);
  ASSERT_TRUE(own.has_value()) << own.error().ToString();
  EXPECT_EQ(own->second, Pdf("ks"));
  EXPECT_EQ(files_->ReadOwn(Citizen("051095000999", "acc-binh"), f->ref.id).error().key,
            "file.not_found");
  // A damaged blob is reported, never served.
  {
    std::ofstream out(blobs_->PathOf(f->ref.sha256), std::ios::trunc);
    out << "%PDF-1.4 changed";
  }
  EXPECT_EQ(files_->ReadOwn(An(), f->ref.id).error().key, "file.corrupt");
}

TEST_F(PortalTest, OnlyTheUploaderCanFileAFileAndItJoinsTheDossier) {
  const std::string unit = CommuneOn({2026, 3, 3});
  SubmitRequest req = WithFiles(unit, An());
  // Bình files An's uploads: refused as if they did not exist, nothing written.
  SubmitRequest stolen = req;
  stolen.applicant.id_number = "051095000999";
  const int64_t head = Head();
  auto refused = lifecycle_->Submit(Citizen("051095000999", "acc-binh"), stolen);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().key, "file.not_found");
  EXPECT_EQ(store_->ListDossiers({}).value().size(), 0u);
  EXPECT_GT(Head(), head) << "the refused attempt is audited";

  auto d = lifecycle_->Submit(An(), req);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  for (const auto& c : d->components) {
    if (!c.provided) continue;
    ASSERT_EQ(c.files.size(), 1u) << c.code;
    EXPECT_EQ(c.files[0].name, c.code + ".pdf");
    EXPECT_EQ(c.files[0].sha256.size(), 64u);
  }
  // Supplement: the new round's file joins the component's earlier one.
  auto sup = lifecycle_->RequestSupplement(Officer(unit, "one_stop_officer"), d->code,
                                           "Bản chụp mờ", {"Giấy chứng sinh"});
  ASSERT_TRUE(sup.has_value()) << sup.error().ToString();
  const std::string comp = d->components[1].code;
  auto again = files_->Upload(An(), "ro.pdf", "application/pdf", Pdf("rõ"));
  ASSERT_TRUE(again.has_value());
  domain::ComponentRecord answer{comp, "", true, false, "", {{again->ref.id, {}, {}, 0, {}}}};
  auto provided = lifecycle_->ProvideSupplement(An(), d->code, {answer});
  ASSERT_TRUE(provided.has_value()) << provided.error().ToString();
  EXPECT_EQ(provided->components[1].files.size(), 2u);
  EXPECT_EQ(provided->components[1].files[1].name, "ro.pdf");
  // The log replays to the same state, files (and their blob rows) included.
  auto report = Verify(*store_);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->mismatches, 0) << report->first_mismatch;
  // The blob row counts the upload and the supplement that files it.
  auto row = store_->GetCatalog("blob", again->ref.sha256);
  ASSERT_TRUE(row.has_value() && row->has_value());
  const auto doc = json::Parse((*row)->doc)->get_object();
  EXPECT_EQ(json::OptInt(doc, "refs"), 2);
  EXPECT_EQ(json::OptString(doc, "first_stream"), "file/" + again->ref.id);
  // The collector, asked with no minimum age, takes nothing the log names.
  auto gc = blobs_->CollectGarbage(
      [&](std::string_view h) -> Result<bool> {
        auto r = store_->GetCatalog("blob", h);
        if (!r) return std::unexpected(r.error());
        return r->has_value();
      },
      {.min_age = std::chrono::seconds(0)});
  ASSERT_TRUE(gc.has_value());
  EXPECT_EQ(gc->removed, 0);
  EXPECT_EQ(gc->referenced, gc->scanned);
  EXPECT_GT(gc->scanned, 0);
}

TEST_F(PortalTest, TheApplicantRatesOnceAfterTheReturn) {
  const std::string unit = CommuneOn({2026, 3, 3});
  auto d = lifecycle_->Submit(An(), WithFiles(unit, An()));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(lifecycle_->Rate(An(), d->code, domain::Rating::kSatisfied, "").error().key,
            "dossier.illegal_transition");
  const domain::Dossier returned = ToReturned(CommuneOn({2026, 3, 3}, 1), An());
  EXPECT_EQ(lifecycle_->Rate(Officer(returned.receiving_unit, "one_stop_officer"), returned.code,
                             domain::Rating::kVerySatisfied, "")
                .error()
                .key,
            "auth.forbidden");
  auto rated = lifecycle_->Rate(An(), returned.code, domain::Rating::kUnsatisfied, "Chờ lâu");
  ASSERT_TRUE(rated.has_value()) << rated.error().ToString();
  ASSERT_TRUE(rated->rating.has_value());
  EXPECT_EQ(rated->rating->value, domain::Rating::kUnsatisfied);
  EXPECT_EQ(rated->rating->comment, "Chờ lâu");
  EXPECT_EQ(lifecycle_->Rate(An(), returned.code, domain::Rating::kSatisfied, "").error().key,
            "dossier.already_rated");
  auto report = Verify(*store_);
  EXPECT_EQ(report->mismatches, 0) << report->first_mismatch;
}

TEST_F(PortalTest, LookupByReceiptKeyOrPhoneDigitsAndMissesAreThrottled) {
  const std::string unit = CommuneOn({2026, 3, 3});
  auto d = lifecycle_->Submit(An(), WithFiles(unit, An()));
  auto other = lifecycle_->Submit(An(), WithFiles(unit, An()));
  ASSERT_TRUE(d && other);
  Lookup lookup(*store_, catalog_, clock_, *key_);
  const std::string key = lookup.KeyFor(d->code);
  EXPECT_EQ(key.size(), 8u);
  EXPECT_EQ(key.find_first_of("01ILO"), std::string::npos);
  EXPECT_NE(key, lookup.KeyFor(other->code));

  auto by_key = lookup.Find(d->code, key, "10.0.0.1");
  ASSERT_TRUE(by_key.has_value()) << by_key.error().ToString();
  EXPECT_EQ(by_key->state, DossierState::kSubmitted);
  EXPECT_EQ(by_key->applicant_name, "N***** V** A*");
  EXPECT_EQ(by_key->timeline.size(), 1u);
  // Lower case and a dash are forgiven; the phone's last four digits work too.
  std::string lower = key.substr(0, 4) + "-" + key.substr(4);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_TRUE(lookup.Find(d->code, lower, "10.0.0.1").has_value());
  EXPECT_TRUE(lookup.Find(d->code, "5678", "10.0.0.1").has_value());
  EXPECT_EQ(lookup.Find(d->code, "5679", "10.0.0.1").error().key, "lookup.not_found");
  EXPECT_EQ(lookup.Find(d->code, lookup.KeyFor(other->code), "10.0.0.1").error().key,
            "lookup.not_found");
  EXPECT_EQ(lookup.Find("99999-260303-0001", key, "10.0.0.1").error().key, "lookup.not_found");

  // Ten misses on one code lock that code for the hour, from any address.
  for (int i = 0; i < kLookupMissesPerCode; ++i) {
    (void)lookup.Find(other->code, "0000", "10.0.1." + std::to_string(i));
  }
  auto locked = lookup.Find(other->code, lookup.KeyFor(other->code), "10.0.2.1");
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().key, "lookup.throttled");
  EXPECT_FALSE(locked.error().Param("retry_after").empty());
  EXPECT_TRUE(lookup.Find(d->code, key, "10.0.2.1").has_value()) << "other codes unaffected";
  clock_.Advance(61 * kMicrosPerMinute);
  EXPECT_TRUE(lookup.Find(other->code, lookup.KeyFor(other->code), "10.0.2.1").has_value());
  // Twenty misses from one address lock that address.
  for (int i = 0; i < kLookupMissesPerAddress; ++i) {
    (void)lookup.Find("99999-260303-" + std::to_string(1000 + i), "0000", "10.9.9.9");
  }
  EXPECT_EQ(lookup.Find(d->code, key, "10.9.9.9").error().key, "lookup.throttled");
  EXPECT_TRUE(lookup.Find(d->code, key, "10.9.9.8").has_value());
  // The key depends on the server key.
  auto other_key = secure::SecretKey::FromBytes(std::string(32, 'j'));
  Lookup elsewhere(*store_, catalog_, clock_, *other_key);
  EXPECT_NE(elsewhere.KeyFor(d->code), key);
}

TEST_F(PortalTest, DraftsBelongToTheirAccountAndExpire) {
  Drafts drafts(*store_, lifecycle_->access(), clock_);
  const int64_t head = Head();
  boost::json::object form{{"applicant", boost::json::object{{"name", "Nguyễn Văn An"}}}};
  auto saved = drafts.Save(An(), "1.001193", form);
  ASSERT_TRUE(saved.has_value()) << saved.error().ToString();
  EXPECT_EQ(Head(), head) << "drafts never enter the event log";
  auto mine = drafts.List(An());
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().form, form);
  EXPECT_TRUE(drafts.List(Citizen("051095000999", "acc-binh"))->empty());
  EXPECT_EQ(drafts.Save(An(), "9.999999", form).error().key, "procedure.not_found");
  boost::json::object big{{"x", std::string(kMaxDraftBytes, 'a')}};
  EXPECT_EQ(drafts.Save(An(), "1.001193", big).error().key, "draft.too_large");
  EXPECT_EQ(drafts.Save(Officer("99", "leader"), "1.001193", form).error().key, "auth.forbidden");
  EXPECT_EQ(drafts.List(An())->front().form, form) << "a refused save keeps the draft";
  clock_.Advance((kDraftDays + 1) * kMicrosPerDay);
  EXPECT_TRUE(drafts.List(An())->empty()) << "expired after 30 days";
  ASSERT_TRUE(drafts.Save(An(), "1.001193", form).has_value());
  EXPECT_TRUE(*drafts.Delete(An(), "1.001193"));
  EXPECT_FALSE(*drafts.Delete(An(), "1.001193"));
  EXPECT_TRUE(drafts.List(An())->empty());
}

TEST_F(PortalTest, AssistedFilingRecordsTheTeamMemberAndTheApplicant) {
  const std::string unit = CommuneOn({2026, 3, 3});
  Actor team = Officer(unit, "community_digital_team");
  team.account = "acc-cds";
  SubmitRequest req = WithFiles(unit, team);
  req.channel = domain::Channel::kAssisted;
  req.assisted_by = "someone-else";  // not the client's to say
  auto d = lifecycle_->Submit(team, req);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_EQ(d->channel, domain::Channel::kAssisted);
  EXPECT_EQ(d->assisted_by, team.id);
  EXPECT_EQ(d->applicant.id_number, "051095000123");
  // The citizen sees the dossier filed for them, and the member the dossier they filed; another
  // member of the same team does not.
  EXPECT_TRUE(lifecycle_->Get(An(), d->code).has_value());
  EXPECT_TRUE(lifecycle_->Get(team, d->code).has_value());
  Actor colleague = Officer(unit, "community_digital_team");
  colleague.id = "another-member";
  EXPECT_EQ(lifecycle_->Get(colleague, d->code).error().key, "auth.forbidden");
}


TEST_F(PortalTest, TheProvinceSetsCalendarDaysThatDeadlinesFollowAtOnce) {
  CalendarAdmin admin(*store_, catalog_, lifecycle_->access(), clock_);
  const Actor province = Officer("99", "province_admin");
  const CivilDate monday{2026, 3, 9}, friday{2026, 3, 6}, saturday{2026, 3, 14};
  const domain::WorkSchedule& standard = catalog_->Schedule("standard");
  ASSERT_TRUE(catalog_->calendar().IsWorkingDay(monday, standard));
  EXPECT_EQ(*catalog_->calendar().AddWorkingDays(friday, 1, standard), monday);

  const int64_t head = Head();
  CalendarDayInput swap{monday, "swap_off", "Nghỉ hoán đổi", "Swap day off", "Thông báo 12/TB-UBND"};
  EXPECT_EQ(admin.SetDay(Officer(CommuneOn(monday), "leader"), swap).error().key,
            "auth.forbidden");
  CalendarDayInput wrong = swap;
  wrong.kind = "make_up";  // a make-up day must be a Saturday or Sunday
  EXPECT_EQ(admin.SetDay(province, wrong).error().key, "calendar.bad_override");
  CalendarDayInput unsourced = swap;
  unsourced.source.clear();
  EXPECT_EQ(admin.SetDay(province, unsourced).error().key, "calendar.source_required");
  CalendarDayInput far = swap;
  far.date = {2040, 3, 5};
  EXPECT_EQ(admin.SetDay(province, far).error().key, "calendar.year_out_of_range");
  EXPECT_EQ(Head(), head) << "refused changes write nothing";

  // Before: a reference to the calendar in use stays valid and unchanged.
  const domain::WorkingCalendar& before = catalog_->calendar();
  ASSERT_TRUE(admin.SetDay(province, swap).has_value());
  EXPECT_TRUE(before.IsWorkingDay(monday, standard));
  EXPECT_FALSE(catalog_->calendar().IsWorkingDay(monday, standard));
  EXPECT_EQ(*catalog_->calendar().AddWorkingDays(friday, 1, standard), (CivilDate{2026, 3, 10}));
  EXPECT_TRUE(catalog_->IsManaged(monday));
  CalendarDayInput make_up{saturday, "make_up", "Làm bù", "Make-up day", "Thông báo 12/TB-UBND"};
  ASSERT_TRUE(admin.SetDay(province, make_up).has_value());
  EXPECT_TRUE(catalog_->calendar().IsWorkingDay(saturday, standard));

  // The log carries the change: a new node (or a restart) loads the same calendar.
  auto reloaded = Catalog::Load(*store_, DataDir());
  ASSERT_TRUE(reloaded.has_value()) << reloaded.error().ToString();
  EXPECT_FALSE((*reloaded)->calendar().IsWorkingDay(monday, standard));
  EXPECT_TRUE((*reloaded)->calendar().IsWorkingDay(saturday, standard));

  EXPECT_TRUE(*admin.ClearDay(province, monday));
  EXPECT_FALSE(*admin.ClearDay(province, monday)) << "nothing left to clear";
  EXPECT_FALSE(*admin.ClearDay(province, {2026, 4, 30})) << "the data file's days stay";
  EXPECT_TRUE(catalog_->calendar().IsWorkingDay(monday, standard));
  auto report = Verify(*store_);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->mismatches, 0) << report->first_mismatch;
  ASSERT_TRUE(Rebuild(*store_).has_value());
  auto rebuilt = Catalog::Load(*store_, DataDir());
  ASSERT_TRUE(rebuilt.has_value());
  EXPECT_TRUE((*rebuilt)->calendar().IsWorkingDay(monday, standard));
  EXPECT_TRUE((*rebuilt)->calendar().IsWorkingDay(saturday, standard));
  EXPECT_FALSE((*rebuilt)->IsManaged(monday));
  EXPECT_TRUE((*rebuilt)->IsManaged(saturday));
}

}  // namespace
}  // namespace motcua::app
