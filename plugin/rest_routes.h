#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "api/answer_api.h"
#include "orthanc_rest.h"
#include "rest_exchange.h"

namespace medvqa::plugin {

class PluginContext;

// The plugin's study parameter: an Orthanc study id (400 for anything else), resolved to its
// Study Instance UID and patient through Orthanc's REST API (404 "no study {id}" when Orthanc
// has none).
class OrthancStudies : public api::StudyDirectory {
 public:
  explicit OrthancStudies(const OrthancApi& api) : api_(api) {}
  api::StudyLookup find(const std::string& orthancStudyId) const override;

 private:
  const OrthancApi& api_;
};

// The /medvqa routes under Orthanc's HTTP server (and its authentication): core's answer routes
// (api::kAnswerRoutes, the node's JSON with Orthanc's study ids in the paths) under kRoutePrefix,
// then the one route only the plugin has (kPluginOnlyRoutes: its metrics; the node serves its
// own /metrics). plugin.cpp registers route i of kRouteCount with Orthanc.
inline constexpr std::string_view kRoutePrefix = "/medvqa";

// GET /medvqa/metrics: Prometheus text format 0.0.4.
HttpReply metricsRoute(PluginContext& plugin, const HttpRequest& request);

struct PluginRoute {
  std::string_view method;
  std::string_view pattern;  // Orthanc's route regex (Perl syntax), whole
  HttpReply (*handler)(PluginContext&, const HttpRequest&);
};
inline constexpr std::array<PluginRoute, 1> kPluginOnlyRoutes{{{"GET", "/medvqa/metrics", &metricsRoute}}};

inline constexpr std::size_t kRouteCount = api::kAnswerRoutes.size() + kPluginOnlyRoutes.size();

// Route `index` (< kRouteCount): its Orthanc regex and the one method it takes (others get 405).
const std::string& routePattern(std::size_t index);
std::string_view routeMethod(std::size_t index);
// Serves route `index`; never throws (errors are JSON replies).
HttpReply serveRoute(PluginContext& plugin, std::size_t index, const HttpRequest& request);

}  // namespace medvqa::plugin
