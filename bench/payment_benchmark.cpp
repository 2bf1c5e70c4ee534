// Payment notifications benchmark (issue #7): prints, per backend (SQLite; PostgreSQL when
// MOTCUA_TEST_PG is set),
//   1. gateway notifications verified (HMAC-SHA512) per second, CPU only;
//   2. notifications verified and recorded durably (app::Payments::GatewayNotification: lookup of
//      the order, the dossier's fold, PaymentSucceeded with its receipt number, the projection and
//      the audit, one commit each) per second with 1 client and with 8 concurrent clients;
//   3. the same notifications delivered again (each found to be a duplicate) per second;
// beside a baseline run side by side: a plain durable append of one event per Store::Write with
// the same number of clients (the store's commit floor), and the ratio to it.
// Usage: payment_benchmark [--notifications N] [--smoke]. Figures are printed, never asserted.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "app/catalog.h"
#include "app/lifecycle.h"
#include "app/payments.h"
#include "pay/gateway.h"
#include "store/testing.h"

namespace {

using namespace motcua;
namespace fs = std::filesystem;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : MOTCUA_DEFAULT_SOURCE_DIR) / "data";
}

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "payment_benchmark: %s\n", what.c_str());
  std::exit(1);
}

pay::PaymentConfig Config() {
  pay::PaymentConfig c;
  c.gateway = {"http://127.0.0.1:9/paymentv2/vpcpay.html", "MOTCUA01", "benchmark-secret"};
  c.platform = "province";
  c.return_url = "http://127.0.0.1:8080/api/v1/payments/gateway/return";
  c.bank = {"970415", "0011001932418", "KHO BAC", "http://127.0.0.1:8080/x", "bank-secret"};
  return c;
}

struct Setup {
  std::unique_ptr<store::testing::TempStore> temp;
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const app::Catalog> catalog;
  FixedClock clock{FromVietnamLocal({2026, 3, 3}, 8 * 60)};
  std::unique_ptr<app::Lifecycle> lifecycle;
  std::unique_ptr<app::Payments> payments;
  std::vector<pay::Params> notifications;  // one per dossier, signed
};

// `n` dossiers with fees due (marital status certificate, 5.000 ₫) and their notifications.
void Prepare(Setup& s, const std::string& backend, int n) {
  auto t = store::testing::TempStore::Create(backend);
  if (!t) Die(t.error().ToString());
  s.temp = std::move(*t);
  auto opened = s.temp->Open({.create = true});
  if (!opened) Die(opened.error().ToString());
  s.store = std::move(*opened);
  auto from_data = app::Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
  if (!from_data || !app::ImportCatalog(*s.store, **from_data, s.clock.Now())) {
    Die("cannot import the catalogue");
  }
  s.catalog = *app::Catalog::Load(*s.store, DataDir());
  s.lifecycle = std::make_unique<app::Lifecycle>(*s.store, s.catalog, s.clock);
  s.payments = std::make_unique<app::Payments>(*s.lifecycle, Config(), nullptr);
  const auto communes = s.catalog->units().UnitsOn(domain::UnitLevel::kCommune, {2026, 3, 3});
  const app::Actor citizen{app::Actor::Kind::kCitizen, "051095000123", "", {}};
  std::vector<std::pair<std::string, std::string>> orders;  // code, reference
  for (int done = 0; done < n;) {
    auto r = s.store->Write([&](store::Tx& tx) -> Result<void> {
      for (int i = 0; i < 200 && done < n; ++i, ++done) {
        app::SubmitRequest req;
        req.procedure_code = "1.004873";
        req.applicant.id_number = "051095000123";
        req.applicant.name = "Nguyễn Văn An";
        req.receiving_unit = communes.at(done % communes.size())->code;
        req.competent_unit = req.receiving_unit;
        for (const auto& c : s.catalog->procedures().Find("1.004873")->components) {
          if (c.required) req.components.push_back({c.code, "", true, false, ""});
        }
        auto d = s.lifecycle->SubmitInTx(tx, citizen, req);
        if (!d) return std::unexpected(d.error());
        orders.emplace_back(d->code, d->payment.reference);
      }
      return {};
    });
    if (!r) Die(r.error().ToString());
  }
  int64_t txn = 70000000;
  for (const auto& [code, reference] : orders) {
    pay::GatewayResult g;
    g.tmn_code = "MOTCUA01";
    g.txn_ref = reference + "T1";
    g.amount = 5000;
    g.transaction_no = std::to_string(++txn);
    g.bank_code = "NCB";
    g.response_code = "00";
    g.transaction_status = "00";
    g.pay_date = "20260303090000";
    s.notifications.push_back(pay::NotificationParams(Config().gateway, g, "Thanh toan"));
  }
}

