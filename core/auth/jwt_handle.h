#pragma once

#include <jwt.h>

#include <cstdlib>
#include <memory>

namespace medvqa::auth {

// libjwt's C objects, owned: a jwt_t goes back through jwt_free, and the strings libjwt hands
// out (jwt_encode_str, jwt_get_grants_json) are malloc'd for the caller to free().
struct JwtFree {
  void operator()(jwt_t* jwt) const noexcept { jwt_free(jwt); }
};
struct JwtStringFree {
  void operator()(char* text) const noexcept { std::free(text); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;
using JwtString = std::unique_ptr<char, JwtStringFree>;

}  // namespace medvqa::auth
