// The applicant's data store (kho dữ liệu) and the reuse of its documents (issue #8): reading a
// holder's documents, resolving a component that names one ("reused_from": "holding:<id>") into
// the document's file, and the digitisation and reuse figures of a unit. Holdings themselves are
// projection rows (catalogue kind "holding", key "<applicant>/<id>", domain/holding.h) written by
// the projector from ResultIssued and DossierReceived. Thread-safety: thread-safe (reads only).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/access.h"
#include "app/actor.h"
#include "base/error.h"
#include "base/time.h"
#include "domain/holding.h"
#include "domain/procedures.h"
#include "store/store.h"

namespace motcua::app {

inline constexpr int kMaxHoldingsListed = 1000;

// The sources of reused data other than the applicant's store: "vneid", the national population
// database through the VNeID identity (a citizen's identity card need not be copied when the
// portal has it from there). Not verified here: motcua has no connection to it yet.
inline constexpr std::array<std::string_view, 1> kNationalSources = {"vneid"};

// Replaces each component that names a holding by the holding's file, recording the source
// ("holding:<id>"); a national source (kNationalSources) is kept as is; anything else is
// holding.bad_reference. The holding must be the applicant's, of a kind the component accepts, and
// valid today. A component that names a holding carries no files of its own. Errors:
// holding.bad_reference (400), holding.not_found (404, also for someone else's),
// holding.not_accepted (400), holding.expired (kFailedPrecondition), holding.with_files (400).
Result<void> ResolveReuse(store::Tx& tx, std::string_view applicant, const domain::Procedure& proc,
                          CivilDate today, std::vector<domain::ComponentRecord>& components);
// The same outside a transaction (supplements: holdings are never changed once filed).
Result<void> ResolveReuse(store::Store& store, std::string_view applicant,
                          const domain::Procedure& proc, CivilDate today,
                          std::vector<domain::ComponentRecord>& components);

// Per unit and period: what the 766 index's digitisation group and the DTI's reuse figure count.
struct DigitisationFigures {
  int64_t dossiers = 0;                // received in the period (by the receiving unit)
  int64_t components = 0;              // provided components of those dossiers
  int64_t components_digitised = 0;    // digitised on reception
  int64_t components_reused = 0;       // taken from the applicant's data store
  int64_t dossiers_all_digitised = 0;  // every provided component digitised or reused
  int64_t dossiers_reusing = 0;        // at least one component reused
  int64_t results = 0;                 // dossiers with a result issued in the period
  int64_t results_electronic = 0;      // of which a signed electronic result
};

class Holdings {
 public:
  Holdings(store::Store& store, const Access& access, const Clock& clock)
      : store_(store), access_(access), clock_(clock) {}

  // The signed-in citizen's own documents, newest first ("holding.read_own").
  Result<std::vector<domain::Holding>> ListOwn(const Actor& actor);
  // One of them (for its file). holding.not_found otherwise.
  Result<domain::Holding> GetOwn(const Actor& actor, std::string_view id);
  // An applicant's documents, for the counter officer who receives their dossier
  // ("holding.read" in the officer's unit). applicant.bad_id_number for a malformed number. Every
  // lookup is audited (action holding.read, target holdings/<ID number>), a refused one too.
  Result<std::vector<domain::Holding>> ListFor(const Actor& actor, std::string_view id_number);

  // The figures of dossiers received by `unit` (and the units it carries) in [from, to)
  // ("indicator.read" on the unit).
  Result<DigitisationFigures> Figures(const Actor& actor, const std::string& unit, Timestamp from,
                                      Timestamp to);

 private:
  Result<std::vector<domain::Holding>> ListOf(const std::string& applicant);
  store::Store& store_;
  const Access& access_;
  const Clock& clock_;
};

}  // namespace motcua::app
