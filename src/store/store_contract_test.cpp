// The storage contract: every backend must pass this suite unchanged. Built twice, as
// store_contract_test (SQLite) and store_contract_pgtest (PostgreSQL, needs MOTCUA_TEST_PG).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
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

// ---- Secrets (issue #4): a private table beside the log, never an event ----

TEST_F(StoreContract, SecretsPutGetReplaceDeleteAndListByPrefix) {
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    for (SecretRow r : {SecretRow{"session", "ab12", R"({"user":"officer:1"})", Timestamp{500}},
                        SecretRow{"session", "ab34", "{}", std::nullopt},
                        SecretRow{"session", "a_x", "{}", std::nullopt},
                        SecretRow{"session", "abc%", "{}", std::nullopt},
                        SecretRow{"session", "b1", "{}", std::nullopt},
                        SecretRow{"password", "ab12", R"({"hash":"$argon2id$…"})", std::nullopt}}) {
      if (auto p = tx.PutSecret(r); !p) return p;
    }
    // The transaction reads its own writes.
    auto got = tx.GetSecret("session", "ab12");
    EXPECT_TRUE(got.has_value() && got->has_value() && (*got)->doc == R"({"user":"officer:1"})");
    return {};
  }));
  auto s = store_->GetSecret("session", "ab12");
  ASSERT_TRUE(s.has_value() && s->has_value());
  EXPECT_EQ(**s, (SecretRow{"session", "ab12", R"({"user":"officer:1"})", Timestamp{500}}));
  EXPECT_EQ((*store_->GetSecret("password", "ab12"))->doc, R"({"hash":"$argon2id$…"})");
  EXPECT_FALSE(store_->GetSecret("session", "zz")->has_value());
  EXPECT_FALSE(store_->GetSecret("totp", "ab12")->has_value());

  // Replace: doc and expiry change, the key stays one row.
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    return tx.PutSecret({"session", "ab12", R"({"user":"officer:2"})", std::nullopt});
  }));
  EXPECT_EQ(**store_->GetSecret("session", "ab12"),
            (SecretRow{"session", "ab12", R"({"user":"officer:2"})", std::nullopt}));

  auto keys = [&](std::string_view kind, std::string_view prefix, int limit) {
    std::vector<std::string> out;
    auto l = store_->ListSecrets(kind, prefix, limit);
    EXPECT_TRUE(l.has_value()) << l.error().ToString();
    if (l) {
      for (const auto& r : *l) {
        EXPECT_EQ(r.kind, kind);
        out.push_back(r.key);
      }
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(keys("session", "", 100), (V{"a_x", "ab12", "ab34", "abc%", "b1"}));
  EXPECT_EQ(keys("session", "ab", 100), (V{"ab12", "ab34", "abc%"}));
  EXPECT_EQ(keys("session", "ab", 2), (V{"ab12", "ab34"}));
  EXPECT_EQ(keys("session", "a_", 100), (V{"a_x"}));     // '_' is not a wildcard
  EXPECT_EQ(keys("session", "abc%", 100), (V{"abc%"}));  // '%' neither
  EXPECT_EQ(keys("session", "ab%", 100), V{});
  EXPECT_EQ(keys("password", "", 100), (V{"ab12"}));
  for (int bad : {0, -1, 10'001}) {
    auto l = store_->ListSecrets("session", "", bad);
    ASSERT_FALSE(l.has_value());
    EXPECT_EQ(l.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(l.error().key, "store.bad_query");
  }

  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    EXPECT_EQ(tx.DeleteSecret("session", "ab34"), true);
    EXPECT_EQ(tx.DeleteSecret("session", "ab34"), false);
    EXPECT_EQ(tx.DeleteSecret("password", "nope"), false);
    EXPECT_FALSE(tx.GetSecret("session", "ab34")->has_value());
    return {};
  }));
  EXPECT_FALSE(store_->GetSecret("session", "ab34")->has_value());
  EXPECT_TRUE(store_->GetSecret("password", "ab12")->has_value());  // other kinds untouched
}

