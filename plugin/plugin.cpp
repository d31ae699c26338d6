// libOrthancMedVQA.so: Orthanc's four entry points and the C callbacks. Boundaries only: read the
// configuration, build the PluginContext, register the routes, the change callback and the
// Orthanc Explorer extension; translate each callback into one call on the context. No exception
// crosses into Orthanc.
#include <orthanc/OrthancCPlugin.h>

#include <memory>
#include <string>
#include <utility>

#include "explorer_js.h"
#include "plugin_config.h"
#include "plugin_context.h"
#include "rest_routes.h"

namespace {

using medvqa::plugin::PluginContext;

// The plugin's only global: everything it owns, from Initialize to Finalize. Orthanc's callbacks
// carry no user pointer, so they find it here.
std::unique_ptr<PluginContext> g_plugin;

OrthancPluginErrorCode onChange(OrthancPluginChangeType change, OrthancPluginResourceType, const char* resourceId) {
  try {
    switch (change) {
      case OrthancPluginChangeType_StableStudy: g_plugin->onStableStudy(resourceId); break;
      case OrthancPluginChangeType_OrthancStarted: g_plugin->start(); break;
      case OrthancPluginChangeType_OrthancStopped: g_plugin->stop(); break;
      default: break;
    }
    return OrthancPluginErrorCode_Success;
  } catch (const std::exception& e) {
    OrthancPluginLogError(g_plugin->api().context(), (std::string("MedVQA: ") + e.what()).c_str());
    return OrthancPluginErrorCode_Plugin;
  }
}

// One callback per route (Orthanc passes no user data): the route's index in rest_routes.h's
// list (core's answer routes under /medvqa, then the plugin's own) is its template argument.
template <std::size_t Index>
OrthancPluginErrorCode serve(OrthancPluginRestOutput* output, const char*, const OrthancPluginHttpRequest* request) {
  using namespace medvqa::plugin;
  OrthancPluginContext* context = g_plugin->api().context();
  try {
    const HttpRequest in = fromOrthanc(*request);
    const std::string method(routeMethod(Index));
    if (in.method != method) {
      OrthancPluginSendMethodNotAllowed(context, output, method.c_str());
      return OrthancPluginErrorCode_Success;
    }
    sendReply(context, output, serveRoute(*g_plugin, Index, in));
    return OrthancPluginErrorCode_Success;
  } catch (const std::exception& e) {
    OrthancPluginLogError(context, (std::string("MedVQA REST: ") + e.what()).c_str());
    return OrthancPluginErrorCode_InternalError;
  }
}

template <std::size_t... Index>
void registerRoutes(OrthancPluginContext* context, std::index_sequence<Index...>) {
  // NoLock: asked questions run at once, each on the Orthanc HTTP thread that received it.
  (OrthancPluginRegisterRestCallbackNoLock(context, medvqa::plugin::routePattern(Index).c_str(), &serve<Index>), ...);
}

}  // namespace

extern "C" {

ORTHANC_PLUGINS_API int32_t OrthancPluginInitialize(OrthancPluginContext* context) {
  if (!OrthancPluginCheckVersion(context)) {
    OrthancPluginLogError(context, "MedVQA needs Orthanc 1.10.1 or later");
    return -1;
  }
  try {
    OrthancPluginSetDescription(context, "MedVQA: visual question answering on stable studies, answers as DICOM SRs");
    g_plugin = std::make_unique<PluginContext>(context, medvqa::plugin::readPluginConfig(context));
    registerRoutes(context, std::make_index_sequence<medvqa::plugin::kRouteCount>{});
    OrthancPluginRegisterOnChangeCallback(context, onChange);
    OrthancPluginExtendOrthancExplorer(context, medvqa::plugin::kExplorerJavaScript);
    return 0;
  } catch (const std::exception& e) {
    // A bad "MedVQA" section stops Orthanc here, naming the key: better than a node that
    // silently answers nothing.
    OrthancPluginLogError(context, (std::string("MedVQA not started: ") + e.what()).c_str());
    g_plugin.reset();
    return -1;
  }
}

ORTHANC_PLUGINS_API void OrthancPluginFinalize() {
  g_plugin.reset();  // stops and joins every thread, closes the queue
}

ORTHANC_PLUGINS_API const char* OrthancPluginGetName() { return "medvqa"; }

ORTHANC_PLUGINS_API const char* OrthancPluginGetVersion() { return MEDVQA_VERSION; }

}  // extern "C"
