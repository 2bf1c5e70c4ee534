// Administrative procedures (thủ tục hành chính) of the catalogue: code, competent level, legal
// time limit, online level (Decree 42/2022 Art. 11), fees in integer VND, dossier components and
// the processing steps with their share of the time limit. Loaded from data/procedures/
// catalogue.json and validated strictly. Immutable after loading; thread-safe for reads.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "domain/calendar/deadline.h"

namespace motcua::domain {

enum class OnlineLevel { kNone, kPartial, kFull };
std::string_view OnlineLevelName(OnlineLevel l);  // "none", "partial", "full"

struct Fee {
  std::string code;
  std::string kind;  // "fee" (lệ phí) or "charge" (phí)
  std::string name;
  std::string name_en;
  int64_t amount = 0;     // VND
  std::string condition;  // empty: always applies
  std::string per;        // a quantity unit ("page", "certificate"): amount is per unit
  int64_t from = 1;       // with `per`: the first unit counted (1-based)
  int64_t to = 0;         // with `per`: the last unit counted (0: no limit)
  std::string replaces;   // the code of a fee this one replaces when it applies
};

struct Component {
  std::string code;
  std::string name;
  std::string name_en;
  bool required = true;
  int copies = 1;
  std::string paper_type;  // original, copy, certified_copy, show_only
  // The kind of document this component is ("giay_to_tuy_than", "giay_khai_sinh"…): a digitised
  // copy is filed under it in the applicant's data store. "" = not filed (a form of this dossier).
  std::string doc_type;
  // The document kinds from the applicant's data store that may stand for this component
  // (catalogue "accepts"; by default the component's own doc_type).
  std::vector<std::string> accepts;
  bool Accepts(std::string_view kind) const;
};

struct Step {
  std::string code;
  std::string name;
  std::string name_en;
  std::string role;  // one_stop_officer, specialist, leader, clerk
  std::string unit;  // "receiving" or "competent"
  int share = 0;     // percent of the time limit, > 0, all steps sum to 100
};

// A document kind: lower-case ASCII letters, digits and '_', 1..64 bytes.
bool IsDocType(std::string_view s);

struct Procedure {
  std::string code;
  std::string name;
  std::string name_en;
  std::string field;
  std::string competent_level;   // "commune", "province", …
  std::string competent_agency;  // agency key when the competent body is a department
  TimeLimit time_limit;
  OnlineLevel online_level = OnlineLevel::kNone;
  std::vector<Fee> fees;
  std::vector<std::string> exemptions;  // grounds for exemption from all fees (codes)
  std::string pay_before = "return";    // fees are paid before "receipt" or before "return"
  std::vector<Component> components;
  std::vector<Step> steps;
  std::string result_name;
  bool result_is_paper = true;
  std::string result_doc_type;  // the result's document kind in the data store ("" = not filed)
  int result_valid_months = 0;  // how long the result is valid (0 = no limit)
  boost::json::object source;  // the catalogue entry as loaded (for display and events)

  const Component* FindComponent(std::string_view component_code) const;
  static Result<Procedure> FromJson(const boost::json::object& o);
};

class ProcedureCatalog {
 public:
  // Parses data/procedures/catalogue.json; error "procedure.invalid_catalogue" naming the code.
  static Result<ProcedureCatalog> FromJson(const boost::json::value& doc);
  static Result<ProcedureCatalog> FromProcedures(std::vector<Procedure> procedures);
  const Procedure* Find(std::string_view code) const;
  const std::vector<Procedure>& procedures() const { return procedures_; }

 private:
  std::vector<Procedure> procedures_;
  std::map<std::string, size_t, std::less<>> index_;
};

}  // namespace motcua::domain