TEST_F(StoreContract, ExpiredSecretsArePurged) {
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    for (SecretRow r : {SecretRow{"reset", "a", "{}", Timestamp{100}},
                        SecretRow{"reset", "b", "{}", Timestamp{200}},
                        SecretRow{"session", "c", "{}", Timestamp{300}},
                        SecretRow{"password", "d", "{}", std::nullopt}}) {
      if (auto p = tx.PutSecret(r); !p) return p;
    }
    return {};
  }));
  EXPECT_EQ(store_->PurgeExpiredSecrets(Timestamp{99}), 0);
  EXPECT_EQ(store_->PurgeExpiredSecrets(Timestamp{150}), 1);
  EXPECT_FALSE(store_->GetSecret("reset", "a")->has_value());
  EXPECT_EQ(store_->PurgeExpiredSecrets(Timestamp{300}), 2);  // expires_at <= now, any kind
  EXPECT_FALSE(store_->GetSecret("reset", "b")->has_value());
  EXPECT_FALSE(store_->GetSecret("session", "c")->has_value());
  EXPECT_EQ(store_->PurgeExpiredSecrets(Timestamp{1'000'000'000'000'000}), 0);
  EXPECT_TRUE(store_->GetSecret("password", "d")->has_value());  // no expiry: kept
  // Purging writes, so a read-only open refuses.
  auto ro = temp_->Open({.read_only = true});
  ASSERT_TRUE(ro.has_value());
  auto p = (*ro)->PurgeExpiredSecrets(Timestamp{1});
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().key, "store.read_only");
  EXPECT_TRUE((*ro)->GetSecret("password", "d")->has_value());
}

TEST_F(StoreContract, SecretsSurviveClearProjectionsAndNeverEnterTheLog) {
  ASSERT_TRUE(AppendOne("s/a", 1).has_value());
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    if (auto r = tx.PutCatalog({"unit", "99", "{}"}); !r) return r;
    if (auto r = tx.PutDossier(Row("A-1", "99001", "received", 1000)); !r) return r;
    return tx.PutSecret({"totp", "officer:1", R"({"seed":"JBSWY3DPEHPK3PXP"})", std::nullopt});
  }));
  EXPECT_EQ(*store_->HeadSeq(), 1);  // a secret is no event
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> { return tx.ClearProjections(); }));
  EXPECT_FALSE(store_->GetDossier("A-1")->has_value());
  EXPECT_TRUE(store_->ListCatalog("unit")->empty());
  auto kept = store_->GetSecret("totp", "officer:1");
  ASSERT_TRUE(kept.has_value() && kept->has_value());
  EXPECT_EQ((*kept)->doc, R"({"seed":"JBSWY3DPEHPK3PXP"})");
  int events = 0;
  ASSERT_TRUE(store_->ForEachEvent(0, [&](const Event& e) -> Result<void> {
    ++events;
    EXPECT_EQ(e.payload_json.find("JBSWY3DPEHPK3PXP"), std::string::npos);
    return {};
  }));
  EXPECT_EQ(events, 1);
  EXPECT_EQ(*VerifyChain(*store_), 1);
}

TEST_F(StoreContract, SecretsAreAtomicWithTheTransaction) {
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    return tx.PutSecret({"session", "old", "{}", std::nullopt});
  }));
  auto r = store_->Write([&](Tx& tx) -> Result<void> {
    EXPECT_TRUE(tx.PutSecret({"session", "new", "{}", std::nullopt}).has_value());
    EXPECT_EQ(tx.DeleteSecret("session", "old"), true);
    EXPECT_TRUE(tx.PutSecret({"password", "x", R"({"v":2})", std::nullopt}).has_value());
    EXPECT_TRUE(tx.Append(Ev("s/a", "PasswordChanged", 1)).has_value());
    return Fail(ErrorCode::kFailedPrecondition, "test.refused");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "test.refused");
  EXPECT_FALSE(store_->GetSecret("session", "new")->has_value());
  EXPECT_TRUE(store_->GetSecret("session", "old")->has_value());
  EXPECT_FALSE(store_->GetSecret("password", "x")->has_value());
  EXPECT_EQ(*store_->HeadSeq(), 0);
  // A failing neighbour (in the same group commit or not) does not take a good one down with it.
  std::atomic<bool> go{false};
  std::thread bad([&] {
    while (!go.load()) std::this_thread::yield();
    (void)store_->Write([&](Tx& tx) -> Result<void> {
      (void)tx.PutSecret({"session", "bad", "{}", std::nullopt});
      return Fail(ErrorCode::kFailedPrecondition, "test.refused");
    });
  });
  go = true;
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    return tx.PutSecret({"session", "good", "{}", std::nullopt});
  }));
  bad.join();
  EXPECT_TRUE(store_->GetSecret("session", "good")->has_value());
  EXPECT_FALSE(store_->GetSecret("session", "bad")->has_value());
}

