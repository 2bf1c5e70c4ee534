// The storage contract: every backend must pass this suite unchanged. Built twice, as
// store_contract_test (SQLite) and store_contract_pgtest (PostgreSQL, needs MOTCUA_TEST_PG).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/store.h"
#include "store/testing.h"

#ifndef MOTCUA_STORE_BACKEND
#error "MOTCUA_STORE_BACKEND must name the backend under test"
#endif

namespace motcua::store {
namespace {

class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = testing::TempStore::Create(MOTCUA_STORE_BACKEND);
    ASSERT_TRUE(t.has_value()) << t.error().ToString();
    temp_ = std::move(*t);
    auto s = temp_->Open({.create = true});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    temp_.reset();
  }

  static NewEvent Ev(std::string stream, std::string type, int n) {
    NewEvent e;
    e.stream = std::move(stream);
    e.type = std::move(type);
    e.unit = "99001";
    e.actor = "officer:1";
    e.at = Timestamp{1'750'000'000'000'000 + n};
    e.payload["n"] = n;
    e.payload["text"] = "Đăng ký khai sinh \"quá hạn\" \n\t ✓";
    e.payload["nested"] = boost::json::object{{"a", boost::json::array{1, 2, 3}}, {"b", nullptr}};
    return e;
  }

  Result<void> AppendOne(std::string stream, int n) {
    return store_->Write([&](Tx& tx) -> Result<void> {
      auto e = tx.Append(Ev(stream, "ThingHappened", n));
      if (!e) return std::unexpected(e.error());
      return {};
    });
  }

  static DossierRow Row(std::string code, std::string unit, std::string state, int64_t due) {
    DossierRow r;
    r.code = std::move(code);
    r.procedure_code = "1.001193";
    r.receiving_unit = unit;
    r.competent_unit = unit;
    r.current_unit = unit;
    r.state = std::move(state);
    r.status_code = 4;
    r.channel = "online";
    r.applicant_key = "k-" + r.code;
    r.submitted_at = Timestamp{due - 100};
    r.received_at = Timestamp{due - 50};
    r.due_at = Timestamp{due};
    r.version = 2;
    r.doc = R"({"code":")" + r.code + R"(","note":"Hồ sơ"})";
    return r;
  }

  std::unique_ptr<testing::TempStore> temp_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreContract, AppendAssignsSequenceAndChainsHashes) {
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(AppendOne(i % 2 ? "s/a" : "s/b", i).has_value());
  std::vector<Event> all;
  ASSERT_TRUE(store_->ForEachEvent(0, [&](const Event& e) -> Result<void> {
    all.push_back(e);
    return {};
  }));
  ASSERT_EQ(all.size(), 5u);
  std::string prev(kGenesisHash);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(all[i].seq, i + 1);
    EXPECT_EQ(all[i].prev_hash, prev);
    EXPECT_EQ(all[i].hash.size(), 64u);
    EXPECT_EQ(all[i].payload.at("n").as_int64(), i + 1);
    EXPECT_EQ(all[i].payload.at("text").as_string(), "Đăng ký khai sinh \"quá hạn\" \n\t ✓");
    EXPECT_EQ(all[i].at.us, 1'750'000'000'000'000 + i + 1);
    prev = all[i].hash;
  }
  auto a = store_->ReadStream("s/a");
  ASSERT_TRUE(a.has_value());
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ((*a)[0].seq, 1);
  EXPECT_EQ((*a)[2].seq, 5);
  EXPECT_EQ(*store_->HeadSeq(), 5);
  EXPECT_EQ(*VerifyChain(*store_), 5);
  // Scanning from the middle.
  int count = 0;
  ASSERT_TRUE(store_->ForEachEvent(3, [&](const Event& e) -> Result<void> {
    EXPECT_GT(e.seq, 3);
    ++count;
    return {};
  }));
  EXPECT_EQ(count, 2);
}

TEST_F(StoreContract, FailedTransactionLeavesNothingAndKeepsTheChain) {
  ASSERT_TRUE(AppendOne("s/a", 1).has_value());
  auto r = store_->Write([&](Tx& tx) -> Result<void> {
    EXPECT_TRUE(tx.Append(Ev("s/a", "ThingHappened", 2)).has_value());
    EXPECT_TRUE(tx.PutDossier(Row("X-1", "99001", "received", 1000)).has_value());
    EXPECT_EQ(*tx.NextNumber("c"), 1);
    return Fail(ErrorCode::kFailedPrecondition, "test.refused");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "test.refused");
  EXPECT_EQ(*store_->HeadSeq(), 1);
  EXPECT_FALSE(store_->GetDossier("X-1")->has_value());
  ASSERT_TRUE(AppendOne("s/a", 3).has_value());
  EXPECT_EQ(*store_->HeadSeq(), 2);
  EXPECT_EQ(*VerifyChain(*store_), 2);
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    EXPECT_EQ(*tx.NextNumber("c"), 1);  // the rolled-back increment is gone
    return {};
  }));
}

