// Spine benchmark (issue #2): prints
//   1. dossiers generated per second by the demo generator (batched transactions), with a
//      baseline run side by side that commits every lifecycle action on its own;
//   2. lifecycle actions per second through the app layer (one Store::Write per action) on
//      SQLite and on PostgreSQL (if MOTCUA_TEST_PG is set), with 1 client (baseline) and with
//      8 concurrent clients (group commit);
//   3. the database size per 100,000 dossiers.
// Usage: lifecycle_benchmark [--dossiers N] [--smoke]. Figures are printed, never asserted.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "app/catalog.h"
#include "app/demo.h"
#include "app/lifecycle.h"
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

struct Fresh {
  int64_t catalogue_bytes = 0;  // the store right after the catalogue import
  std::unique_ptr<store::testing::TempStore> temp;
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const app::Catalog> catalog;
};

Fresh Open(const std::string& backend) {
  Fresh f;
  auto t = store::testing::TempStore::Create(backend);
  if (!t) {
    std::fprintf(stderr, "bench: %s\n", t.error().ToString().c_str());
    std::exit(1);
  }
  f.temp = std::move(*t);
  f.store = std::move(*f.temp->Open({.create = true}));
  auto from_data = app::Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
  if (!from_data || !app::ImportCatalog(*f.store, **from_data, Timestamp{0})) {
    std::fprintf(stderr, "bench: cannot import catalogue\n");
    std::exit(1);
  }
  f.catalog = *app::Catalog::Load(*f.store, DataDir());
  f.catalogue_bytes = f.store->Stats()->bytes;
  return f;
}

struct DemoRun {
  double seconds = 0;
  int64_t dossiers = 0;
  int64_t actions = 0;
  int64_t events = 0;
  int64_t bytes = 0;
};

DemoRun RunDemo(const std::string& backend, int64_t n, int batch) {
  Fresh f = Open(backend);
  app::DemoOptions o;
  o.dossiers = n;
  o.seed = 1;
  o.from = {2025, 1, 2};
  o.until = {2026, 11, 20};
  o.batch = batch;
  FixedClock clock(FromVietnamLocal(o.from, 0));
  const auto t0 = std::chrono::steady_clock::now();
  auto stats = app::GenerateDemo(*f.store, f.catalog, clock, o);
  DemoRun r;
  r.seconds = Seconds(t0);
  if (!stats) {
    std::fprintf(stderr, "bench: demo failed: %s\n", stats.error().ToString().c_str());
    std::exit(1);
  }
  r.dossiers = stats->dossiers;
  r.actions = stats->actions;
  r.events = stats->events;
  r.bytes = f.store->Stats()->bytes - f.catalogue_bytes;
  return r;
}

