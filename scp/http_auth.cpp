#include "http_auth.h"

#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "audit/api_events.h"
#include "common/log.h"
#include "route_roles.h"

namespace medvqa::scp {
namespace {

using Handled = httplib::Server::HandlerResponse;
using nlohmann::json;

constexpr const char* kChallenge = "Bearer realm=\"medvqa\"";

std::vector<auth::JwtKey> configuredKeys(const config::HttpSecurityConfig& c) {
  std::vector<auth::JwtKey> keys;
  if (!c.jwtHs256SecretFile.empty()) keys.push_back(auth::loadHs256Secret(c.jwtHs256SecretFile));
  if (!c.jwtRs256PublicKey.empty()) keys.push_back(auth::loadRs256PublicKey(c.jwtRs256PublicKey));
  return keys;
}

// Request text (path, header values) goes into log lines and response headers: control
// characters, quotes and backslashes are replaced so that it cannot forge either.
std::string printable(std::string_view text) {
  std::string out(text.substr(0, 200));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"' || c == '\\') c = '?';
  }
  return out;
}

void refuse(httplib::Response& res, int status, const std::string& message, const std::string& challenge) {
  res.status = status;
  if (!challenge.empty()) res.set_header("WWW-Authenticate", challenge);
  res.set_content(json{{"error", message}}.dump(), "application/json");
}

// Auth failures are security events: logged with who and what, never with the token.
void logRefusal(const httplib::Request& req, int status, const std::string& why, const std::string& subject = {}) {
  log::warn("HTTP " + std::to_string(status) + " " + printable(req.method) + " " + printable(req.path) + " from " +
            req.remote_addr + ": " + why + (subject.empty() ? "" : " (sub " + printable(subject) + ")"));
}

// RFC 6750 2.1: "Authorization: Bearer <token>", the scheme case-insensitive.
std::optional<std::string> bearerToken(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view scheme = "bearer ";
  if (header.size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return std::nullopt;
  }
  const auto begin = header.find_first_not_of(' ', scheme.size());
  if (begin == std::string::npos) return std::nullopt;
  return header.substr(begin, header.find_last_not_of(' ') + 1 - begin);
}

bool isLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

HttpAuth::HttpAuth(const config::HttpSecurityConfig& config, HttpAudit audit)
    : mode_(config.authOff ? Mode::Off : config.hasBearerKey() ? Mode::Bearer : Mode::Unconfigured),
      audit_(std::move(audit)) {
  if (mode_ == Mode::Bearer) verifier_.emplace(configuredKeys(config));
}

std::string HttpAuth::summary() const {
  switch (mode_) {
    case Mode::Bearer: return "bearer tokens (" + verifier_->algorithms() + ")";
    case Mode::Off: return "auth OFF";
    case Mode::Unconfigured: return "no token key: protected routes refused";
  }
  return {};
}

void HttpAuth::warnAtStart(bool https, const std::string& host) const {
  if (mode_ == Mode::Off) {
    log::warn("HTTP API AUTHENTICATION IS OFF (--http-auth off): anyone who can reach " + host +
              " may read studies and answers, ask questions and see jobs; use it only on a trusted network");
  } else if (mode_ == Mode::Unconfigured) {
    log::warn("HTTP API: no bearer-token key is configured (--jwt-hs256-secret-file FILE or --jwt-rs256-public-key "
              "PEM) and auth is not switched off (--http-auth off): only the open routes (" + openRoutes() +
              ") are served, every other route answers 503 (docs/security.md)");
  } else if (!https && !isLoopback(host)) {
    log::warn("HTTP API: bearer tokens cross the network in clear on " + host +
              ": serve HTTPS (--https-cert PEM --https-key PEM)");
  }
}

httplib::Server::HandlerResponse HttpAuth::admit(const httplib::Request& req, httplib::Response& res) const {
  if (mode_ == Mode::Off) return Handled::Unhandled;
  const RouteAccess access = routeAccess(req.method, req.path);
  if (access.open) return Handled::Unhandled;
  if (mode_ == Mode::Unconfigured) {
    refuse(res, 503,
           "the HTTP API has no bearer-token key configured: start the node with --jwt-hs256-secret-file FILE or "
           "--jwt-rs256-public-key PEM (or, on a trusted network only, --http-auth off); see docs/security.md",
           {});
    return Handled::Handled;
  }
  return admitBearer(req, res, access.role);
}

httplib::Server::HandlerResponse HttpAuth::admitBearer(const httplib::Request& req, httplib::Response& res,
                                                       auth::Role required) const {
  const auto token = bearerToken(req);
  if (!token) {
    // RFC 6750 3.1: a request without credentials gets the challenge without an error code.
    refuse(res, 401, "bearer token required (Authorization: Bearer <JWT>)", kChallenge);
    logRefusal(req, 401, "no bearer token");
    auditRefusal(req, 401, "no bearer token");
    return Handled::Handled;
  }
  const auth::TokenCheck check = verifier_->verify(*token, std::chrono::system_clock::now());
  if (!check.principal) {
    refuse(res, 401, "invalid token: " + check.problem,
           std::string(kChallenge) + ", error=\"invalid_token\", error_description=\"" + printable(check.problem) + "\"");
    logRefusal(req, 401, "invalid token: " + check.problem);
    auditRefusal(req, 401, "invalid token: " + check.problem);
    return Handled::Handled;
  }
  if (!auth::grants(check.principal->roles, required)) {
    const std::string why = std::string("role ") + auth::toString(required) + " required; the token has: " +
                            auth::describe(check.principal->roles);
    refuse(res, 403, why, std::string(kChallenge) + ", error=\"insufficient_scope\"");
    logRefusal(req, 403, why, check.principal->subject);
    auditRefusal(req, 403, why, check.principal->subject);
    return Handled::Handled;
  }
  return Handled::Unhandled;
}

void HttpAuth::auditRefusal(const httplib::Request& req, int status, const std::string& why,
                            const std::string& subject) const {
  if (!audit_) return;
  audit_.record(audit::httpRefused({subject, req.remote_addr}, audit_.nodeAet, status, req.method, req.path, why));
}

api::Caller HttpAuth::callerOf(const httplib::Request& req) const {
  api::Caller caller{{}, req.remote_addr, std::nullopt};
  if (mode_ == Mode::Off) return caller;
  // admit() checked the token before the route ran; it is read again here, not remembered.
  caller.roles.emplace();
  const auto token = bearerToken(req);
  if (!token || !verifier_) return caller;
  const auth::TokenCheck check = verifier_->verify(*token, std::chrono::system_clock::now());
  if (!check.principal) return caller;
  caller.subject = check.principal->subject;
  caller.roles = check.principal->roles;
  return caller;
}

}  // namespace medvqa::scp
