#include "rest_routes.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "common/error.h"
#include "plugin_context.h"

namespace medvqa::plugin {
namespace {

// The answer API as the plugin serves it, over the plugin's pipeline and Orthanc's studies.
api::AnswerApi answerApi(PluginContext& plugin, const OrthancStudies& studies) {
  return api::AnswerApi(api::AnswerApi::Parts{
      .pipeline = plugin.pipeline(),
      .unavailable = plugin.unavailable(),
      .studies = &studies,
      .modelFolder = plugin.config().modelFolder,
      .metrics = &plugin.metrics(),
      .audit = {plugin.audit(), plugin.config().aet},
  });
}

}  // namespace

api::StudyLookup OrthancStudies::find(const std::string& orthancStudyId) const {
  if (!isOrthancId(orthancStudyId)) {
    throw Error(ErrorCode::InvalidArgument, "'" + orthancStudyId.substr(0, 64) + "' is not an Orthanc study id");
  }
  const auto study = api_.getJson("/studies/" + orthancStudyId);
  const auto tags = [&](const char* group) {
    return study && study->is_object() ? study->value(group, nlohmann::json::object()) : nlohmann::json::object();
  };
  const nlohmann::json main = tags("MainDicomTags"), patient = tags("PatientMainDicomTags");
  const std::string uid = main.value("StudyInstanceUID", "");
  if (uid.empty()) throw Error(ErrorCode::NotFound, "no study " + orthancStudyId);
  return {uid, audit::StudyRef{uid, patient.value("PatientID", ""), patient.value("PatientName", ""),
                               main.value("AccessionNumber", "")}};
}

HttpReply metricsRoute(PluginContext& plugin, const HttpRequest&) {
  return {200, plugin.scrape(), "text/plain; version=0.0.4"};
}

const std::string& routePattern(std::size_t index) {
  static const std::vector<std::string> patterns = [] {
    std::vector<std::string> out;
    for (const auto& route : api::kAnswerRoutes) out.push_back(std::string(kRoutePrefix) + std::string(route.pattern));
    for (const auto& route : kPluginOnlyRoutes) out.emplace_back(route.pattern);
    return out;
  }();
  return patterns.at(index);
}

std::string_view routeMethod(std::size_t index) {
  if (index < api::kAnswerRoutes.size()) return api::kAnswerRoutes[index].method;
  return kPluginOnlyRoutes.at(index - api::kAnswerRoutes.size()).method;
}

HttpReply serveRoute(PluginContext& plugin, std::size_t index, const HttpRequest& request) {
  if (index < api::kAnswerRoutes.size()) {
    const OrthancStudies studies(plugin.api());
    return api::call(answerApi(plugin, studies), api::kAnswerRoutes[index], request);
  }
  const PluginRoute& route = kPluginOnlyRoutes.at(index - api::kAnswerRoutes.size());
  return protect([&] { return route.handler(plugin, request); });
}

}  // namespace medvqa::plugin