// ---- QueryEvents ----

// ---- Catalogue deletion and private texts (issue #8) ----

TEST_F(StoreContract, DeleteCatalogRemovesOneRow) {
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    if (auto r = tx.PutCatalog({"ocr_pending", "f1", "{}"}); !r) return r;
    if (auto r = tx.PutCatalog({"ocr_pending", "f2", "{}"}); !r) return r;
    return tx.PutCatalog({"file", "f1", "{}"});
  }));
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    EXPECT_EQ(tx.DeleteCatalog("ocr_pending", "f1"), true);
    EXPECT_EQ(tx.DeleteCatalog("ocr_pending", "f1"), false);
    EXPECT_EQ(tx.DeleteCatalog("ocr_pending", "nope"), false);
    EXPECT_FALSE(tx.GetCatalog("ocr_pending", "f1")->has_value());
    return {};
  }));
  EXPECT_FALSE(store_->GetCatalog("ocr_pending", "f1")->has_value());
  EXPECT_TRUE(store_->GetCatalog("ocr_pending", "f2")->has_value());
  EXPECT_TRUE(store_->GetCatalog("file", "f1")->has_value());  // other kinds untouched
  // Rolled back with its transaction.
  auto failed = store_->Write([&](Tx& tx) -> Result<void> {
    EXPECT_EQ(tx.DeleteCatalog("ocr_pending", "f2"), true);
    return Fail(ErrorCode::kAborted, "test.rollback");
  });
  EXPECT_FALSE(failed.has_value());
  EXPECT_TRUE(store_->GetCatalog("ocr_pending", "f2")->has_value());
}

TEST_F(StoreContract, TextsPutGetReplaceAndSearchEveryTerm) {
  const std::vector<TextRow> rows = {
      {"ocr", "f1", "acc1", "NGUYỄN VĂN AN 012345678901", "nguyen van an 012345678901",
       R"({"pages":[]})"},
      {"ocr", "f2", "acc2", "TRẦN VĂN NAM", "tran van nam", "{}"},
      {"ocr", "f3", "acc1", "100% đúng_hạn", "100% dung_han", "{}"},
      {"ocr", "f4", "acc1", "Nguyễn Văn An, Hà Nội", "nguyen van an, ha noi", "{}"},
      {"other", "f5", "acc1", "nguyen van an", "nguyen van an", "{}"}};
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    for (const TextRow& r : rows) {
      if (auto p = tx.PutText(r); !p) return p;
    }
    auto got = tx.GetText("ocr", "f1");  // visible inside the transaction
    EXPECT_TRUE(got.has_value() && got->has_value());
    return {};
  }));
  EXPECT_EQ(*store_->HeadSeq(), 0);  // a text is no event
  auto one = store_->GetText("ocr", "f1");
  ASSERT_TRUE(one.has_value() && one->has_value());
  EXPECT_EQ(**one, rows[0]);
  EXPECT_FALSE(store_->GetText("ocr", "zz")->has_value());
  EXPECT_FALSE(store_->GetText("other", "f1")->has_value());

  auto keys = [&](std::vector<std::string> terms, std::string after = "", int limit = 100) {
    auto r = store_->SearchText("ocr", terms, after, limit);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    std::vector<std::string> out;
    if (r) {
      for (const TextRow& t : *r) out.push_back(t.key);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(keys({"nguyen van"}), (V{"f1", "f4"}));
  EXPECT_EQ(keys({"van", "an"}), (V{"f1", "f2", "f4"}));  // substrings: "tran" holds "an"
  EXPECT_EQ(keys({"van", "an,"}), (V{"f4"}));
  EXPECT_EQ(keys({"van"}), (V{"f1", "f2", "f4"}));
  EXPECT_EQ(keys({"an", "ha noi"}), (V{"f4"}));
  EXPECT_EQ(keys({"nguyen", "nam"}), V{});
  EXPECT_EQ(keys({"NGUYEN"}), V{});  // literal and case-sensitive: callers fold
  EXPECT_EQ(keys({"van"}, "f1"), (V{"f2", "f4"}));  // keyset pages
  EXPECT_EQ(keys({"van"}, "", 1), (V{"f1"}));
  // % and _ are data, not wildcards.
  EXPECT_EQ(keys({"100%"}), (V{"f3"}));
  EXPECT_EQ(keys({"%"}), (V{"f3"}));
  EXPECT_EQ(keys({"g_h"}), (V{"f3"}));
  EXPECT_EQ(keys({"n_am"}), V{});
  EXPECT_EQ(keys({"0123"}), (V{"f1"}));
  EXPECT_EQ(keys({std::string("\xff\xfe")}), V{});  // not UTF-8: nothing
  EXPECT_EQ(keys({std::string("a\0b", 3)}), V{});
  EXPECT_EQ(keys({"van", std::string("\xff")}), V{});
  for (int bad : {0, -1, 10'001}) {
    auto r = store_->SearchText("ocr", {"van"}, "", bad);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().key, "store.bad_query");
  }
  for (const V& bad : {V{}, V{""}, V{"a", ""}, V(kMaxSearchTerms + 1, "a")}) {
    auto r = store_->SearchText("ocr", bad, "", 10);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().key, "store.bad_query");
  }
  EXPECT_EQ(keys(V(kMaxSearchTerms, "van an")), (V{"f1", "f4"}));

  // Replacing a row changes every column.
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    return tx.PutText({"ocr", "f2", "acc3", "LÊ THỊ HOA", "le thi hoa", R"({"v":2})"});
  }));
  EXPECT_EQ(**store_->GetText("ocr", "f2"),
            (TextRow{"ocr", "f2", "acc3", "LÊ THỊ HOA", "le thi hoa", R"({"v":2})"}));
  EXPECT_EQ(keys({"van"}), (V{"f1", "f4"}));
}

