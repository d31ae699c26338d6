#pragma once

#include <optional>
#include <string>
#include <vector>

#include "orthanc_rest.h"
#include "pipeline/delivery_transport.h"
#include "pipeline/s3_transport.h"

namespace medvqa::plugin {

// An instance Orthanc stores, as the outbox sender's transports need it: its Orthanc id and who
// it is about. nullopt when Orthanc does not have it (any more).
struct OrthancInstance {
  std::string id;
  pipeline::OutgoingInstance instance;
};
std::optional<OrthancInstance> findOrthancInstance(const OrthancApi& api, const std::string& sopInstanceUid);

// The S3 transport's byte source in the plugin: the Part 10 file Orthanc stores.
pipeline::UploadReader orthancUploads(const OrthancApi& api);

// C-STOREs to the modalities of Orthanc's "DicomModalities" (named in the "MedVQA" section's
// "forward") with Orthanc's own C-STORE SCU: POST /modalities/{name}/store, synchronous, one
// instance per request so that a refused instance fails alone. A name Orthanc does not know is
// not one of this transport's destinations (the sender keeps its entries for a later
// configuration).
class OrthancModalityTransport final : public pipeline::DeliveryTransport {
 public:
  explicit OrthancModalityTransport(const OrthancApi& api) : api_(api) {}

  std::optional<pipeline::DeliveryTarget> target(const std::string& destination) const override;
  void deliver(const std::string& destination, const std::vector<pipeline::Delivery>& batch,
               pipeline::DeliveryReport& report) override;

 private:
  const OrthancApi& api_;
};

}  // namespace medvqa::plugin
