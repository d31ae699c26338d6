#include "route_roles.h"

#include "api/answer_api.h"
#include "node_routes.h"

namespace medvqa::scp {

RouteAccess routeAccess(std::string_view method, const std::string& path) {
  static const api::RouteIndex routes = api::RouteIndex().add(kNodeRoutes).add(api::kAnswerRoutes);
  return routes.access(method, path);
}

std::string openRoutes() {
  std::string out;
  const auto add = [&out](const auto& table) {
    for (const auto& route : table) {
      if (route.access.open) out += (out.empty() ? "" : ", ") + std::string(route.pattern);
    }
  };
  add(kNodeRoutes);
  add(api::kAnswerRoutes);
  return out;
}

}  // namespace medvqa::scp
