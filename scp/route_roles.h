#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/roles.h"

namespace medvqa::scp {

// What a route of the HTTP API asks of its caller.
struct RouteAccess {
  bool open = false;                        // anyone, no token: health probes and metrics
  auth::Role role = auth::Role::Admin;      // otherwise this role or one above it
};

// The one table of who may call what (docs/security.md lists it). HEAD is GET. A method and
// path not in the table needs admin: a route added later stays closed until it is listed here.
RouteAccess routeAccess(std::string_view method, const std::string& path);

}  // namespace medvqa::scp