TEST_F(StoreContract, TextsSurviveClearProjectionsAndAreAtomic) {
  ASSERT_TRUE(AppendOne("file/f1", 1).has_value());
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    if (auto r = tx.PutCatalog({"file", "f1", "{}"}); !r) return r;
    return tx.PutText({"ocr", "f1", "acc1", "Số 012345678901", "so 012345678901", "{}"});
  }));
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> { return tx.ClearProjections(); }));
  EXPECT_FALSE(store_->GetCatalog("file", "f1")->has_value());
  EXPECT_TRUE(store_->GetText("ocr", "f1")->has_value());
  ASSERT_TRUE(store_->ForEachEvent(0, [&](const Event& e) -> Result<void> {
    EXPECT_EQ(e.payload_json.find("012345678901"), std::string::npos);
    return {};
  }));
  auto failed = store_->Write([&](Tx& tx) -> Result<void> {
    EXPECT_TRUE(tx.PutText({"ocr", "f2", "acc1", "x", "x", "{}"}).has_value());
    return Fail(ErrorCode::kAborted, "test.rollback");
  });
  EXPECT_FALSE(failed.has_value());
  EXPECT_FALSE(store_->GetText("ocr", "f2")->has_value());
}

TEST_F(StoreContract, QueryEventsFiltersAndPages) {
  struct Spec {
    std::string stream, type, unit, actor;
    int64_t at;
  };
  const std::vector<Spec> specs = {
      {"dossier/A_1", "DossierSubmitted", "99001", "citizen:1", 100},  // seq 1
      {"dossier/AB1", "DossierSubmitted", "99002", "citizen:2", 200},  // 2
      {"dossier/A_1", "DossierReceived", "99001", "officer:1", 300},   // 3
      {"dossier/A%2", "DossierSubmitted", "99001", "citizen:1", 400},  // 4
      {"unit/99001", "UnitRegistered", "99", "system", 50},            // 5 (time out of order)
      {"dossier/AB1", "DossierReceived", "99002", "officer:2", 500},   // 6
      {"dossier/A_1", "DossierReturned", "99001", "officer:1", 600},   // 7
      {"x/\x7f", "T", "99", "system", 700},                            // 8: U+007F
      {"x/\x7fz", "T", "99", "system", 701},                           // 9
      {"x/\xc2\x80", "T", "99", "system", 702},                        // 10: U+0080
      {"x/\xc3\xa9", "T", "99", "system", 703},                        // 11: é
      {"x/\xc3\xa9"
       "a",
       "T", "99", "system", 704},                // 12: éa
      {"x/\xc3\xaa", "T", "99", "system", 705},  // 13: ê
  };
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    for (const Spec& sp : specs) {
      NewEvent e;
      e.stream = sp.stream;
      e.type = sp.type;
      e.unit = sp.unit;
      e.actor = sp.actor;
      e.at = Timestamp{sp.at};
      e.payload["k"] = 1;
      if (auto r = tx.Append(std::move(e)); !r) return std::unexpected(r.error());
    }
    return {};
  }));
  auto seqs = [&](EventQuery q) {
    std::vector<int64_t> out;
    auto r = store_->QueryEvents(q);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    if (r) {
      for (size_t i = 0; i < r->size(); ++i) {
        out.push_back((*r)[i].seq);
        if (i > 0) {
          EXPECT_LT((*r)[i - 1].seq, (*r)[i].seq);
        }
      }
    }
    return out;
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(seqs({}).size(), specs.size());
  EXPECT_EQ(seqs({.actor = "officer:1"}), (V{3, 7}));
  EXPECT_EQ(seqs({.type = "DossierSubmitted"}), (V{1, 2, 4}));
  EXPECT_EQ(seqs({.unit = "99001"}), (V{1, 3, 4, 7}));
  EXPECT_EQ(seqs({.unit = "99001", .from = Timestamp{300}, .to = Timestamp{600}}), (V{3, 4}));
  EXPECT_EQ(seqs({.from = Timestamp{600}}), (V{7, 8, 9, 10, 11, 12, 13}));
  EXPECT_EQ(seqs({.to = Timestamp{100}}), (V{5}));
  EXPECT_EQ(seqs({.stream_prefix = "dossier/"}), (V{1, 2, 3, 4, 6, 7}));
  EXPECT_EQ(seqs({.stream_prefix = "dossier/A_"}), (V{1, 3, 7}));  // '_' literal
  EXPECT_EQ(seqs({.stream_prefix = "dossier/A%"}), (V{4}));        // '%' literal
  EXPECT_EQ(seqs({.stream_prefix = "dossier/AB1"}), (V{2, 6}));
  EXPECT_EQ(seqs({.stream_prefix = "unit"}), (V{5}));
  EXPECT_EQ(seqs({.stream_prefix = "nothing"}), V{});
  EXPECT_EQ(seqs({.stream_prefix = ""}).size(), specs.size());
  // Prefixes ending in characters whose successor changes UTF-8 length.
  EXPECT_EQ(seqs({.stream_prefix = "x/\x7f"}), (V{8, 9}));
  EXPECT_EQ(seqs({.stream_prefix = "x/\xc3\xa9"}), (V{11, 12}));
  // A prefix that is not UTF-8 text matches nothing (not even as a byte prefix of "x/é").
  EXPECT_EQ(seqs({.stream_prefix = "x/\xc3"}), V{});
  EXPECT_EQ(seqs({.stream_prefix = std::string("dossier/\0", 9)}), V{});
  EXPECT_EQ(seqs({.stream_prefix = "dossier/A_1", .type = "DossierReceived"}), (V{3}));
  EXPECT_EQ(seqs({.type = "DossierSubmitted", .actor = "citizen:1", .unit = "99001"}), (V{1, 4}));

  // Keyset pages: after_seq = the last seq of the previous page.
  std::vector<int64_t> all;
  EventQuery page{.stream_prefix = "dossier/", .limit = 2};
  for (int guard = 0; guard < 10; ++guard) {
    auto got = seqs(page);
    if (got.empty()) break;
    EXPECT_LE(got.size(), 2u);
    all.insert(all.end(), got.begin(), got.end());
    page.after_seq = got.back();
  }
  EXPECT_EQ(all, (V{1, 2, 3, 4, 6, 7}));
  EXPECT_EQ(seqs({.after_seq = 12}), (V{13}));

  // The events come back whole.
  auto one = store_->QueryEvents({.actor = "officer:2"});
  ASSERT_TRUE(one.has_value());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].stream, "dossier/AB1");
  EXPECT_EQ((*one)[0].unit, "99002");
  EXPECT_EQ((*one)[0].at.us, 500);
  EXPECT_EQ((*one)[0].payload.at("k").as_int64(), 1);
  EXPECT_EQ((*one)[0].hash, (*store_->ReadStream("dossier/AB1"))[1].hash);

  for (int bad : {0, -5, 10'001}) {
    auto r = store_->QueryEvents({.limit = bad});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().key, "store.bad_query");
  }
  EXPECT_EQ(seqs({.limit = 10'000}).size(), specs.size());
  EXPECT_EQ(seqs({.limit = 1}), (V{1}));
}

// ---- ListCatalogPage ----

TEST_F(StoreContract, CatalogPagesByKeyAndPrefix) {
  ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
    for (int i = 0; i < 25; ++i) {
      char key[8];
      std::snprintf(key, sizeof key, "u%03d", i);
      if (auto r = tx.PutCatalog({"unit", key, "{}"}); !r) return r;
    }
    for (const char* key : {"v_1", "vx1", "v%1"}) {
      if (auto r = tx.PutCatalog({"unit", key, "{}"}); !r) return r;
    }
    return tx.PutCatalog({"procedure", "u000", "{}"});
  }));
  auto keys = [&](std::string_view prefix, std::string_view after, int limit) {
    std::vector<std::string> out;
    auto r = store_->ListCatalogPage("unit", prefix, after, limit);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    if (r) {
      for (const auto& row : *r) {
        EXPECT_EQ(row.kind, "unit");
        out.push_back(row.key);
      }
    }
    return out;
  };
  using V = std::vector<std::string>;
  // Walk every unit in pages of 10.
  std::vector<std::string> all;
  std::string after;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = keys("", after, 10);
    if (page.empty()) break;
    EXPECT_LE(page.size(), 10u);
    all.insert(all.end(), page.begin(), page.end());
    after = page.back();
  }
  ASSERT_EQ(all.size(), 28u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 28u);
  EXPECT_EQ(keys("u01", "", 100),
            (V{"u010", "u011", "u012", "u013", "u014", "u015", "u016", "u017", "u018", "u019"}));
  EXPECT_EQ(keys("u01", "u017", 100), (V{"u018", "u019"}));
  EXPECT_EQ(keys("u01", "u017", 1), (V{"u018"}));
  EXPECT_EQ(keys("u02", "u1", 100), V{});  // after_key beyond the prefix
  EXPECT_EQ(keys("v_", "", 100), (V{"v_1"}));
  EXPECT_EQ(keys("v%", "", 100), (V{"v%1"}));
  EXPECT_EQ(keys("v", "", 100), (V{"v%1", "v_1", "vx1"}));
  auto procs = store_->ListCatalogPage("procedure", "", "", 100);
  ASSERT_TRUE(procs.has_value());
  EXPECT_EQ(procs->size(), 1u);
  for (int bad : {0, 10'001}) {
    auto r = store_->ListCatalogPage("unit", "", "", bad);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().key, "store.bad_query");
  }
}

