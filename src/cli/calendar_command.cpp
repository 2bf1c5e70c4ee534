#include "cli/calendar_command.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "base/error.h"
#include "base/time.h"
#include "domain/calendar/calendar.h"
#include "domain/calendar/calendar_json.h"
#include "domain/calendar/deadline.h"

namespace motcua::cli {
namespace {

using domain::WorkSchedule;

constexpr int kExitData = 1;
constexpr int kExitUsage = 2;

int Report(std::ostream& err, const Error& e, int code) {
  err << boost::json::serialize(domain::ErrorToJson(e)) << "\n";
  return code;
}

Error Usage(std::string key, std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(key), std::move(message), {}};
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kUnavailable, "cli.data_unavailable", "cannot read " + path.string());
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || ptr != end || s.empty()) return std::nullopt;
  return v;
}

// Parses "--flag value" pairs after the positional arguments.
Result<std::map<std::string, std::string>> ParseFlags(const std::vector<std::string>& args,
                                                      size_t from,
                                                      std::initializer_list<std::string> known) {
  std::map<std::string, std::string> flags;
  for (size_t i = from; i < args.size(); i += 2) {
    const std::string& flag = args[i];
    if (std::find(known.begin(), known.end(), flag) == known.end()) {
      return Fail(Usage("cli.unknown_flag", "unknown flag or argument '" + flag + "'"));
    }
    if (i + 1 >= args.size()) return Fail(Usage("cli.missing_argument", flag + " needs a value"));
    if (!flags.emplace(flag, args[i + 1]).second) {
      return Fail(Usage("cli.duplicate_flag", flag + " given twice"));
    }
  }
  return flags;
}

struct Data {
  domain::CalendarOverrides overrides;
  std::vector<WorkSchedule> schedules;
};

Result<Data> LoadData(const std::filesystem::path& data_dir) {
  auto overrides_text = ReadFile(data_dir / "calendar" / "overrides.json");
  if (!overrides_text) return Fail(overrides_text.error());
  auto schedules_text = ReadFile(data_dir / "calendar" / "schedules.json");
  if (!schedules_text) return Fail(schedules_text.error());
  auto overrides = domain::ParseCalendarOverrides(*overrides_text);
  if (!overrides) return Fail(overrides.error());
  auto schedules = domain::ParseWorkSchedules(*schedules_text);
  if (!schedules) return Fail(schedules.error());
  return Data{std::move(*overrides), std::move(*schedules)};
}

Result<const WorkSchedule*> PickSchedule(const Data& data,
                                         const std::map<std::string, std::string>& flags) {
  auto it = flags.find("--schedule");
  const std::string id = it == flags.end() ? "standard" : it->second;
  const WorkSchedule* s = domain::FindSchedule(data.schedules, id);
  if (s == nullptr) return Fail(Usage("calendar.unknown_schedule", "no schedule '" + id + "'"));
  return s;
}

int RunHolidays(const std::vector<std::string>& args, const Data& data, std::ostream& out,
                std::ostream& err) {
  if (args.size() < 2) return Report(err, Usage("cli.missing_argument", "holidays YEAR"), 2);
  auto year = ParseInt(args[1]);
  if (!year) return Report(err, Usage("cli.bad_number", "YEAR must be an integer"), kExitUsage);
  auto flags = ParseFlags(args, 2, {"--schedule"});
  if (!flags) return Report(err, flags.error(), kExitUsage);
  auto schedule = PickSchedule(data, *flags);
  if (!schedule) return Report(err, schedule.error(), kExitUsage);
  if (*year < domain::kCalendarFirstYear || *year > domain::kCalendarLastYear) {
    return Report(err,
                  Usage("calendar.year_out_of_range", "year " + args[1] + " outside 1900..2199"),
                  kExitUsage);
  }
  auto cal = domain::WorkingCalendar::Create(data.overrides, static_cast<int>(*year),
                                             static_cast<int>(*year));
  if (!cal) return Report(err, cal.error(), kExitUsage);
  const int y = static_cast<int>(*year);
  out << boost::json::serialize(
             domain::NonWorkingDaysToJson(y, cal->NonWorkingDays(y, **schedule), **schedule))
      << "\n";
  return 0;
}

int RunDue(const std::vector<std::string>& args, const Data& data, std::ostream& out,
           std::ostream& err) {
  auto flags = ParseFlags(args, 1, {"--from", "--days", "--hours", "--schedule"});
  if (!flags) return Report(err, flags.error(), kExitUsage);
  auto schedule = PickSchedule(data, *flags);
  if (!schedule) return Report(err, schedule.error(), kExitUsage);
  if (!flags->contains("--from")) {
    return Report(err, Usage("cli.missing_argument", "--from ISO-DATETIME is required"),
                  kExitUsage);
  }
  auto from = ParseIsoDateTime(flags->at("--from"));
  if (!from) return Report(err, from.error(), kExitUsage);
  std::optional<int64_t> days, hours;
  for (auto [flag, target] : {std::pair{"--days", &days}, std::pair{"--hours", &hours}}) {
    auto it = flags->find(flag);
    if (it == flags->end()) continue;
    *target = ParseInt(it->second);
    if (!*target || **target < INT32_MIN || **target > INT32_MAX) {
      return Report(err, Usage("cli.bad_number", std::string(flag) + " must be an integer"),
                    kExitUsage);
    }
  }
  if (!days && !hours) {
    return Report(err, Usage("cli.missing_argument", "--days N or --hours N is required"),
                  kExitUsage);
  }
  domain::TimeLimit limit;
  if (days) {
    limit = {domain::LimitUnit::kWorkingDays, static_cast<int>(*days),
             static_cast<int>(hours.value_or(0))};
  } else {
    limit = {domain::LimitUnit::kWorkingHours, static_cast<int>(*hours), 0};
  }
  if (auto v = domain::ValidateTimeLimit(limit); !v) return Report(err, v.error(), kExitUsage);
  const int year = ToVietnamLocal(*from).date.year;
  if (year < domain::kCalendarFirstYear || year > domain::kCalendarLastYear) {
    return Report(err, Usage("calendar.year_out_of_range", "--from year outside 1900..2199"),
                  kExitUsage);
  }
  // 3650 working days plus 1000 hours fit in 16 years.
  auto cal = domain::WorkingCalendar::Create(data.overrides, year,
                                             std::min(domain::kCalendarLastYear, year + 16));
  if (!cal) return Report(err, cal.error(), kExitUsage);
  auto appointment = cal->ComputeDue(*from, limit, **schedule);
  if (!appointment) return Report(err, appointment.error(), kExitUsage);
  out << boost::json::serialize(domain::AppointmentToJson(*appointment, **schedule)) << "\n";
  return 0;
}

}  // namespace

int RunCalendarCommand(const std::vector<std::string>& args, const std::filesystem::path& data_dir,
                       std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    return Report(err,
                  Usage("cli.missing_argument",
                        "usage: calendar holidays YEAR [--schedule ID] | calendar due --from "
                        "ISO-DATETIME --days N [--hours N] [--schedule ID]"),
                  kExitUsage);
  }
  if (args[0] != "holidays" && args[0] != "due") {
    return Report(err, Usage("cli.unknown_command", "unknown calendar command '" + args[0] + "'"),
                  kExitUsage);
  }
  auto data = LoadData(data_dir);
  if (!data) return Report(err, data.error(), kExitData);
  return args[0] == "holidays" ? RunHolidays(args, *data, out, err) : RunDue(args, *data, out, err);
}

}  // namespace motcua::cli
