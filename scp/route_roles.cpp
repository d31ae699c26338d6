#include "route_roles.h"

#include <regex>
#include <vector>

namespace medvqa::scp {
namespace {

using auth::Role;

struct RouteRule {
  std::string_view method;
  std::regex path;  // the same patterns the routes are registered with, matched whole
  RouteAccess access;
};

const std::vector<RouteRule>& rules() {
  static const std::vector<RouteRule> table = [] {
    const RouteAccess open{.open = true};
    const auto needs = [](Role role) { return RouteAccess{.open = false, .role = role}; };
    return std::vector<RouteRule>{
        // Orchestrators probe without credentials; the probes say nothing about patients.
        {"GET", std::regex("/healthz"), open},
        {"GET", std::regex("/readyz"), open},
        // Counters only (no UIDs, no patient data), and Prometheus scrapes without a token by default.
        {"GET", std::regex("/metrics"), open},
        {"GET", std::regex("/studies"), needs(Role::Reader)},
        {"GET", std::regex("/studies/[^/]+"), needs(Role::Reader)},
        {"GET", std::regex("/studies/[^/]+/answers"), needs(Role::Reader)},
        {"POST", std::regex("/studies/[^/]+/questions"), needs(Role::Radiologist)},
        {"POST", std::regex("/studies/[^/]+/answer"), needs(Role::Admin)},
        {"GET", std::regex("/jobs"), needs(Role::Admin)},
        {"GET", std::regex("/jobs/[^/]+"), needs(Role::Admin)},
        {"GET", std::regex("/deliveries"), needs(Role::Admin)},
    };
  }();
  return table;
}

}  // namespace

RouteAccess routeAccess(std::string_view method, const std::string& path) {
  const std::string_view asGet = method == "HEAD" ? std::string_view("GET") : method;
  for (const auto& rule : rules()) {
    if (rule.method == asGet && std::regex_match(path, rule.path)) return rule.access;
  }
  return RouteAccess{.open = false, .role = Role::Admin};
}

}  // namespace medvqa::scp
