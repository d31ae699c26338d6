#include "api/routes.h"

namespace medvqa::api {

bool admits(const Access& access, const Caller& caller) {
  return access.open || !caller.roles || auth::grants(*caller.roles, access.role);
}

Reply refuse(const Access& access, const Caller& caller) {
  return Reply::error(403, std::string("role ") + auth::toString(access.role) + " required; the caller has: " +
                               auth::describe(caller.roles.value_or(std::vector<auth::Role>{})));
}

RouteIndex& RouteIndex::add(std::string_view method, std::string_view pattern, Access access) {
  routes_.push_back({std::string(method), std::regex(pattern.begin(), pattern.end()), access});
  return *this;
}

std::optional<RouteIndex::Match> RouteIndex::match(std::string_view method, const std::string& path) const {
  const std::string_view asGet = method == "HEAD" ? std::string_view("GET") : method;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    std::smatch groups;
    if (routes_[i].method != asGet || !std::regex_match(path, groups, routes_[i].pattern)) continue;
    Match found{i, {}};
    for (std::size_t g = 1; g < groups.size(); ++g) found.pathParams.push_back(groups[g].str());
    return found;
  }
  return std::nullopt;
}

Access RouteIndex::access(std::string_view method, const std::string& path) const {
  const auto found = match(method, path);
  return found ? routes_[found->index].access : needs(auth::Role::Admin);
}

}  // namespace medvqa::api