// ---- Dossier search: the DossierQuery fields of issue #4, and CountDossiers ----

class DossierSearch : public StoreContract {
 protected:
  void SetUp() override {
    StoreContract::SetUp();
    if (HasFatalFailure()) return;
    auto put = [&](std::string code, std::string proc, std::string channel, std::string recv,
                   std::string comp, std::string cur, int64_t submitted) {
      DossierRow r = Row(std::move(code), recv, "in_processing", submitted + 1000);
      r.procedure_code = std::move(proc);
      r.channel = std::move(channel);
      r.competent_unit = std::move(comp);
      r.current_unit = std::move(cur);
      r.submitted_at = Timestamp{submitted};
      rows_.push_back(r);
    };
    put("A_1", "1.001193", "online", "u0001", "u0001", "u0001", 100);
    put("AB1", "1.001193", "counter", "u0002", "u0900", "u0002", 200);
    put("A%1", "2.000001", "online", "x0001", "x0001", "u0999", 300);
    put("A%X", "2.000001", "postal", "x0002", "x0002", "x0002", 400);
    put("B-1", "1.001193", "online", "u\"we\\ird,{}", "x0003", "x0003", 500);
    put("B-2", "3.000003", "counter", "x0004", "x0004", "x0004", 600);
    ASSERT_TRUE(store_->Write([&](Tx& tx) -> Result<void> {
      for (const auto& r : rows_) {
        if (auto p = tx.PutDossier(r); !p) return p;
      }
      return {};
    }));
  }

