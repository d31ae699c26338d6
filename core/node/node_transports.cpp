#include "node/node_transports.h"

#include "index/index.h"
#include "pipeline/s3_transport.h"
#include "store/file_store.h"

namespace medvqa::node {

std::vector<std::unique_ptr<pipeline::DeliveryTransport>> nodeTransports(const Index& index,
                                                                         const store::FileStore& files,
                                                                         NodeDestinations destinations,
                                                                         bool withPatient) {
  auto resolve = [&index, &files, withPatient](const std::string& sop) -> std::optional<pipeline::OutgoingFile> {
    const auto instance = index.findInstance(sop);
    if (!instance) return std::nullopt;
    std::string patient;
    if (withPatient) {
      if (const auto study = index.study(instance->studyUid)) patient = study->patientId;
    }
    return pipeline::OutgoingFile{
        files.absolute(instance->relPath),
        instance->transferSyntaxUid,
        {instance->sopClassUid, instance->studyUid, instance->seriesUid, std::move(patient)}};
  };
  std::vector<std::unique_ptr<pipeline::DeliveryTransport>> out;
  out.push_back(std::make_unique<pipeline::S3Transport>(
      destinations.buckets, [resolve](const std::string& sop) -> std::optional<pipeline::Upload> {
        auto file = resolve(sop);
        if (!file) return std::nullopt;
        return pipeline::Upload{std::move(file->instance), std::move(file->path)};
      }));
  out.push_back(std::make_unique<pipeline::StoreTransport>(std::move(destinations.peers), destinations.callingAet,
                                                           destinations.timeoutSeconds, resolve));
  return out;
}

}  // namespace medvqa::node
