// Drafts of a submission: the form a signed-in person has filled in so far for one procedure,
// kept for 30 days from the last save. A draft is not an act of the administration (nothing is
// filed until the dossier is submitted), so it lives in the private table (store::SecretRow,
// kind "draft", key "<account>/<procedure>"), not in the event log: it is neither exported nor
// federated, and the person can delete it. Thread-safety: thread-safe (the store serialises).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "app/access.h"
#include "app/actor.h"
#include "base/error.h"
#include "base/time.h"
#include "store/store.h"

namespace motcua::app {

inline constexpr size_t kMaxDraftBytes = 64 << 10;
inline constexpr int64_t kDraftDays = 30;
inline constexpr int kMaxDraftsPerAccount = 100;

struct Draft {
  std::string procedure_code;
  Timestamp saved_at;
  boost::json::object form;
};

class Drafts {
 public:
  Drafts(store::Store& store, const Access& access, const Clock& clock)
      : store_(store), access_(access), clock_(clock) {}

  // Checked as "draft.manage". Errors: procedure.not_found, draft.too_large (413),
  // draft.too_many (more than kMaxDraftsPerAccount procedures).
  Result<Draft> Save(const Actor& actor, std::string_view procedure_code,
                     const boost::json::object& form);
  // The actor's drafts that have not expired, by procedure code.
  Result<std::vector<Draft>> List(const Actor& actor);
  // True when there was a draft to delete.
  Result<bool> Delete(const Actor& actor, std::string_view procedure_code);

 private:
  Result<void> Check(const Actor& actor) const;
  store::Store& store_;
  const Access& access_;
  const Clock& clock_;
};

}  // namespace motcua::app
