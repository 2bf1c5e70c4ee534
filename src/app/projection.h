// Projections: the current-state tables derived from the event log. One projector is used by the
// live write path (in the same transaction as the append), by `rebuild` (replay of the whole log)
// and by `verify` (an in-memory replay compared row by row with the stored tables), so the three
// cannot drift apart. Thread-safety: stateless functions.
#pragma once

#include <cstdint>
#include <string>

#include "base/error.h"
#include "base/event.h"
#include "domain/dossier.h"
#include "store/store.h"

namespace motcua::app {

// The projection row of a dossier state.
store::DossierRow ToRow(const domain::Dossier& d);

// Updates the projections for one appended event. `replaying` also restores the counters that
// the live path advanced itself (dossier numbers).
Result<void> Project(store::Tx& tx, const Event& e, bool replaying);

// Clears the projections and replays the log into them in transactions of `batch` events.
// Returns the number of events replayed.
Result<int64_t> Rebuild(store::Store& store, int batch = 5000);

struct VerifyReport {
  int64_t events = 0;
  int64_t dossiers = 0;
  int64_t catalog_rows = 0;
  int64_t mismatches = 0;
  std::string first_mismatch;  // "dossier 99501-250102-0001: state" …
};
// Checks the hash chain, then replays the log in memory and compares with the stored rows.
// Errors: store.chain_broken (kDataLoss); a mismatch is reported in the report, not as an error.
Result<VerifyReport> Verify(store::Store& store);

}  // namespace motcua::app
