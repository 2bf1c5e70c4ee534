// The reference data a running node needs in memory: the unit tree and procedure catalogue (from
// the store's catalogue projection, i.e. from events), the working calendar, work schedules and
// the dossier-code rule (from data/). Immutable once loaded; thread-safe for reads.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "domain/calendar/calendar.h"
#include "domain/codes.h"
#include "domain/procedures.h"
#include "domain/units.h"
#include "store/store.h"

namespace motcua::app {

class Catalog {
 public:
  // Reads units and procedures from the store and the calendar, schedules and code rule from
  // data_dir. Errors from parsing name the file.
  static Result<std::shared_ptr<const Catalog>> Load(store::Store& store,
                                                     const std::filesystem::path& data_dir);
  // Builds directly from data files (used by `init` before anything is in the store, and tests).
  static Result<std::shared_ptr<const Catalog>> FromData(const std::filesystem::path& data_dir,
                                                         const std::filesystem::path& units_file);

  const domain::UnitTree& units() const { return units_; }
  const domain::ProcedureCatalog& procedures() const { return procedures_; }
  const domain::WorkingCalendar& calendar() const { return *calendar_; }
  const domain::CodeRule& code_rule() const { return code_rule_; }
  // The schedule of a unit (its "schedule" key), falling back to the standard one.
  const domain::WorkSchedule& ScheduleOf(std::string_view unit_code) const;
  const domain::WorkSchedule& Schedule(std::string_view id) const;

 private:
  static Result<std::shared_ptr<Catalog>> LoadCommon(const std::filesystem::path& data_dir);
  domain::UnitTree units_;
  domain::ProcedureCatalog procedures_;
  std::unique_ptr<domain::WorkingCalendar> calendar_;
  std::vector<domain::WorkSchedule> schedules_;
  domain::WorkSchedule standard_ = domain::WorkSchedule::Standard();
  domain::CodeRule code_rule_;
};

// Reads a whole (small) data file; error "data.unreadable" / "json.malformed" naming the path.
Result<boost::json::value> ReadJsonFile(const std::filesystem::path& path);

}  // namespace motcua::app
