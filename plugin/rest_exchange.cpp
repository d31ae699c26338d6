#include "rest_exchange.h"

#include <nlohmann/json.hpp>

#include "common/log.h"

namespace medvqa::plugin {

HttpReply HttpReply::json(int status, const nlohmann::json& body) { return {status, body.dump(), "application/json"}; }

HttpReply HttpReply::error(int status, const std::string& message) {
  return json(status, nlohmann::json{{"error", message}});
}

int httpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::LimitExceeded: return 413;
    case ErrorCode::Config: return 503;
    default: return 500;
  }
}

HttpReply protect(const std::function<HttpReply()>& route) {
  try {
    return route();
  } catch (const Error& e) {
    const int status = httpStatusFor(e.code());
    if (status >= 500) log::error(std::string("REST: ") + e.what());
    return HttpReply::error(status, e.what());
  } catch (const std::exception& e) {
    log::error(std::string("REST handler failed: ") + e.what());
    return HttpReply::error(500, "internal error");
  }
}

namespace {

const char* methodName(OrthancPluginHttpMethod method) {
  switch (method) {
    case OrthancPluginHttpMethod_Get: return "GET";
    case OrthancPluginHttpMethod_Post: return "POST";
    case OrthancPluginHttpMethod_Put: return "PUT";
    case OrthancPluginHttpMethod_Delete: return "DELETE";
    default: return "?";
  }
}

}  // namespace

HttpRequest fromOrthanc(const OrthancPluginHttpRequest& request) {
  HttpRequest out;
  out.method = methodName(request.method);
  for (uint32_t i = 0; i < request.groupsCount; ++i) out.groups.emplace_back(request.groups[i]);
  for (uint32_t i = 0; i < request.getCount; ++i) out.params[request.getKeys[i]] = request.getValues[i];
  if (request.body != nullptr) out.body.assign(static_cast<const char*>(request.body), request.bodySize);
  return out;
}

void sendReply(OrthancPluginContext* context, OrthancPluginRestOutput* output, const HttpReply& reply) {
  if (reply.status == 200) {
    OrthancPluginAnswerBuffer(context, output, reply.body.data(), static_cast<uint32_t>(reply.body.size()),
                              reply.contentType.c_str());
    return;
  }
  OrthancPluginSetHttpHeader(context, output, "Content-Type", reply.contentType.c_str());
  OrthancPluginSendHttpStatus(context, output, static_cast<uint16_t>(reply.status), reply.body.data(),
                              static_cast<uint32_t>(reply.body.size()));
}

}  // namespace medvqa::plugin
