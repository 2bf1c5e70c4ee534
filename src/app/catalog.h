// The reference data a running node needs in memory: the unit tree and procedure catalogue (from
// the store's catalogue projection, i.e. from events), the working calendar (data/ plus the days
// the province administrator set, from events), work schedules and the dossier-code rule (from
// data/). Immutable once loaded but for the calendar, which is swapped atomically; thread-safe.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
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
  // The working calendar now. The province administrator changes it at run time
  // (SetManagedDays, through app::CalendarAdmin); every version stays alive as long as the
  // catalogue, so a reference taken before a change stays valid: a command in flight finishes on
  // the calendar it started with, the next one sees the change.
  const domain::WorkingCalendar& calendar() const { return *current_calendar_.load(); }
  // The days set through the API (catalogue kind "calendar_day"), in date order.
  std::vector<domain::CalendarOverride> ManagedDays() const;
  bool IsManaged(CivilDate date) const;
  // The calendar of the data file's entries with `managed` on top (a managed entry replaces the
  // file's entry of the same date). Errors as WorkingCalendar::Create.
  Result<std::unique_ptr<domain::WorkingCalendar>> BuildCalendar(
      const std::vector<domain::CalendarOverride>& managed) const;
  // Makes `calendar` (built from `managed`) the current one.
  void InstallCalendar(std::unique_ptr<domain::WorkingCalendar> calendar,
                       std::vector<domain::CalendarOverride> managed) const;
  static constexpr int kFirstYear = 2015;
  static constexpr int kLastYear = 2035;
  const domain::CodeRule& code_rule() const { return code_rule_; }
  // The numbering of fee receipts (số biên lai), data/codes.json "receipt".
  const domain::CodeRule& receipt_rule() const { return receipt_rule_; }
  // The schedule of a unit (its "schedule" key), falling back to the standard one.
  const domain::WorkSchedule& ScheduleOf(std::string_view unit_code) const;
  const domain::WorkSchedule& Schedule(std::string_view id) const;

 private:
  static Result<std::shared_ptr<Catalog>> LoadCommon(const std::filesystem::path& data_dir);
  domain::UnitTree units_;
  domain::ProcedureCatalog procedures_;
  domain::CalendarOverrides file_overrides_;  // data/calendar/overrides.json
  // Every calendar version built (kept for the catalogue's life), the managed days of the
  // current one, and the current one.
  mutable std::mutex calendar_mu_;
  mutable std::vector<std::unique_ptr<domain::WorkingCalendar>> calendars_;
  mutable std::vector<domain::CalendarOverride> managed_;
  mutable std::atomic<const domain::WorkingCalendar*> current_calendar_{nullptr};
  std::vector<domain::WorkSchedule> schedules_;
  domain::WorkSchedule standard_ = domain::WorkSchedule::Standard();
  domain::CodeRule code_rule_;
  domain::CodeRule receipt_rule_;
};

// A "calendar_day" catalogue row: the entry (in data/calendar/overrides.json's form), or nullopt
// for a cleared day. Errors: store.corrupt, and the calendar parser's.
Result<std::optional<domain::CalendarOverride>> ParseManagedDay(std::string_view doc);

// Reads a whole (small) data file; error "data.unreadable" / "json.malformed" naming the path.
Result<boost::json::value> ReadJsonFile(const std::filesystem::path& path);

}  // namespace motcua::app
