// Human-readable identifiers (mã hồ sơ) generated from rules in data/codes.json: a pattern with
// {unit}, {yy}, {yyyy}, {mm}, {dd}, {yymmdd} and {seq4}/{seq5}/{seq6}, numbered per unit and
// year by a counter the store keeps in the same transaction. Pure; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/time.h"

namespace motcua::domain {

class CodeRule {
 public:
  // Validates the pattern: it must contain {unit}, a year ({yy}, {yyyy} or {yymmdd}) and a
  // {seqN}. Error "codes.bad_pattern".
  static Result<CodeRule> Create(std::string pattern, std::string counter_scope = "unit_year");
  // data/codes.json's rule for `kind`: "dossier" (mã hồ sơ) or "receipt" (số biên lai).
  static Result<CodeRule> FromJson(const boost::json::value& doc, std::string_view kind = "dossier");

  // The counter name: one sequence per unit and year ("unit_year", default) or per unit and day
  // ("unit_day", for patterns that carry the full date).
  std::string CounterKey(std::string_view unit, CivilDate date) const;
  // Formats the code; error "codes.sequence_overflow" if n does not fit the {seqN} width.
  Result<std::string> Format(std::string_view unit, CivilDate date, int64_t n) const;
  const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;
  bool per_day_ = false;
  std::string kind_ = "dossier";  // the counter's namespace
};

}  // namespace motcua::domain
