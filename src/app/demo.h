// The demo province generator: dossiers from a start date to an end date produced by driving the
// real lifecycle use cases (Lifecycle::SubmitInTx / ActInTx) in chronological order under a fixed
// clock — never by writing final rows — so the log, projections and indicators are exactly what
// production would hold. Deterministic for a seed and an end date. Proportions (channels,
// supplements, refusals, withdrawals, late dossiers) are set to the ranges the seed reports give.
// Thread-safety: single-threaded use.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/catalog.h"
#include "app/lifecycle.h"

namespace motcua::app {

struct DemoOptions {
  int64_t dossiers = 100000;
  uint64_t seed = 1;
  CivilDate from{2025, 1, 2};
  CivilDate until{2026, 11, 23};
  int batch = 400;  // lifecycle actions per transaction
  // No action later than this instant (the CLI passes "now" so that a demo generated up to
  // today never holds events from the future); unset: the end of `until`.
  std::optional<Timestamp> stop_at;
  std::function<void(int64_t submitted, int64_t total)> progress;
};

struct DemoStats {
  int64_t dossiers = 0;
  int64_t actions = 0;
  int64_t events = 0;
  int64_t returned = 0;
  int64_t refused = 0;
  int64_t withdrawn = 0;
  int64_t cancelled = 0;
  int64_t supplements = 0;
  int64_t late = 0;  // finished after the due
  int64_t open = 0;
  int64_t reorganisation_transfers = 0;
  std::map<std::string, int64_t> by_channel;
};

// One officer per unit and role, with ids "<unit>.<role>" (the demo's staff list).
struct DemoOfficer {
  std::string id;
  std::string unit;
  std::string role;
};
std::vector<DemoOfficer> DemoOfficers(const Catalog& catalog);

// Generates the dossiers into the store behind `clock` (which it moves). The catalogue must
// already be imported. Errors: any lifecycle refusal of a planned action (a bug).
Result<DemoStats> GenerateDemo(store::Store& store, std::shared_ptr<const Catalog> catalog,
                               FixedClock& clock, const DemoOptions& options);

}  // namespace motcua::app
