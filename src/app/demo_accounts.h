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
#include "app/lifecycle.h"

namespace motcua::app {

// `citizens`: ID numbers of demo applicants to register. Returns
// {"officers": [{login, password, totp_secret, unit, roles}], "citizens": [{login, password}],
//  "tokens": [{name, token, unit, roles, scopes}]}.
Result<boost::json::object> CreateDemoAccounts(Accounts& accounts, const Catalog& catalog,
                                               const std::vector<std::string>& citizens);

// Gives each demo citizen of `people` an electronic result in their data store: a certificate of
// marital status (1.004873) taken in at the counter of the first demo commune, its fee paid in
// cash, reviewed, signed by the commune's leader and sealed (their certificates must exist), and
// returned — the whole real lifecycle, so that the portal's "Kho dữ liệu" and the reuse of the
// certificate in a marriage registration (1.000894) can be tried. `lifecycle` must have the
// documents as its ResultIssuer. Returns how many results were filed.
Result<int> SeedDemoHoldings(store::Store& store, Lifecycle& lifecycle, const Catalog& catalog,
                             const boost::json::object& people);

}  // namespace motcua::app
