#pragma once

// Route tables: each route of an HTTP API named once, with the method it takes, its path, who
// may call it and what serves it. Front doors register the routes of a table with their HTTP
// server and take each route's role from the table (RouteIndex); core's answer routes are one
// table (answer_api.h), a door's own routes another of the same kind.

#include <array>
#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "api/exchange.h"
#include "auth/roles.h"

namespace medvqa::api {

// What a route asks of its caller.
struct Access {
  bool open = false;                    // anyone, no credentials: health probes and metrics
  auth::Role role = auth::Role::Admin;  // otherwise this role or one above it
};

inline constexpr Access kOpen{.open = true};
constexpr Access needs(auth::Role role) {
  return Access{.open = false, .role = role};
}

// One route of `Api` (a class whose const member functions serve requests).
template <typename Api>
struct Route {
  std::string_view method;  // GET or POST (a door serves HEAD as GET)
  // A regular expression the whole path must match. Only what ECMAScript (cpp-httplib) and Perl
  // (Orthanc) read alike: literals, [^/], [0-9], {m,n} and plain groups. Each group is a path
  // parameter (Request::pathParams).
  std::string_view pattern;
  Access access;
  Reply (Api::*handler)(const Request&) const;
};

// Whether the caller may call a route: open, the door vouches for the caller (no roles), or one
// of the caller's roles is the one asked or above it.
bool admits(const Access& access, const Caller& caller);

// 403 {"error": "role R required; the caller has: ..."}.
Reply refuse(const Access& access, const Caller& caller);

// Calls `route` of `served`: refuse() when admits() says no, else the handler's reply with its
// exceptions translated (protect).
template <typename Api>
Reply call(const Api& served, const Route<Api>& route, const Request& request) {
  if (!admits(route.access, request.caller)) return refuse(route.access, request.caller);
  return protect([&] { return (served.*route.handler)(request); });
}

// The routes of one or more tables, their patterns compiled: which route a method and path
// reach, and who may call it.
class RouteIndex {
 public:
  struct Match {
    std::size_t index;  // in the order the routes were added
    std::vector<std::string> pathParams;
  };

  template <typename Api, std::size_t N>
  RouteIndex& add(const std::array<Route<Api>, N>& table) {
    for (const auto& route : table) add(route.method, route.pattern, route.access);
    return *this;
  }
  RouteIndex& add(std::string_view method, std::string_view pattern, Access access);

  // The route `method` `path` reaches (HEAD as GET); nullopt for none.
  std::optional<Match> match(std::string_view method, const std::string& path) const;
  // What the route asks; a method and path no route takes needs admin, so that a route added
  // later stays closed until it is in a table.
  Access access(std::string_view method, const std::string& path) const;
  std::size_t size() const { return routes_.size(); }

 private:
  struct Compiled {
    std::string method;
    std::regex pattern;
    Access access;
  };
  std::vector<Compiled> routes_;
};

}  // namespace medvqa::api