TEST_F(StoreContract, ExceptionInTransactionIsAnInternalErrorAndRollsBack) {
  auto r = store_->Write([&](Tx& tx) -> Result<void> {
    (void)tx.Append(Ev("s/a", "ThingHappened", 1));
    throw std::runtime_error("bug");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_EQ(*store_->HeadSeq(), 0);
  ASSERT_TRUE(AppendOne("s/a", 2).has_value());
  EXPECT_EQ(*VerifyChain(*store_), 1);
}

TEST_F(StoreContract, ConcurrentWritersAreGroupedWithoutLoss) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every third transaction of odd threads fails: its neighbours in the batch must commit.
        const bool fail = (t % 2 == 1) && (i % 3 == 0);
        auto r = store_->Write([&](Tx& tx) -> Result<void> {
          auto e = tx.Append(Ev("t/" + std::to_string(t), "ThingHappened", i));
          if (!e) return std::unexpected(e.error());
          auto n = tx.NextNumber("shared");
          if (!n) return std::unexpected(n.error());
          if (fail) return Fail(ErrorCode::kFailedPrecondition, "test.refused");
          return {};
        });
        if (r.has_value() == fail) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const int failed = (kThreads / 2) * ((kPerThread + 2) / 3);
  const int expected = kThreads * kPerThread - failed;
  EXPECT_EQ(*store_->HeadSeq(), expected);
  EXPECT_EQ(*VerifyChain(*store_), expected);
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    EXPECT_EQ(*tx.NextNumber("shared"), expected + 1);
    return {};
  }));
  for (int t = 0; t < kThreads; ++t) {
    auto s = store_->ReadStream("t/" + std::to_string(t));
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(static_cast<int>(s->size()), t % 2 ? kPerThread - (kPerThread + 2) / 3 : kPerThread);
  }
}

TEST_F(StoreContract, CountersArePerName) {
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    EXPECT_EQ(*tx.NextNumber("dossier/99001/2025"), 1);
    EXPECT_EQ(*tx.NextNumber("dossier/99001/2025"), 2);
    EXPECT_EQ(*tx.NextNumber("dossier/99002/2025"), 1);
    EXPECT_EQ(*tx.NextNumber("dossier/99001/2026"), 1);
    return {};
  }));
}

TEST_F(StoreContract, DossierProjectionRoundTripsAndFilters) {
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    for (auto r :
         {Row("A-1", "99001", "received", 1000), Row("A-2", "99001", "in_processing", 2000),
          Row("B-1", "99002", "received", 3000)}) {
      if (auto p = tx.PutDossier(r); !p) return p;
    }
    DossierRow done = Row("B-2", "99002", "returned", 500);
    done.finished_at = Timestamp{600};
    done.received_at.reset();
    return tx.PutDossier(done);
  }));
  auto a1 = store_->GetDossier("A-1");
  ASSERT_TRUE(a1.has_value() && a1->has_value());
  EXPECT_EQ(**a1, Row("A-1", "99001", "received", 1000));
  auto b2 = store_->GetDossier("B-2");
  ASSERT_TRUE(b2->has_value());
  EXPECT_FALSE((*b2)->received_at.has_value());
  EXPECT_EQ((*b2)->finished_at->us, 600);
  EXPECT_FALSE(store_->GetDossier("nope")->has_value());

  auto by_unit = store_->ListDossiers({.unit = "99001"});
  ASSERT_TRUE(by_unit.has_value());
  EXPECT_EQ(by_unit->size(), 2u);
  auto by_state = store_->ListDossiers({.state = "received"});
  EXPECT_EQ(by_state->size(), 2u);
  auto overdue = store_->ListDossiers({.due_before = Timestamp{2500}});
  ASSERT_EQ(overdue->size(), 2u);  // B-2 is finished, B-1 not yet due
  auto by_applicant = store_->ListDossiers({.applicant_key = "k-B-1"});
  ASSERT_EQ(by_applicant->size(), 1u);
  EXPECT_EQ((*by_applicant)[0].code, "B-1");
  auto page = store_->ListDossiers({.limit = 2, .offset = 1});
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].code, "A-2");  // newest submitted first: B-1, A-2, A-1, B-2

  // Replace.
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    auto r = Row("A-1", "99001", "returned", 1000);
    r.version = 7;
    return tx.PutDossier(r);
  }));
  EXPECT_EQ((*store_->GetDossier("A-1"))->version, 7);
  std::vector<std::string> codes;
  ASSERT_TRUE(store_->ForEachDossier([&](const DossierRow& r) -> Result<void> {
    codes.push_back(r.code);
    return {};
  }));
  EXPECT_EQ(codes, (std::vector<std::string>{"A-1", "A-2", "B-1", "B-2"}));
}

