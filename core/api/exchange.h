#pragma once

// One HTTP exchange as the answer API sees it, apart from any HTTP library. The front doors
// (scp/: cpp-httplib, plugin/: Orthanc's REST callbacks) turn their request into a Request, call
// a route of a table (routes.h), and write the Reply back: nothing else.

#include <exception>
#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "common/error.h"

namespace medvqa::api {

// Who is calling, as the front door's authentication says.
struct Caller {
  std::string subject;        // the bearer token's subject, the door's user name; "" when unknown (auth off)
  std::string remoteAddress;  // the client's IP address; "" when the door does not say
  // The roles the caller holds, when the door's authentication gives roles (the node's bearer
  // tokens; empty without a valid token). nullopt: the door vouches for the caller itself (the
  // node with auth off, Orthanc's own authentication in front of the plugin); no role is checked.
  std::optional<std::vector<auth::Role>> roles;
};

struct Request {
  std::string method;                        // GET, POST, ...
  std::vector<std::string> pathParams;       // the route pattern's groups, in order
  std::map<std::string, std::string> query;  // the query string's arguments (the first of each name)
  std::string body;
  Caller caller;

  const std::string* queryParam(const std::string& name) const;  // null when absent
};

struct Reply {
  int status = 200;
  std::string body;
  std::string contentType = "application/json";

  static Reply json(int status, const nlohmann::json& body);
  static Reply error(int status, const std::string& message);  // {"error": message}
};

// The HTTP status of a core error: 400 bad input, 404 unknown, 413 too large, 503 a
// configuration problem (no model), 500 anything else.
int httpStatusFor(ErrorCode code);

// The one translation of an exception into a reply: medvqa::Error to its status with
// {"error": what}, anything else to 500 {"error": "internal error"} (logged, not shown: it may
// carry internals). Errors of 500 and above are logged too.
Reply replyFor(std::exception_ptr error);

// Runs a route; an exception becomes replyFor's reply.
Reply protect(const std::function<Reply()>& route);

}  // namespace medvqa::api
