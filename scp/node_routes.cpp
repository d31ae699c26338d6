#include "node_routes.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "dicom/uid.h"
#include "index/index.h"

namespace medvqa::scp {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultPageSize = 100;
constexpr std::size_t kMaxPageSize = 1000;

template <typename T>
json orNull(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json seriesJson(const SeriesSummary& s) {
  return {{"series_uid", s.seriesUid},
          {"modality", s.modality},
          {"series_number", orNull(s.seriesNumber)},
          {"description", s.description},
          {"instances", s.numInstances}};
}

json studyJson(const StudySummary& s) {
  json j = {{"study_uid", s.studyUid},
            {"patient_id", s.patientId},
            {"patient_name", s.patientName},
            {"study_date", s.studyDate},
            {"description", s.studyDescription},
            {"accession_number", s.accession},
            {"modalities", s.modalities},
            {"series_count", s.numSeries},
            {"instance_count", s.numInstances},
            {"last_received_at_ms", s.lastReceivedAtMs},
            {"stable", s.stable},
            {"stable_at_ms", orNull(s.stableAtMs)}};
  if (!s.series.empty()) {
    json series = json::array();
    for (const auto& one : s.series) series.push_back(seriesJson(one));
    j["series"] = std::move(series);
  }
  return j;
}

std::size_t pageParam(const api::Request& request, const char* name, std::size_t fallback, std::size_t max) {
  const std::string* text = request.queryParam(name);
  if (!text) return fallback;
  if (text->empty() || text->size() > 9 || text->find_first_not_of("0123456789") != std::string::npos) {
    throw Error(ErrorCode::InvalidArgument, std::string("query parameter '") + name + "' must be a number");
  }
  return std::min<std::size_t>(std::stoul(*text), max);
}

// A probe the node was started without: as if the route did not exist.
api::Reply noSuchRoute() {
  return api::Reply::error(404, "no such route");
}

}  // namespace

api::Reply NodeRoutes::health(const api::Request&) const {
  return api::Reply::json(200, json{{"status", "ok"}});
}

api::Reply NodeRoutes::readiness(const api::Request&) const {
  if (!probes_.readiness) return noSuchRoute();
  json checks = json::object();
  bool ready = true;
  for (const auto& [name, state] : probes_.readiness()) {
    checks[name] = state;
    ready = ready && state == "ok";
  }
  return api::Reply::json(ready ? 200 : 503, json{{"ready", ready}, {"checks", checks}});
}

api::Reply NodeRoutes::metrics(const api::Request&) const {
  if (!probes_.metrics) return noSuchRoute();
  return {200, probes_.metrics(), "text/plain; version=0.0.4"};
}

api::Reply NodeRoutes::studies(const api::Request& request) const {
  const std::size_t limit = pageParam(request, "limit", kDefaultPageSize, kMaxPageSize);
  const std::size_t offset = pageParam(request, "offset", 0, SIZE_MAX);
  json studies = json::array();
  for (const auto& s : index_.studies(limit, offset)) studies.push_back(studyJson(s));
  return api::Reply::json(200, json{{"studies", std::move(studies)}, {"limit", limit}, {"offset", offset}});
}

api::Reply NodeRoutes::study(const api::Request& request) const {
  const std::string uid = dicom::requireUid(request.pathParams.at(0), "Study Instance UID");
  const auto study = index_.study(uid);
  if (!study) return api::Reply::error(404, "no study " + uid);
  return api::Reply::json(200, studyJson(*study));
}

}  // namespace medvqa::scp
