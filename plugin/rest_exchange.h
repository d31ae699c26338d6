#pragma once

// One HTTP exchange as the routes see it, apart from Orthanc's C structures: the routes are
// plain functions from HttpRequest to HttpReply, and this file alone talks to Orthanc's output.

#include <orthanc/OrthancCPlugin.h>

#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "common/error.h"

namespace medvqa::plugin {

struct HttpRequest {
  std::string method;                         // GET, POST, PUT, DELETE
  std::vector<std::string> groups;            // the route pattern's groups
  std::string body;
  std::map<std::string, std::string> params;  // the query string's arguments
};

struct HttpReply {
  int status = 200;
  std::string body;
  std::string contentType = "application/json";

  static HttpReply json(int status, const nlohmann::json& body);
  static HttpReply error(int status, const std::string& message);  // {"error": message}
};

// The HTTP status of a core error: 400 bad input, 404 unknown, 413 too large, 503 no model (a
// configuration problem), 500 anything else.
int httpStatusFor(ErrorCode code);

// Runs a route. Exceptions are translated here, once: medvqa::Error to its status with
// {"error": ...}, anything else to 500 (logged, not shown: it may carry internals).
HttpReply protect(const std::function<HttpReply()>& route);

HttpRequest fromOrthanc(const OrthancPluginHttpRequest& request);
// 200 through OrthancPluginAnswerBuffer; any other status through OrthancPluginSendHttpStatus
// with the JSON body and its content type.
void sendReply(OrthancPluginContext* context, OrthancPluginRestOutput* output, const HttpReply& reply);

}  // namespace medvqa::plugin
