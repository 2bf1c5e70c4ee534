// The OpenAPI 3.0.3 description of the JSON API (issue #4), served at GET /api/openapi.json. It is
// generated from the routes the router registers (Api::Routes) and their documentation in
// data/api/routes.json (summaries in Vietnamese and English, permission row, authentication,
// query parameters, request body schema, responses); generation fails when the two lists differ,
// so an undocumented route or a stale entry is caught by http_openapi_test rather than in review.
// Thread-safety: pure functions (the served document is cached by Api::OpenApi).
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "http/routes.h"

namespace motcua::http {

// The key of a route in routes.json: "GET /api/v1/dossiers/{code}".
std::string RouteKey(const RouteInfo& route);

// Builds the OpenAPI 3.0.3 document for `routes` from `route_docs` (the parsed routes.json).
// Errors, all kInternal with the offending route or name in params.route:
//   openapi.route_undocumented — a route has no entry (the first in registration order);
//   openapi.doc_without_route — an entry names no registered route (the first in file order);
//   openapi.bad_route_docs — an entry or the file is malformed (missing summary, unknown auth,
//     duplicate operationId, a path parameter without a description, a $ref to no schema…; the
//     detail says which).
Result<boost::json::object> BuildOpenApi(const std::vector<RouteInfo>& routes,
                                         const boost::json::value& route_docs);

// Reads and parses a routes.json file. Errors: data.unreadable (kUnavailable), json.* from the
// parser.
Result<boost::json::value> LoadRouteDocs(const std::filesystem::path& file);

// Where routes.json is read from: $MOTCUA_DATA_DIR/api/routes.json, ./data/api/routes.json, then
// the source tree's data/api/routes.json (the same order as the message catalogue). Returns the
// first that exists, else the last candidate (whose load then fails with data.unreadable).
std::filesystem::path FindRouteDocs();

}  // namespace motcua::http