// Each client submits a counter dossier (received at once) and completes its steps; every
// action is its own transaction.
double RunActions(const std::string& backend, int clients, int dossiers_per_client,
                  int64_t* actions_out) {
  Fresh f = Open(backend);
  FixedClock clock(FromVietnamLocal({2026, 3, 3}, 9 * 60));
  app::Lifecycle lc(*f.store, f.catalog, clock);
  const auto& units = f.catalog->units();
  std::vector<std::string> communes;
  for (const auto* u : units.UnitsOn(domain::UnitLevel::kCommune, {2026, 3, 3}))
    communes.push_back(u->code);
  const domain::Procedure* proc = f.catalog->procedures().Find("1.004873");
  std::atomic<int64_t> actions{0};
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      const std::string unit = communes[static_cast<size_t>(c) % communes.size()];
      for (int i = 0; i < dossiers_per_client; ++i) {
        app::SubmitRequest req;
        req.procedure_code = proc->code;
        req.channel = domain::Channel::kCounter;
        req.receive_now = true;
        req.applicant.id_number = "051095000123";
        req.applicant.name = "Nguyễn Văn An";
        req.receiving_unit = unit;
        req.competent_unit = unit;
        for (const auto& comp : proc->components) {
          if (comp.required) req.components.push_back({comp.code, "", true, false, ""});
        }
        app::Actor officer{app::Actor::Kind::kOfficer, unit + ".o", unit, {"one_stop_officer"}};
        auto d = lc.Submit(officer, req);
        if (!d) std::abort();
        actions += 1;
        while (d->state != domain::DossierState::kResultReady) {
          app::Actor a{
              app::Actor::Kind::kOfficer, "x", d->current_unit, {d->steps[d->current_step].role}};
          d = lc.CompleteStep(a, d->code, "");
          if (!d) std::abort();
          actions += 1;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double s = Seconds(t0);
  *actions_out = actions.load();
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false;
  int64_t n = 100000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--smoke")) smoke = true;
    if (!std::strcmp(argv[i], "--dossiers") && i + 1 < argc) n = std::atoll(argv[++i]);
  }
  if (smoke) n = 300;
  std::printf("motcua spine benchmark (%s)\n", smoke ? "smoke" : "full");

  // 1. Demo generation: batched (as `motcua demo`) vs one action per transaction (baseline, on a
  //    twentieth of the dossiers: it is the slow path).
  const DemoRun batched = RunDemo("sqlite", n, 400);
  const DemoRun single = RunDemo("sqlite", std::max<int64_t>(n / 20, 50), 1);
  const double batched_rate = batched.dossiers / batched.seconds;
  const double single_rate = single.dossiers / single.seconds;
  std::printf(
      "demo generation (sqlite): %lld dossiers, %lld actions, %lld events in %.2f s = "
      "%.0f dossiers/s, %.0f actions/s\n",
      static_cast<long long>(batched.dossiers), static_cast<long long>(batched.actions),
      static_cast<long long>(batched.events), batched.seconds, batched_rate,
      batched.actions / batched.seconds);
  std::printf(
      "  baseline, one transaction per action: %lld dossiers in %.2f s = %.0f dossiers/s;"
      " ratio batched/baseline = %.1fx\n",
      static_cast<long long>(single.dossiers), single.seconds, single_rate,
      batched_rate / single_rate);
  std::printf(
      "database size (sqlite, catalogue excluded): %.1f MiB for %lld dossiers = %.1f MiB per "
      "100,000 dossiers "
      "(%.0f bytes per event)\n",
      batched.bytes / 1048576.0, static_cast<long long>(batched.dossiers),
      batched.bytes / 1048576.0 * 100000.0 / std::max<int64_t>(batched.dossiers, 1),
      static_cast<double>(batched.bytes) / std::max<int64_t>(batched.events, 1));

  // 2. Lifecycle actions per second through the app layer, per backend.
  std::vector<std::string> backends{"sqlite"};
  if (const char* pg = std::getenv("MOTCUA_TEST_PG"); pg && *pg) {
    backends.push_back("postgres");
  } else {
    std::printf("postgres: not measured (MOTCUA_TEST_PG is not set)\n");
  }
  const int per_client = smoke ? 5 : 250;
  for (const auto& backend : backends) {
    int64_t a1 = 0, a8 = 0;
    const double s1 = RunActions(backend, 1, per_client * 4, &a1);
    const double s8 = RunActions(backend, 8, per_client, &a8);
    std::printf(
        "lifecycle actions (%s): 1 client %.0f actions/s (%lld in %.2f s); 8 clients %.0f "
        "actions/s (%lld in %.2f s); ratio 8/1 = %.1fx\n",
        backend.c_str(), a1 / s1, static_cast<long long>(a1), s1, a8 / s8,
        static_cast<long long>(a8), s8, (a8 / s8) / (a1 / s1));
    if (backend == "postgres") {
      const DemoRun pg = RunDemo("postgres", smoke ? 200 : n / 5, 400);
      std::printf(
          "demo generation (postgres): %lld dossiers in %.2f s = %.0f dossiers/s; size %.1f "
          "MiB per 100,000 dossiers\n",
          static_cast<long long>(pg.dossiers), pg.seconds, pg.dossiers / pg.seconds,
          pg.bytes / 1048576.0 * 100000.0 / std::max<int64_t>(pg.dossiers, 1));
    }
  }
  return 0;
}