  // The codes ListDossiers returns, checking that CountDossiers agrees.
  std::vector<std::string> Codes(DossierQuery q) {
    std::vector<std::string> out;
    auto r = store_->ListDossiers(q);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    if (r) {
      for (const auto& row : *r) out.push_back(row.code);
    }
    q.limit = -1;
    q.offset = 0;
    auto all = store_->ListDossiers(q);
    auto n = store_->CountDossiers(q);
    EXPECT_TRUE(all.has_value() && n.has_value());
    if (all && n) {
      EXPECT_EQ(*n, static_cast<int64_t>(all->size()));
    }
    return out;
  }

  std::vector<DossierRow> rows_;
};

using V = std::vector<std::string>;

TEST_F(DossierSearch, EachNewFieldFiltersAndCountAgrees) {
  // Newest submission first.
  EXPECT_EQ(Codes({}), (V{"B-2", "B-1", "A%X", "A%1", "AB1", "A_1"}));
  EXPECT_EQ(*store_->CountDossiers({}), 6);
  EXPECT_EQ(Codes({.procedure_code = "1.001193"}), (V{"B-1", "AB1", "A_1"}));
  EXPECT_EQ(Codes({.procedure_code = "9.999"}), V{});
  EXPECT_EQ(Codes({.channel = "online"}), (V{"B-1", "A%1", "A_1"}));
  EXPECT_EQ(Codes({.channel = "postal"}), (V{"A%X"}));
  EXPECT_EQ(Codes({.code_prefix = "A"}), (V{"A%X", "A%1", "AB1", "A_1"}));
  EXPECT_EQ(Codes({.code_prefix = "A_"}), (V{"A_1"}));         // not "any one character"
  EXPECT_EQ(Codes({.code_prefix = "A%"}), (V{"A%X", "A%1"}));  // not "anything"
  EXPECT_EQ(Codes({.code_prefix = "A%1"}), (V{"A%1"}));
  EXPECT_EQ(Codes({.code_prefix = "a"}), V{});  // case-sensitive
  EXPECT_EQ(Codes({.code_prefix = ""}).size(), 6u);
  EXPECT_EQ(Codes({.submitted_from = Timestamp{300}}), (V{"B-2", "B-1", "A%X", "A%1"}));
  EXPECT_EQ(Codes({.submitted_to = Timestamp{300}}), (V{"AB1", "A_1"}));
  EXPECT_EQ(Codes({.submitted_from = Timestamp{200}, .submitted_to = Timestamp{400}}),
            (V{"A%1", "AB1"}));
  EXPECT_EQ(Codes({.any_unit = {"u0900"}}), (V{"AB1"}));          // competent
  EXPECT_EQ(Codes({.any_unit = {"u0999"}}), (V{"A%1"}));          // current
  EXPECT_EQ(Codes({.any_unit = {"u\"we\\ird,{}"}}), (V{"B-1"}));  // quoting survives
  EXPECT_EQ(Codes({.any_unit = {"u0001", "x0002"}}), (V{"A%X", "A_1"}));
  // Combined: every condition must hold.
  EXPECT_EQ(Codes({.procedure_code = "1.001193", .channel = "online"}), (V{"B-1", "A_1"}));
  EXPECT_EQ(Codes({.unit = "u0002", .any_unit = {"u0900"}}), (V{"AB1"}));
  EXPECT_EQ(Codes({.unit = "u0002", .any_unit = {"x0004"}}), V{});
  EXPECT_EQ(Codes({.channel = "online", .code_prefix = "A", .submitted_from = Timestamp{200}}),
            (V{"A%1"}));
  // Pages and counts: the count ignores limit and offset.
  EXPECT_EQ(Codes({.channel = "online", .limit = 1, .offset = 1}), (V{"A%1"}));
  EXPECT_EQ(*store_->CountDossiers({.channel = "online", .limit = 1, .offset = 1}), 3);
  EXPECT_EQ(*store_->CountDossiers({.state = "returned"}), 0);
}

