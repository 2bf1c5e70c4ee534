// JSON codecs of the HTTP API (docs/api.md): strict body readers (typed, bounded, no control
// characters, unknown fields refused; json.bad_field names the field) and response encoders —
// instants as ISO-8601 UTC plus "dd/mm/yyyy HH:MM" Vietnam time, money as integer VND, the
// applicant's ID number masked in history records. Thread-safety: pure functions.
#pragma once

#include <boost/json.hpp>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/lifecycle.h"
#include "base/error.h"
#include "base/event.h"
#include "base/time.h"
#include "domain/dossier.h"
#include "domain/procedures.h"
#include "domain/units.h"

namespace motcua::http {

inline constexpr size_t kMaxTextBytes = 4000;  // reasons, notes, questions, answers
inline constexpr size_t kMaxLineBytes = 200;   // names, phones, addresses
inline constexpr size_t kMaxCodeBytes = 64;    // codes and identifiers
inline constexpr size_t kMaxItems = 100;       // elements of any array in a body

// Reads typed fields of one JSON object. Every error is json.bad_field (kInvalidArgument) with
// the field's path ("applicant.id_number", "components[2].code") as the `field` parameter.
class FieldReader {
 public:
  FieldReader(const boost::json::object& o, std::string prefix = {})
      : o_(o), prefix_(std::move(prefix)) {}

  enum class Kind { kCode, kLine, kText };  // bounds 64 / 200 / 4000 bytes; kText allows \n\t
  // A required string (non-empty after the bounds check).
  Result<std::string> Required(std::string_view key, Kind kind) const;
  // Absent or null → fallback.
  Result<std::string> Optional(std::string_view key, Kind kind, std::string fallback = {}) const;
  Result<bool> Bool(std::string_view key, bool fallback) const;
  // An array of strings, each of `kind`; absent → empty.
  Result<std::vector<std::string>> Strings(std::string_view key, Kind kind) const;
  // Rejects any key not in `allowed`.
  Result<void> Only(std::initializer_list<std::string_view> allowed) const;
  const boost::json::object& object() const { return o_; }
  std::string Path(std::string_view key) const;

 private:
  const boost::json::object& o_;
  std::string prefix_;
};

// Checks a string value against a kind's bounds; error json.bad_field naming `path`.
Result<void> CheckString(std::string_view s, FieldReader::Kind kind, std::string_view path);
// A bad query parameter: http.bad_query (400) naming the parameter.
Error BadQuery(std::string_view name, std::string why);
// A decimal query parameter within [lo, hi] (http.bad_query otherwise).
Result<int64_t> ParseCount(const std::string& s, std::string_view name, int64_t lo, int64_t hi);

// {"code", "reused_from"?} elements of `key`.
Result<std::vector<domain::ComponentRecord>> DecodeComponents(const FieldReader& r,
                                                              std::string_view key);
// The POST /api/v1/dossiers body.
Result<app::SubmitRequest> DecodeSubmit(const boost::json::object& body);

// "dd/mm/yyyy HH:MM" in Vietnam time.
std::string FormatDisplayVi(Timestamp t);
// Sets o[key] = ISO UTC and o[key + "_vi"] = display form (both null when t is empty).
void PutTime(boost::json::object& o, std::string_view key, std::optional<Timestamp> t);
// Rewrites, anywhere in `v`, integer microsecond values under the known instant keys
// (submitted_at, due_at, at, …) into PutTime's pair.
void ConvertInstants(boost::json::value& v);
// Replaces, anywhere in `v`, the ID number (and any string containing it) by its mask.
void MaskIdNumber(boost::json::value& v, std::string_view id_number);

boost::json::object EncodeOverdue(const domain::OverdueInfo& o, const domain::WorkSchedule& s);
// The dossier document with instants converted, plus "overdue".
boost::json::object EncodeDossier(const domain::Dossier& d, const domain::OverdueInfo& overdue,
                                  const domain::WorkSchedule& schedule);
// One list item: indexed columns, applicant name with a masked ID number, overdue.
boost::json::object EncodeDossierSummary(const domain::Dossier& d,
                                         const domain::OverdueInfo& overdue,
                                         const domain::WorkSchedule& schedule);
// One history record: seq, type, at, unit, actor, payload — the ID number masked throughout.
boost::json::object EncodeEvent(const Event& e, std::string_view applicant_id_number);

boost::json::object EncodeTimeLimit(const domain::TimeLimit& t);
boost::json::object EncodeProcedureSummary(const domain::Procedure& p);
boost::json::object EncodeProcedure(const domain::Procedure& p);
boost::json::object EncodeUnit(const domain::Unit& u);

}  // namespace motcua::http
