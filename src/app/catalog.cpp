#include "app/catalog.h"

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
  auto cal = domain::WorkingCalendar::Create(*overrides, 2015, 2035);
  if (!cal) return std::unexpected(cal.error());
  c->calendar_ = std::make_unique<domain::WorkingCalendar>(std::move(*cal));
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
  return std::shared_ptr<const Catalog>(std::move(*c));
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