TEST_F(DossierSearch, AnyUnitTakesAThousandUnits) {
  DossierQuery q;
  for (int i = 0; i < 1000; ++i) {
    char unit[8];
    std::snprintf(unit, sizeof unit, "u%04d", i);
    q.any_unit.emplace_back(unit);
  }
  // u0001 (A_1), u0002/u0900 (AB1), u0999 current (A%1); the x… dossiers and B-1 stay out.
  EXPECT_EQ(Codes(q), (V{"A%1", "AB1", "A_1"}));
  EXPECT_EQ(*store_->CountDossiers(q), 3);
  q.channel = "online";
  EXPECT_EQ(Codes(q), (V{"A%1", "A_1"}));
  // Duplicates in the list change nothing.
  q.any_unit.insert(q.any_unit.end(), q.any_unit.begin(), q.any_unit.end());
  EXPECT_EQ(*store_->CountDossiers(q), 2);
}

TEST_F(StoreContract, PendingWritesCountsQueuedAndRunningTransactions) {
  EXPECT_EQ(store_->PendingWrites(), 0);
  // Inside fn the transaction itself is running.
  ASSERT_TRUE(store_->Write([&](Tx&) -> Result<void> {
    EXPECT_GE(store_->PendingWrites(), 1);
    return {};
  }));
  EXPECT_EQ(store_->PendingWrites(), 0);
  // The first transaction holds the writer until a second one is queued behind it.
  std::atomic<bool> running{false};
  std::thread first([&] {
    ASSERT_TRUE(store_->Write([&](Tx&) -> Result<void> {
      running = true;
      while (store_->PendingWrites() < 2) std::this_thread::yield();
      return {};
    }));
  });
  while (!running.load()) std::this_thread::yield();
  ASSERT_TRUE(store_->Write([&](Tx&) -> Result<void> { return {}; }));
  first.join();
  EXPECT_EQ(store_->PendingWrites(), 0);
  auto ro = temp_->Open({.read_only = true});
  ASSERT_TRUE(ro.has_value());
  EXPECT_EQ((*ro)->PendingWrites(), 0);
}

