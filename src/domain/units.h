// Administrative units (đơn vị hành chính) and agencies as an effective-dated tree: province,
// department/agency (sở, ngành), public-administration service centre (trung tâm phục vụ hành
// chính công), district (huyện — until 30/06/2025) and commune/ward/special zone (xã, phường, đặc
// khu). The 1 July 2025 reorganisation is history: dissolved units keep their records and point
// to successors (admin-hierarchy.md §2). Immutable after loading; thread-safe for reads.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace motcua::domain {

enum class UnitLevel { kProvince, kDepartment, kServiceCentre, kDistrict, kCommune };
std::string_view UnitLevelName(
    UnitLevel l);  // "province", "department", "pasc", "district", "commune"
Result<UnitLevel> ParseUnitLevel(std::string_view s);

struct Succession {
  std::string code;  // successor unit
  CivilDate date;    // first day of the successor
  std::string instrument;
};

struct Unit {
  std::string code;
  std::string name;
  std::string name_en;
  UnitLevel level = UnitLevel::kCommune;
  std::string parent;  // empty for the root
  CivilDate valid_from;
  std::optional<CivilDate> valid_to;  // inclusive
  std::string agency_key;             // departments: "justice", "finance"…
  std::string commune_type;           // communes: "xa", "phuong", "thi_tran", "dac_khu"
  std::string schedule = "standard";  // work schedule id (data/calendar/schedules.json)
  std::vector<Succession> successors;
  std::vector<std::string> predecessors;

  bool ValidOn(CivilDate d) const { return valid_from <= d && (!valid_to || d <= *valid_to); }
  boost::json::object ToJson() const;
  static Result<Unit> FromJson(const boost::json::object& o);
};

class UnitTree {
 public:
  // Validates the set: unique codes, parents exist and overlap in validity, successors and
  // predecessors exist, no two units valid on the same day share an agency key. Error key
  // "unit.invalid_tree" with the offending code.
  static Result<UnitTree> Build(std::vector<Unit> units);
  static Result<UnitTree> FromJson(const boost::json::value& doc);  // data/demo/units.json shape

  const Unit* Find(std::string_view code) const;
  const std::vector<Unit>& units() const { return units_; }
  // The unit valid on `date` for an agency key (departments), if any.
  const Unit* AgencyOn(std::string_view agency_key, CivilDate date) const;
  // All units of a level valid on a date.
  std::vector<const Unit*> UnitsOn(UnitLevel level, CivilDate date) const;
  // True if `code` is `ancestor` or lies below it in the tree (validity ignored).
  bool IsWithin(std::string_view code, std::string_view ancestor) const;
  // The units that carry `code`'s records on `date`: itself if valid then, otherwise its
  // successors followed transitively (a split commune yields several). Empty if none.
  std::vector<const Unit*> CarriedBy(std::string_view code, CivilDate date) const;
  // Nearest ancestor-or-self at a level (e.g. the district of a pre-2025 commune).
  const Unit* AncestorAt(std::string_view code, UnitLevel level) const;
  const Unit* Root() const;

 private:
  std::vector<Unit> units_;
  std::map<std::string, size_t, std::less<>> index_;
};

}  // namespace motcua::domain
