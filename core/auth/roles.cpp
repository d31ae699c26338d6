#include "auth/roles.h"

#include <algorithm>

namespace medvqa::auth {

const char* toString(Role role) noexcept {
  switch (role) {
    case Role::Reader: return "reader";
    case Role::Radiologist: return "radiologist";
    case Role::Admin: return "admin";
  }
  return "unknown";
}

std::optional<Role> parseRole(std::string_view name) noexcept {
  for (const Role role : {Role::Reader, Role::Radiologist, Role::Admin}) {
    if (name == toString(role)) return role;
  }
  return std::nullopt;
}

bool grants(const std::vector<Role>& held, Role required) noexcept {
  // The enumerators are declared from least to most privileged: a higher one includes the lower.
  return std::any_of(held.begin(), held.end(), [required](Role role) { return role >= required; });
}

std::string describe(const std::vector<Role>& roles) {
  if (roles.empty()) return "none";
  std::string out;
  for (const Role role : roles) out += (out.empty() ? "" : ", ") + std::string(toString(role));
  return out;
}

}  // namespace medvqa::auth
