#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace medvqa::auth {

// The user name of an HTTP Basic Authorization header value ("Basic dXNlcjpwYXNz" -> "user"),
// nullopt when it is not a well-formed Basic credential. Nothing is verified here: the plugin
// reads it only to name the requestor in the audit trail of a request Orthanc has already
// authenticated.
std::optional<std::string> basicAuthUser(std::string_view authorization);

}  // namespace medvqa::auth
