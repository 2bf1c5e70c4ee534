// The demo province's people: a few officer accounts at a sample of units (every role of the
// permission table), an auditor, a dashboard viewer, the province administrator, some citizens
// who filed demo dossiers, and two API tokens — created through the real use cases (Argon2id
// passwords, TOTP enrolment by a real code) and returned as a credentials document that the
// command line writes to a 0600 file for the person trying the demo. Thread-safety: call once.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/catalog.h"

namespace motcua::app {

// `citizens`: ID numbers of demo applicants to register. Returns
// {"officers": [{login, password, totp_secret, unit, roles}], "citizens": [{login, password}],
//  "tokens": [{name, token, unit, roles, scopes}]}.
Result<boost::json::object> CreateDemoAccounts(Accounts& accounts, const Catalog& catalog,
                                               const std::vector<std::string>& citizens);

}  // namespace motcua::app
