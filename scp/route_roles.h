#pragma once

#include <string>
#include <string_view>

#include "api/routes.h"

namespace medvqa::scp {

// What a route of the HTTP API asks of its caller.
using RouteAccess = api::Access;

// Who may call what, read from the route tables themselves: core's answer routes
// (api::kAnswerRoutes) and the node's own (kNodeRoutes); docs/security.md lists them. HEAD is
// GET. A method and path no table has needs admin: a route added later stays closed until it is
// in a table.
RouteAccess routeAccess(std::string_view method, const std::string& path);

// "/healthz, /readyz, /metrics": the open routes of the tables, for messages.
std::string openRoutes();

}  // namespace medvqa::scp
