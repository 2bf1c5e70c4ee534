#include "domain/units.h"

#include <set>

#include "base/json.h"

namespace motcua::domain {

std::string_view UnitLevelName(UnitLevel l) {
  switch (l) {
    case UnitLevel::kProvince:
      return "province";
    case UnitLevel::kDepartment:
      return "department";
    case UnitLevel::kServiceCentre:
      return "pasc";
    case UnitLevel::kDistrict:
      return "district";
    case UnitLevel::kCommune:
      return "commune";
  }
  return "?";
}

Result<UnitLevel> ParseUnitLevel(std::string_view s) {
  for (UnitLevel l : {UnitLevel::kProvince, UnitLevel::kDepartment, UnitLevel::kServiceCentre,
                      UnitLevel::kDistrict, UnitLevel::kCommune}) {
    if (UnitLevelName(l) == s) return l;
  }
  return Fail(json::BadField("level", "unknown unit level"));
}

boost::json::object Unit::ToJson() const {
  boost::json::object o;
  o["code"] = code;
  o["name"] = name;
  o["name_en"] = name_en;
  o["level"] = UnitLevelName(level);
  o["parent"] = parent.empty() ? boost::json::value(nullptr) : boost::json::value(parent);
  o["valid_from"] = FormatIsoDate(valid_from);
  o["valid_to"] = valid_to ? boost::json::value(FormatIsoDate(*valid_to)) : nullptr;
  if (!agency_key.empty()) o["agency_key"] = agency_key;
  if (!commune_type.empty()) o["commune_type"] = commune_type;
  o["schedule"] = schedule;
  boost::json::array succ;
  for (const auto& s : successors) {
    succ.push_back(
        {{"code", s.code}, {"date", FormatIsoDate(s.date)}, {"instrument", s.instrument}});
  }
  o["successors"] = std::move(succ);
  boost::json::array pred;
  for (const auto& p : predecessors) pred.push_back(boost::json::value(p));
  o["predecessors"] = std::move(pred);
  return o;
}

Result<Unit> Unit::FromJson(const boost::json::object& o) {
  Unit u;
  auto code = json::String(o, "code");
  if (!code) return std::unexpected(code.error());
  u.code = *code;
  auto name = json::String(o, "name");
  if (!name) return std::unexpected(name.error());
  u.name = *name;
  u.name_en = json::OptString(o, "name_en").value_or("");
  auto level = json::String(o, "level");
  if (!level) return std::unexpected(level.error());
  auto lv = ParseUnitLevel(*level);
  if (!lv) return std::unexpected(lv.error());
  u.level = *lv;
  u.parent = json::OptString(o, "parent").value_or("");
  auto from = json::String(o, "valid_from");
  if (!from) return std::unexpected(from.error());
  auto fd = ParseIsoDate(*from);
  if (!fd) return std::unexpected(fd.error());
  u.valid_from = *fd;
  if (auto to = json::OptString(o, "valid_to")) {
    auto td = ParseIsoDate(*to);
    if (!td) return std::unexpected(td.error());
    u.valid_to = *td;
  }
  u.agency_key = json::OptString(o, "agency_key").value_or("");
  u.commune_type = json::OptString(o, "commune_type").value_or("");
  u.schedule = json::OptString(o, "schedule").value_or("standard");
  if (auto it = o.find("successors"); it != o.end() && it->value().is_array()) {
    for (const auto& s : it->value().get_array()) {
      if (!s.is_object()) return Fail(json::BadField("successors", "not an object"));
      Succession sc;
      auto sc_code = json::String(s.get_object(), "code");
      auto sc_date = json::String(s.get_object(), "date");
      if (!sc_code || !sc_date) return Fail(json::BadField("successors", "code and date required"));
      auto d = ParseIsoDate(*sc_date);
      if (!d) return std::unexpected(d.error());
      sc.code = *sc_code;
      sc.date = *d;
      sc.instrument = json::OptString(s.get_object(), "instrument").value_or("");
      u.successors.push_back(std::move(sc));
    }
  }
  if (auto it = o.find("predecessors"); it != o.end() && it->value().is_array()) {
    for (const auto& p : it->value().get_array()) {
      if (!p.is_string()) return Fail(json::BadField("predecessors", "not a string"));
      u.predecessors.emplace_back(p.get_string());
    }
  }
  return u;
}

namespace {
Error TreeError(const std::string& code, std::string why) {
  Error e{ErrorCode::kInvalidArgument, "unit.invalid_tree", why, {}};
  e.With("unit", code);
  return e;
}
}  // namespace

Result<UnitTree> UnitTree::Build(std::vector<Unit> units) {
  UnitTree t;
  t.units_ = std::move(units);
  for (size_t i = 0; i < t.units_.size(); ++i) {
    if (!t.index_.emplace(t.units_[i].code, i).second) {
      return Fail(TreeError(t.units_[i].code, "duplicate code"));
    }
  }
  int roots = 0;
  for (const Unit& u : t.units_) {
    if (u.valid_to && *u.valid_to < u.valid_from)
      return Fail(TreeError(u.code, "valid_to < valid_from"));
    if (u.parent.empty()) {
      ++roots;
      continue;
    }
    const Unit* p = t.Find(u.parent);
    if (!p) return Fail(TreeError(u.code, "unknown parent " + u.parent));
    if (p->valid_from > u.valid_from ||
        (p->valid_to && (!u.valid_to || *u.valid_to > *p->valid_to))) {
      return Fail(TreeError(u.code, "validity outside parent " + u.parent));
    }
    for (const auto& s : u.successors) {
      const Unit* su = t.Find(s.code);
      if (!su) return Fail(TreeError(u.code, "unknown successor " + s.code));
      if (!u.valid_to) return Fail(TreeError(u.code, "a unit with successors must have valid_to"));
    }
    for (const auto& pcode : u.predecessors) {
      if (!t.Find(pcode)) return Fail(TreeError(u.code, "unknown predecessor " + pcode));
    }
  }
  if (roots != 1) return Fail(TreeError("", "exactly one root unit required"));
  for (size_t i = 0; i < t.units_.size(); ++i) {
    const Unit& a = t.units_[i];
    if (a.agency_key.empty()) continue;
    for (size_t j = i + 1; j < t.units_.size(); ++j) {
      const Unit& b = t.units_[j];
      if (b.agency_key != a.agency_key) continue;
      const bool overlap = (!a.valid_to || b.valid_from <= *a.valid_to) &&
                           (!b.valid_to || a.valid_from <= *b.valid_to);
      if (overlap) return Fail(TreeError(b.code, "agency key overlaps with " + a.code));
    }
  }
  return t;
}

Result<UnitTree> UnitTree::FromJson(const boost::json::value& doc) {
  auto root = json::Object(doc, "units document");
  if (!root) return std::unexpected(root.error());
  auto arr = json::Array(**root, "units");
  if (!arr) return std::unexpected(arr.error());
  std::vector<Unit> units;
  units.reserve((*arr)->size());
  for (const auto& v : **arr) {
    if (!v.is_object()) return Fail(json::BadField("units", "not an object"));
    auto u = Unit::FromJson(v.get_object());
    if (!u) return std::unexpected(u.error());
    units.push_back(std::move(*u));
  }
  return Build(std::move(units));
}

const Unit* UnitTree::Find(std::string_view code) const {
  auto it = index_.find(code);
  return it == index_.end() ? nullptr : &units_[it->second];
}

const Unit* UnitTree::AgencyOn(std::string_view agency_key, CivilDate date) const {
  for (const Unit& u : units_) {
    if (u.agency_key == agency_key && u.ValidOn(date)) return &u;
  }
  return nullptr;
}

std::vector<const Unit*> UnitTree::UnitsOn(UnitLevel level, CivilDate date) const {
  std::vector<const Unit*> out;
  for (const Unit& u : units_) {
    if (u.level == level && u.ValidOn(date)) out.push_back(&u);
  }
  return out;
}

bool UnitTree::IsWithin(std::string_view code, std::string_view ancestor) const {
  for (const Unit* u = Find(code); u != nullptr;
       u = u->parent.empty() ? nullptr : Find(u->parent)) {
    if (u->code == ancestor) return true;
  }
  return false;
}

std::vector<const Unit*> UnitTree::CarriedBy(std::string_view code, CivilDate date) const {
  std::vector<const Unit*> out;
  std::set<std::string, std::less<>> seen;
  std::vector<const Unit*> todo;
  if (const Unit* u = Find(code)) todo.push_back(u);
  while (!todo.empty()) {
    const Unit* u = todo.back();
    todo.pop_back();
    if (!seen.insert(u->code).second) continue;
    if (u->ValidOn(date)) {
      out.push_back(u);
      continue;
    }
    if (date < u->valid_from) continue;
    for (const auto& s : u->successors) {
      if (s.date <= date) {
        if (const Unit* su = Find(s.code)) todo.push_back(su);
      }
    }
  }
  return out;
}

const Unit* UnitTree::AncestorAt(std::string_view code, UnitLevel level) const {
  for (const Unit* u = Find(code); u != nullptr;
       u = u->parent.empty() ? nullptr : Find(u->parent)) {
    if (u->level == level) return u;
  }
  return nullptr;
}

const Unit* UnitTree::Root() const {
  for (const Unit& u : units_) {
    if (u.parent.empty()) return &u;
  }
  return nullptr;
}

}  // namespace motcua::domain