// Runs `work(i)` for i in [0, n) on `clients` threads; returns the seconds taken and counts the
// calls for which work returned false.
template <typename Work>
double Run(int n, int clients, std::atomic<int>& failures, Work work) {
  std::atomic<int> next{0};
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      for (int i = next++; i < n; i = next++) {
        if (!work(i)) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  return Seconds(t0);
}

void Measure(const std::string& backend, int n) {
  Setup s;
  Prepare(s, backend, n);
  std::atomic<int> failures{0};
  const pay::GatewayConfig gateway = Config().gateway;
  const double verify = Run(n, 1, failures, [&](int i) {
    return pay::VerifyNotification(gateway, s.notifications[i]).has_value();
  });
  app::Actor wire = app::Actor::Anonymous();
  wire.address = "127.0.0.1";
  auto record = [&](int i, const char* want) {
    return s.payments->GatewayNotification(wire, s.notifications[i]).rsp_code == want;
  };
  // Half the dossiers through one client, the other half through eight.
  const int half = n / 2;
  const double one = Run(half, 1, failures, [&](int i) { return record(i, "00"); });
  const double eight = Run(n - half, 8, failures, [&](int i) { return record(half + i, "00"); });
  const double again = Run(n, 8, failures, [&](int i) { return record(i, "02"); });
  // Baseline: one plain event per durable commit, same clients.
  auto append = [&](int i) {
    return s.store
        ->Write([&](store::Tx& tx) -> Result<void> {
          NewEvent e;
          e.stream = "bench/" + std::to_string(i);
          e.type = "BenchmarkAppended";
          e.actor = "system";
          e.at = s.clock.Now();
          e.payload = boost::json::object{{"i", i}};
          auto r = tx.Append(std::move(e));
          if (!r) return std::unexpected(r.error());
          return {};
        })
        .has_value();
  };
  const double base1 = Run(half, 1, failures, append);
  const double base8 = Run(n - half, 8, failures, [&](int i) { return append(half + i); });
  int64_t succeeded = 0;
  store::EventQuery q;
  q.type = "PaymentSucceeded";
  q.limit = 10000;
  for (;;) {
    auto page = s.store->QueryEvents(q);
    if (!page) Die(page.error().ToString());
    succeeded += static_cast<int64_t>(page->size());
    if (static_cast<int>(page->size()) < q.limit) break;
    q.after_seq = page->back().seq;
  }
  std::printf("%s: %d dossiers with fees due\n", backend.c_str(), n);
  std::printf("  verify only (HMAC-SHA512): %.0f notifications/s\n", n / verify);
  std::printf(
      "  verified and recorded, durable: 1 client %.0f/s, 8 clients %.0f/s | baseline plain "
      "durable append: 1 client %.0f/s, 8 clients %.0f/s | ratio recorded/baseline %.2f (1), "
      "%.2f (8)\n",
      half / one, (n - half) / eight, half / base1, (n - half) / base8,
      (half / one) / (half / base1), ((n - half) / eight) / ((n - half) / base8));
  std::printf("  the same notifications again (duplicates, 8 clients): %.0f/s\n", n / again);
  std::printf("  PaymentSucceeded events: %lld (one per dossier: %s); unexpected answers: %d\n",
              static_cast<long long>(succeeded), succeeded == n ? "yes" : "NO", failures.load());
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false;
  int n = 4000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--smoke")) smoke = true;
    if (!std::strcmp(argv[i], "--notifications") && i + 1 < argc) n = std::atoi(argv[++i]);
  }
  if (smoke) n = 60;
  std::printf("motcua payment notifications benchmark (%s)\n", smoke ? "smoke" : "full");
  Measure("sqlite", n);
  if (const char* pg = std::getenv("MOTCUA_TEST_PG"); pg && *pg) {
    Measure("postgres", n);
  } else {
    std::printf("postgres: not measured (MOTCUA_TEST_PG is not set)\n");
  }
  return 0;
}
