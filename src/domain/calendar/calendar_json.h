// JSON views of the working-day calendar for the CLI (`motcua calendar ...`) and the HTTP API:
// a year's non-working days and an appointment with its derivation. Dates appear as ISO
// ("2025-01-27") and Vietnamese display ("27/01/2025"); instants as UTC ISO and Vietnam local.
// Thread-safety: pure functions.
#pragma once

#include <boost/json.hpp>

#include "domain/calendar/calendar.h"
#include "domain/calendar/deadline.h"

namespace motcua::domain {

// {"date","date_vi","weekday","kind","working","occasion"?,"name_vi","name_en","source"?,"note"?,
//  "official"}
boost::json::object DayInfoToJson(const DayInfo& day);
// {"year","schedule","count","days":[DayInfoToJson...]}
boost::json::object NonWorkingDaysToJson(int year, const std::vector<DayInfo>& days,
                                         const WorkSchedule& schedule);
// {"utc","local","date","date_vi","display_vi"} for an instant.
boost::json::object InstantToJson(Timestamp t);
// Appointment with "received","clock_start","due","budget_minutes","budget" (days/hours/minutes,
// vi, en),"limit","rule","start_rule","skipped":[...]}.
boost::json::object AppointmentToJson(const Appointment& appointment, const WorkSchedule& schedule);
// {"code": error.key, "message": error.detail or the key}
boost::json::object ErrorToJson(const Error& error);

}  // namespace motcua::domain
