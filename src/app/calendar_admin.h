// The province administrator's changes to the working calendar: a day off by a swap, a make-up
// working Saturday, a compensatory day, a cancelled day off — what a province's own notice (or a
// late national one) decides. Each change is an event (CalendarDaySet / CalendarDayCleared on
// stream calendar/<date>), projected to the catalogue kind "calendar_day", and takes effect at
// once: the catalogue's calendar is rebuilt and swapped (Catalog::InstallCalendar). Deadlines
// already set stay as they were (they are in the log); deadlines computed afterwards, and the
// overdue figures read from now on, follow the new calendar. Entries of the data file
// (data/calendar/overrides.json) are official and cannot be cleared, only replaced by a managed
// entry of the same date. Thread-safety: thread-safe (changes are serialised).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "app/access.h"
#include "app/actor.h"
#include "app/catalog.h"
#include "base/error.h"
#include "base/time.h"
#include "domain/calendar/calendar.h"
#include "store/store.h"

namespace motcua::app {

struct CalendarDayInput {
  CivilDate date;
  std::string kind;  // holiday, compensatory, swap_off, make_up, working
  std::string name_vi;
  std::string name_en;
  std::string source;  // the decision or notice (required)
};

class CalendarAdmin {
 public:
  CalendarAdmin(store::Store& store, std::shared_ptr<const Catalog> catalog, const Access& access,
                const Clock& clock)
      : store_(store), catalog_(std::move(catalog)), access_(access), clock_(clock) {}

  // Checked as "calendar.manage" on the province. Errors: calendar.bad_override (kind on the
  // wrong weekday …), calendar.unknown_kind, calendar.year_out_of_range (outside the calendar's
  // 2015–2035), calendar.source_required.
  Result<domain::CalendarOverride> SetDay(const Actor& actor, const CalendarDayInput& in);
  // False when no managed entry was set for that date (nothing is written).
  Result<bool> ClearDay(const Actor& actor, CivilDate date);

 private:
  Result<void> Check(const Actor& actor) const;
  // Appends the event, projects and audits it, then installs the rebuilt calendar.
  Result<void> Commit(const Actor& actor, NewEvent event,
                      std::vector<domain::CalendarOverride> managed);

  store::Store& store_;
  std::shared_ptr<const Catalog> catalog_;
  const Access& access_;
  const Clock& clock_;
  std::mutex mu_;  // one change at a time, so the installed calendar matches the log's order
};

}  // namespace motcua::app
