#include "orthanc_transport.h"

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "s3/bucket_uploader.h"

namespace medvqa::plugin {

std::optional<OrthancInstance> findOrthancInstance(const OrthancApi& api, const std::string& sopInstanceUid) {
  const auto id = api.lookupInstance(sopInstanceUid);
  if (!id) return std::nullopt;
  const std::string uri = "/instances/" + *id;
  const auto study = api.getJson(uri + "/study");
  const auto series = api.getJson(uri + "/series");
  if (!study || !series) return std::nullopt;  // deleted meanwhile
  // Orthanc keeps each instance's SOP Class UID as metadata; an instance without it is still sent.
  const std::string sopClass = api.get(uri + "/metadata/SopClassUid").value_or("");
  return OrthancInstance{*id,
                         {sopClass, (*study)["MainDicomTags"].value("StudyInstanceUID", ""),
                          (*series)["MainDicomTags"].value("SeriesInstanceUID", ""),
                          (*study)["PatientMainDicomTags"].value("PatientID", "")}};
}

pipeline::UploadReader orthancUploads(const OrthancApi& api) {
  return [&api](const std::string& sopInstanceUid) -> std::optional<pipeline::Upload> {
    const auto found = findOrthancInstance(api, sopInstanceUid);
    if (!found) return std::nullopt;
    auto bytes = api.get("/instances/" + found->id + "/file");
    if (!bytes) return std::nullopt;
    return pipeline::Upload{found->instance, std::move(*bytes)};
  };
}

std::optional<pipeline::DeliveryTarget> OrthancModalityTransport::target(const std::string& destination) const {
  if (s3::BucketUploader::isBucketDestination(destination)) return std::nullopt;
  // Asked each pass: a modality added through Orthanc's REST API counts at once.
  const auto modalities = api_.getJson("/modalities?expand");
  if (!modalities || !modalities->is_object() || !modalities->contains(destination)) return std::nullopt;
  const nlohmann::json& modality = (*modalities)[destination];
  return pipeline::DeliveryTarget{pipeline::DeliveryTarget::Kind::Peer, modality.value("AET", destination),
                                  modality.value("Host", "")};
}

void OrthancModalityTransport::deliver(const std::string& destination, const std::vector<pipeline::Delivery>& batch,
                                       pipeline::DeliveryReport& report) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    try {
      const auto found = findOrthancInstance(api_, batch[i].sopInstanceUid);
      if (!found) {
        report.failed(i, "instance " + batch[i].sopInstanceUid + " is no longer in Orthanc");
        continue;
      }
      report.resolved(i, found->instance);
      const nlohmann::json request = {{"Resources", {found->id}}, {"Synchronous", true}};
      // A synchronous store answers once the peer has answered the C-STORE; a refused association
      // throws, a refused instance is counted in the answer.
      const auto answer = api_.postJson("/modalities/" + destination + "/store", request.dump());
      if (answer.value("FailedInstancesCount", 0) != 0) {
        report.failed(i, "modality " + destination + " refused the instance: " + answer.dump());
      } else {
        report.sent(i);
      }
    } catch (const std::exception& e) {
      // Down or refusing: retried after the outbox's backoff, as each entry is on its own.
      report.failed(i, e.what());
      log::warn("forwarding " + batch[i].sopInstanceUid + " to modality " + destination + " failed: " + e.what());
    }
  }
}

}  // namespace medvqa::plugin
