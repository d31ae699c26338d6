#include "rest_exchange.h"

#include <string_view>

#include "auth/basic_auth.h"

namespace medvqa::plugin {
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
  for (uint32_t i = 0; i < request.groupsCount; ++i) out.pathParams.emplace_back(request.groups[i]);
  for (uint32_t i = 0; i < request.getCount; ++i) out.query.emplace(request.getKeys[i], request.getValues[i]);
  if (request.body != nullptr) out.body.assign(static_cast<const char*>(request.body), request.bodySize);
  // Orthanc authenticated the request before calling the plugin and does not say who made it;
  // with its Basic authentication the header still names the user, for the audit trail.
  for (uint32_t i = 0; i < request.headersCount; ++i) {
    if (std::string_view(request.headersKeys[i]) != "authorization") continue;
    if (const auto user = auth::basicAuthUser(request.headersValues[i])) out.caller.subject = *user;
  }
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
