// The public status lookup (tra cứu hồ sơ): anyone holding a dossier's code and a second factor
// — the lookup key printed on the receipt, or the last four digits of the applicant's phone —
// learns where the dossier stands, without signing in. The answer carries no personal data
// beyond a masked name. The lookup key is derived from the code under the server key (keyed
// BLAKE2b, secure::SecretKey::Mac), so it needs no storage and cannot be computed without the
// key. Misses are throttled per client address and per code, so neither the four phone digits
// nor the key can be walked. Thread-safety: thread-safe (the throttle is behind a mutex).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/catalog.h"
#include "base/error.h"
#include "base/time.h"
#include "domain/dossier.h"
#include "secure/secretbox.h"
#include "store/store.h"

namespace motcua::app {

inline constexpr int kLookupKeyChars = 8;
inline constexpr int kLookupMissesPerAddress = 20;  // per 15 minutes
inline constexpr int kLookupMissesPerCode = 10;     // per hour

struct PublicStatus {
  std::string code;
  std::string procedure_code;
  std::string procedure_name;
  domain::DossierState state = domain::DossierState::kSubmitted;
  domain::Channel channel = domain::Channel::kOnline;
  std::string applicant_name;  // masked: "N*** V** A"
  std::string receiving_unit;
  Timestamp submitted_at;
  std::optional<Timestamp> received_at;
  std::optional<Timestamp> due_at;
  std::optional<Timestamp> returned_at;
  bool overdue = false;
  struct Entry {
    Timestamp at;
    std::string type;  // the event type ("DossierReceived" …)
  };
  std::vector<Entry> timeline;
};

// Every word keeps its first letter, the rest become '*' (characters, not bytes, are counted):
// "Nguyễn Văn An" → "N***** V** A*".
std::string MaskName(std::string_view name);

class Lookup {
 public:
  Lookup(store::Store& store, std::shared_ptr<const Catalog> catalog, const Clock& clock,
         const secure::SecretKey& key)
      : store_(store), catalog_(std::move(catalog)), clock_(clock), key_(key) {}

  // The receipt's lookup key for a dossier code: 8 characters from an alphabet without look-alike
  // characters (no 0/O, 1/I/L).
  std::string KeyFor(std::string_view code) const;

  // Errors: lookup.not_found (kNotFound) for an unknown code and a wrong factor alike;
  // lookup.throttled (kResourceExhausted, parameter retry_after) after too many misses.
  Result<PublicStatus> Find(std::string_view code, std::string_view factor,
                            std::string_view address);

 private:
  struct Window {
    int misses = 0;
    int64_t start_us = 0;
  };
  // True when the window is over its limit now; adds a miss when `miss`.
  bool Over(std::map<std::string, Window>& m, const std::string& k, int limit, int64_t span_us,
            int64_t now_us, bool miss, int64_t* retry_s);

  store::Store& store_;
  std::shared_ptr<const Catalog> catalog_;
  const Clock& clock_;
  const secure::SecretKey& key_;
  std::mutex mu_;
  std::map<std::string, Window> by_address_;
  std::map<std::string, Window> by_code_;
};

}  // namespace motcua::app
