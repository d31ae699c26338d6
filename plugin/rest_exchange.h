#pragma once

// One HTTP exchange between Orthanc and core's answer API (api/exchange.h): the plain request of
// Orthanc's C structures, and the plain reply written back. This file alone talks to Orthanc's
// output.

#include <orthanc/OrthancCPlugin.h>

#include "api/exchange.h"

namespace medvqa::plugin {

using HttpRequest = api::Request;
using HttpReply = api::Reply;
// Core's one translation of errors into statuses and of exceptions into replies.
using api::httpStatusFor;
using api::protect;

// Orthanc passes no caller (its own authentication is in front): the caller's roles are left
// unset, so no route role is checked here.
HttpRequest fromOrthanc(const OrthancPluginHttpRequest& request);
// 200 through OrthancPluginAnswerBuffer; any other status through OrthancPluginSendHttpStatus
// with the JSON body and its content type.
void sendReply(OrthancPluginContext* context, OrthancPluginRestOutput* output, const HttpReply& reply);

}  // namespace medvqa::plugin
