#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medvqa::auth {

// What a caller of the HTTP API may do, from the `roles` claim of its bearer token. The roles
// nest: admin ⊇ radiologist ⊇ reader, so an operator issues one role per person and a token
// never needs to list the lower ones (docs/security.md).
enum class Role {
  Reader,       // read studies and their answers
  Radiologist,  // also ask questions (and give feedback on answers)
  Admin,        // also see jobs and deliveries, re-run answering
};

const char* toString(Role role) noexcept;

// "reader" | "radiologist" | "admin" (exact, lower case); nullopt for any other name. Tokens from
// a hospital's identity provider carry roles of other systems too, which are not an error.
std::optional<Role> parseRole(std::string_view name) noexcept;

// True when one of `held` is `required` or a role above it.
bool grants(const std::vector<Role>& held, Role required) noexcept;

// "reader, admin" for messages; "none" when empty.
std::string describe(const std::vector<Role>& roles);

}  // namespace medvqa::auth
