#pragma once

#include <httplib.h>

#include <optional>
#include <string>

#include "api/exchange.h"
#include "auth/jwt_verifier.h"
#include "config/http_security_config.h"
#include "http_audit.h"

namespace medvqa::scp {

// The HTTP API's front door: a pre-routing check that lets a request through to its route only
// when the route is open or the request's bearer token carries the role the route needs
// (route_roles.h, read from the route tables). Refusals are JSON {"error": ...}: 401 with
// WWW-Authenticate: Bearer for a missing or invalid token, 403 for a valid token without the
// role. Translation only: tokens are verified by auth::JwtVerifier. Each 401 and 403 is also an
// audit message (api_events.h).
class HttpAuth {
 public:
  enum class Mode {
    Bearer,        // a key is configured: tokens are verified
    Off,           // explicitly off: every route is open
    Unconfigured,  // on, but no key: protected routes answer 503 (never served openly)
  };

  // Loads the configured keys once; Error(Config) naming the file when one cannot be used.
  explicit HttpAuth(const config::HttpSecurityConfig& config, HttpAudit audit = {});

  Mode mode() const noexcept { return mode_; }
  std::string summary() const;  // for the node's "ready" line

  // The warnings an operator must see at every start (auth off, no key, tokens over plain HTTP
  // beyond loopback); nothing when the setup is sound.
  void warnAtStart(bool https, const std::string& host) const;

  // The pre-routing check (HttpApi puts it in front of every route): Unhandled lets the request
  // reach its route; Handled means `res` holds the refusal.
  httplib::Server::HandlerResponse admit(const httplib::Request& req, httplib::Response& res) const;

  // Who calls, for the routes that admit() let through: the subject and roles of the request's
  // token when it verifies (no subject and no role without one); with auth off no subject and
  // roles unset (api::Caller: the door vouches, nothing to check).
  api::Caller callerOf(const httplib::Request& req) const;

 private:
  httplib::Server::HandlerResponse admitBearer(const httplib::Request& req, httplib::Response& res,
                                               auth::Role required) const;

  void auditRefusal(const httplib::Request& req, int status, const std::string& why,
                    const std::string& subject = {}) const;

  Mode mode_;
  std::optional<auth::JwtVerifier> verifier_;
  HttpAudit audit_;
};

}  // namespace medvqa::scp
