// `motcua calendar ...`: prints a year's non-working days or a dossier's appointment (hẹn trả)
// with its derivation, as JSON, from the calendar data in data_dir/calendar/. Working-day rules
// are those of domain/calendar (Labour Code 2019 Art. 111–112, official yearly calendars).
// Thread-safety: reentrant; reads the data files on each call.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace motcua::cli {

// args: the words after `calendar`:
//   holidays YEAR [--schedule ID]
//   due --from ISO-DATETIME (--days N [--hours N] | --hours N) [--schedule ID]
// Prints JSON to `out` and returns 0. Bad input (unknown command or flag, year out of range,
// malformed date, negative or non-numeric count, unknown schedule) prints
// {"code":...,"message":...} to `err` and returns 2; unreadable or invalid data files return 1.
int RunCalendarCommand(const std::vector<std::string>& args, const std::filesystem::path& data_dir,
                       std::ostream& out, std::ostream& err);

}  // namespace motcua::cli
