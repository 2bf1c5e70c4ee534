// The applicant's data store (kho dữ liệu điện tử của tổ chức, cá nhân): every electronic result
// issued to them and every digitised component of their dossiers with a document kind is filed
// here, so that a later procedure can take it instead of a new upload (Decree 45/2020 Art. 15,
// carried forward by Decree 118/2025). Holdings are derived from dossier events: a pure function
// of the dossier state after an event and the event, used by the projector (live, rebuild and
// verify alike). Thread-safety: stateless functions and values.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/event.h"
#include "base/time.h"
#include "domain/dossier.h"

namespace motcua::domain {

enum class HoldingSource { kResult, kComponent };
std::string_view HoldingSourceName(HoldingSource s);  // "result", "component"

struct Holding {
  std::string id;         // "r-<dossier>" (a result) or "c-<dossier>-<component>"
  std::string applicant;  // the holder's normalised ID number
  std::string doc_type;
  std::string title;
  HoldingSource source = HoldingSource::kResult;
  std::string dossier;       // where it was issued or digitised
  std::string component;     // component code (components only)
  std::string issuing_unit;  // the competent unit (a result) or the receiving unit that digitised
  Timestamp issued_at;
  std::optional<CivilDate> valid_until;  // last day of validity; nullopt = no limit
  FileRef file;

  // Valid on `day` (Vietnam civil date).
  bool ValidOn(CivilDate day) const { return !valid_until || day <= *valid_until; }
  boost::json::object ToJson() const;
  static Result<Holding> FromJson(const boost::json::object& o);
};

// The last day of a document valid `months` months from `issued` ("6 tháng kể từ ngày cấp"), as
// the Civil Code 2015 counts a period: the day of issue is not counted (Art. 147(1)), and the
// period ends on the same day of the last month, or that month's last day when it has no such
// day (Art. 148(1)): issued 15/03 → valid through 15/09; 31/08 → 28/02.
CivilDate ValidThrough(CivilDate issued, int months);

// The holdings an event files, given the dossier state after it: DossierReturned files the
// electronic result (signed at ResultIssued, but the applicant's only once it is handed over, so
// that a fee due before return is not bypassed) when the procedure gives its result a document
// kind, valid from its signing; DossierReceived files
// each component the officer digitised that has files and a document kind and was not itself
// taken from the store. Other events file nothing.
std::vector<Holding> HoldingsFiledBy(const Dossier& after, const Event& e);

// The holding id named by a component's reused_from ("holding:<id>" or "<id>"), or "" if it is
// not a well-formed id.
std::string HoldingIdOf(std::string_view reused_from);

}  // namespace motcua::domain
