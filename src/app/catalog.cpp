#include "app/catalog.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "base/json.h"

namespace motcua::app {

namespace fs = std::filesystem;

Result<boost::json::value> ReadJsonFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "data.unreadable", path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  auto v = json::Parse(ss.str());
  if (!v) {
    Error e = v.error();
    e.detail = path.string() + ": " + e.detail;
    return std::unexpected(e);
  }
  return v;
}

static Result<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "data.unreadable", path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::shared_ptr<Catalog>> Catalog::LoadCommon(const fs::path& data_dir) {
  auto c = std::make_shared<Catalog>();
  auto overrides_text = ReadText(data_dir / "calendar" / "overrides.json");
  if (!overrides_text) return std::unexpected(overrides_text.error());
  auto overrides = domain::ParseCalendarOverrides(*overrides_text);
  if (!overrides) return std::unexpected(overrides.error());
  c->file_overrides_ = std::move(*overrides);
  auto cal = c->BuildCalendar({});
  if (!cal) return std::unexpected(cal.error());
  c->InstallCalendar(std::move(*cal), {});
  auto sched_text = ReadText(data_dir / "calendar" / "schedules.json");
  if (!sched_text) return std::unexpected(sched_text.error());
  auto schedules = domain::ParseWorkSchedules(*sched_text);
  if (!schedules) return std::unexpected(schedules.error());
  c->schedules_ = std::move(*schedules);
  auto codes = ReadJsonFile(data_dir / "codes.json");
  if (!codes) return std::unexpected(codes.error());
  auto rule = domain::CodeRule::FromJson(*codes);
  if (!rule) return std::unexpected(rule.error());
  c->code_rule_ = std::move(*rule);
  auto receipt_rule = domain::CodeRule::FromJson(*codes, "receipt");
  if (!receipt_rule) return std::unexpected(receipt_rule.error());
  c->receipt_rule_ = std::move(*receipt_rule);
  return c;
}

Result<std::shared_ptr<const Catalog>> Catalog::FromData(const fs::path& data_dir,
                                                         const fs::path& units_file) {
  auto c = LoadCommon(data_dir);
  if (!c) return std::unexpected(c.error());
  auto units_doc = ReadJsonFile(units_file);
  if (!units_doc) return std::unexpected(units_doc.error());
  auto units = domain::UnitTree::FromJson(*units_doc);
  if (!units) return std::unexpected(units.error());
  (*c)->units_ = std::move(*units);
  auto procs_doc = ReadJsonFile(data_dir / "procedures" / "catalogue.json");
  if (!procs_doc) return std::unexpected(procs_doc.error());
  auto procs = domain::ProcedureCatalog::FromJson(*procs_doc);
  if (!procs) return std::unexpected(procs.error());
  (*c)->procedures_ = std::move(*procs);
  return std::shared_ptr<const Catalog>(std::move(*c));
}

Result<std::shared_ptr<const Catalog>> Catalog::Load(store::Store& store,
                                                     const fs::path& data_dir) {
  auto c = LoadCommon(data_dir);
  if (!c) return std::unexpected(c.error());
  auto unit_rows = store.ListCatalog("unit");
  if (!unit_rows) return std::unexpected(unit_rows.error());
  std::vector<domain::Unit> units;
  for (const auto& row : *unit_rows) {
    auto v = json::Parse(row.doc);
    if (!v || !v->is_object())
      return Fail(ErrorCode::kDataLoss, "store.corrupt", "unit " + row.key);
    auto u = domain::Unit::FromJson(v->get_object());
    if (!u) return std::unexpected(u.error());
    units.push_back(std::move(*u));
  }
  auto tree = domain::UnitTree::Build(std::move(units));
  if (!tree) return std::unexpected(tree.error());
  (*c)->units_ = std::move(*tree);
  auto proc_rows = store.ListCatalog("procedure");
  if (!proc_rows) return std::unexpected(proc_rows.error());
  std::vector<domain::Procedure> procs;
  for (const auto& row : *proc_rows) {
    auto v = json::Parse(row.doc);
    if (!v || !v->is_object()) {
      return Fail(ErrorCode::kDataLoss, "store.corrupt", "procedure " + row.key);
    }
    auto p = domain::Procedure::FromJson(v->get_object());
    if (!p) return std::unexpected(p.error());
    procs.push_back(std::move(*p));
  }
  auto catalog = domain::ProcedureCatalog::FromProcedures(std::move(procs));
  if (!catalog) return std::unexpected(catalog.error());
  (*c)->procedures_ = std::move(*catalog);
  // The days the province administrator set (CalendarDaySet / CalendarDayCleared).
  auto day_rows = store.ListCatalog("calendar_day");
  if (!day_rows) return std::unexpected(day_rows.error());
  std::vector<domain::CalendarOverride> managed;
  for (const auto& row : *day_rows) {
    auto day = ParseManagedDay(row.doc);
    if (!day) return std::unexpected(day.error());
    if (*day) managed.push_back(std::move(**day));
  }
  if (!managed.empty()) {
    auto cal = (*c)->BuildCalendar(managed);
    if (!cal) return std::unexpected(cal.error());
    (*c)->InstallCalendar(std::move(*cal), std::move(managed));
  }
  return std::shared_ptr<const Catalog>(std::move(*c));
}