// ---- Migrations ----

TEST(StoreContractMigration, Version1StoreMigratesForward) {
  auto t = testing::TempStore::Create(MOTCUA_STORE_BACKEND);
  ASSERT_TRUE(t.has_value()) << t.error().ToString();
  ASSERT_TRUE((*t)->InitSchemaAt(1).has_value());
  // Rows as version 1 wrote them (no secrets table yet), with a valid chain.
  const std::string payload = R"({"n":1})";
  const std::string hash =
      ChainHash(kGenesisHash, CanonicalEventText(1, "dossier/A-1", "DossierSubmitted", 1, "99001",
                                                 "citizen:1", Timestamp{1000}, payload));
  auto seeded = (*t)->ExecSql(
      "INSERT INTO events(seq, stream, type, version, unit, actor, at_us, payload, prev_hash, "
      "hash) VALUES (1, 'dossier/A-1', 'DossierSubmitted', 1, '99001', 'citizen:1', 1000, '" +
      payload + "', '" + std::string(kGenesisHash) + "', '" + hash +
      "'); INSERT INTO dossiers(code, procedure_code, receiving_unit, competent_unit, "
      "current_unit, state, status_code, channel, applicant_key, submitted_at, received_at, "
      "due_at, finished_at, version, doc) VALUES ('A-1', '1.001193', '99001', '99001', '99001', "
      "'submitted', 1, 'online', 'k', 1000, NULL, NULL, NULL, 1, '{}'); "
      "INSERT INTO catalog(kind, key, doc) VALUES ('unit', '99001', '{}');");
  ASSERT_TRUE(seeded.has_value()) << seeded.error().ToString();

  // A read-only open may not migrate.
  auto ro = (*t)->Open({.read_only = true});
  ASSERT_FALSE(ro.has_value());
  EXPECT_EQ(ro.error().key, "store.schema_outdated");

  auto s = (*t)->Open();
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  Store& store = **s;
  EXPECT_EQ(VerifyChain(store), 1);
  auto q = store.QueryEvents({.actor = "citizen:1"});
  ASSERT_TRUE(q.has_value()) << q.error().ToString();
  EXPECT_EQ(q->size(), 1u);
  EXPECT_EQ(store.CountDossiers({.procedure_code = "1.001193", .channel = "online"}), 1);
  auto page = store.ListCatalogPage("unit", "99", "", 10);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->size(), 1u);
  ASSERT_TRUE(store.Write([&](Tx& tx) -> Result<void> {
    if (auto e = tx.Append({.stream = "dossier/A-1",
                            .type = "DossierReceived",
                            .unit = "99001",
                            .actor = "officer:1",
                            .at = Timestamp{2000}});
        !e) {
      return std::unexpected(e.error());
    }
    if (auto put = tx.PutText({"ocr", "f1", "a", "Văn", "van", "{}"}); !put) return put;
    return tx.PutSecret({"session", "k", "{}", Timestamp{5}});
  }));
  EXPECT_TRUE(store.GetSecret("session", "k")->has_value());
  EXPECT_EQ(store.SearchText("ocr", {"van"}, "", 10)->size(), 1u);
  EXPECT_EQ(VerifyChain(store), 2);
  s->reset();
  // Migrated once: a read-only open now succeeds and sees everything.
  auto again = (*t)->Open({.read_only = true});
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ((*again)->HeadSeq(), 2);
  EXPECT_TRUE((*again)->GetSecret("session", "k")->has_value());
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