TEST_F(StoreContract, CatalogRoundTrips) {
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    if (auto r = tx.PutCatalog({"unit", "99", R"({"name":"Tỉnh"})"}); !r) return r;
    if (auto r = tx.PutCatalog({"unit", "99001", "{}"}); !r) return r;
    auto got = tx.GetCatalog("unit", "99");
    EXPECT_TRUE(got.has_value() && got->has_value());
    return tx.PutCatalog({"procedure", "1.001193", "{}"});
  }));
  auto units = store_->ListCatalog("unit");
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[0], (CatalogRow{"unit", "99", R"({"name":"Tỉnh"})"}));
  EXPECT_FALSE(store_->GetCatalog("unit", "00")->has_value());
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> { return tx.ClearProjections(); }));
  EXPECT_TRUE(store_->ListCatalog("unit")->empty());
}

TEST_F(StoreContract, ReopenContinuesTheChain) {
  ASSERT_TRUE(AppendOne("s/a", 1).has_value());
  ASSERT_TRUE(AppendOne("s/a", 2).has_value());
  store_.reset();
  auto s = temp_->Open();
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  store_ = std::move(*s);
  ASSERT_TRUE(AppendOne("s/a", 3).has_value());
  EXPECT_EQ(*VerifyChain(*store_), 3);
  auto st = store_->Stats();
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->events, 3);
  EXPECT_GT(st->bytes, 0);
}

TEST_F(StoreContract, TamperingIsDetected) {
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(AppendOne("s/a", i).has_value());
  store_.reset();
  ASSERT_TRUE(temp_->TamperWithEvent(3, R"({"n":999})").has_value());
  auto s = temp_->Open({.read_only = true});
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  auto v = VerifyChain(**s);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, ErrorCode::kDataLoss);
  EXPECT_EQ(v.error().key, "store.chain_broken");
  ASSERT_FALSE(v.error().params.empty());
  EXPECT_EQ(v.error().params[0].second, "3");
}

TEST_F(StoreContract, InjectedCommitFailureLosesOnlyTheUnacknowledgedWrite) {
  store_.reset();
  auto s = temp_->Open({.fail_commit_n = 2});
  ASSERT_TRUE(s.has_value());
  store_ = std::move(*s);
  ASSERT_TRUE(AppendOne("s/a", 1).has_value());
  auto r = AppendOne("s/a", 2);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(AppendOne("s/a", 3).has_value());
  auto events = store_->ReadStream("s/a");
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].payload.at("n").as_int64(), 3);
  EXPECT_EQ(*VerifyChain(*store_), 2);
}

TEST_F(StoreContract, OneWriterPerLocationAndReadOnlyOpens) {
  auto second = temp_->Open();
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().key, "store.locked");
  auto ro = temp_->Open({.read_only = true});
  ASSERT_TRUE(ro.has_value()) << ro.error().ToString();
  auto w = (*ro)->Write([](Tx&) -> Result<void> { return {}; });
  ASSERT_FALSE(w.has_value());
  EXPECT_EQ(w.error().key, "store.read_only");
}

TEST(StoreContractOpen, UninitialisedLocationIsRefused) {
  auto t = testing::TempStore::Create(MOTCUA_STORE_BACKEND);
  ASSERT_TRUE(t.has_value()) << t.error().ToString();
  auto s = (*t)->Open();
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().key, "store.not_initialised");
}

}  // namespace
}  // namespace motcua::store