Result<std::optional<domain::CalendarOverride>> ParseManagedDay(std::string_view doc) {
  auto v = json::Parse(doc);
  if (!v || !v->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", "calendar_day");
  if (v->get_object().contains("cleared")) return std::optional<domain::CalendarOverride>();
  // One entry in the data file's own form, checked by the same parser.
  auto parsed = domain::ParseCalendarOverrides(
      boost::json::serialize(boost::json::object{{"entries", boost::json::array{*v}}}));
  if (!parsed) return std::unexpected(parsed.error());
  if (parsed->entries.size() != 1) return Fail(ErrorCode::kDataLoss, "store.corrupt", "calendar_day");
  return std::optional<domain::CalendarOverride>(std::move(parsed->entries.front()));
}

Result<std::unique_ptr<domain::WorkingCalendar>> Catalog::BuildCalendar(
    const std::vector<domain::CalendarOverride>& managed) const {
  domain::CalendarOverrides merged;
  for (const auto& e : file_overrides_.entries) {
    const bool replaced = std::any_of(managed.begin(), managed.end(),
                                      [&](const domain::CalendarOverride& m) { return m.date == e.date; });
    if (!replaced) merged.entries.push_back(e);
  }
  merged.entries.insert(merged.entries.end(), managed.begin(), managed.end());
  std::sort(merged.entries.begin(), merged.entries.end(),
            [](const auto& a, const auto& b) { return DaysFromCivil(a.date) < DaysFromCivil(b.date); });
  auto cal = domain::WorkingCalendar::Create(merged, kFirstYear, kLastYear);
  if (!cal) return std::unexpected(cal.error());
  return std::make_unique<domain::WorkingCalendar>(std::move(*cal));
}

void Catalog::InstallCalendar(std::unique_ptr<domain::WorkingCalendar> calendar,
                              std::vector<domain::CalendarOverride> managed) const {
  std::lock_guard lock(calendar_mu_);
  const domain::WorkingCalendar* next = calendar.get();
  calendars_.push_back(std::move(calendar));
  std::sort(managed.begin(), managed.end(),
            [](const auto& a, const auto& b) { return DaysFromCivil(a.date) < DaysFromCivil(b.date); });
  managed_ = std::move(managed);
  current_calendar_.store(next);
}

std::vector<domain::CalendarOverride> Catalog::ManagedDays() const {
  std::lock_guard lock(calendar_mu_);
  return managed_;
}

bool Catalog::IsManaged(CivilDate date) const {
  std::lock_guard lock(calendar_mu_);
  return std::any_of(managed_.begin(), managed_.end(),
                     [&](const domain::CalendarOverride& m) { return m.date == date; });
}

const domain::WorkSchedule& Catalog::Schedule(std::string_view id) const {
  if (const auto* s = domain::FindSchedule(schedules_, id)) return *s;
  return standard_;
}

const domain::WorkSchedule& Catalog::ScheduleOf(std::string_view unit_code) const {
  const domain::Unit* u = units_.Find(unit_code);
  return Schedule(u ? std::string_view(u->schedule) : std::string_view("standard"));
}

}  // namespace motcua::app
