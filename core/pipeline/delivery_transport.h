#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/delivery_queue.h"

namespace medvqa::pipeline {

// Who an outgoing instance is about: what the audit trail names (study, patient, SOP class) and
// what a bucket files it under (study and series).
struct OutgoingInstance {
  std::string sopClassUid;
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  std::string patientId;  // empty when unknown
};

// A destination as its audit messages name it: a DICOM peer (DICOM Instances Transferred to its
// AE title at its host) or a bucket (Export to its URI, s3://bucket/prefix).
struct DeliveryTarget {
  enum class Kind { Peer, Bucket };
  Kind kind = Kind::Peer;
  std::string name;  // the peer's AE title, or the bucket's URI
  std::string host;  // the peer's host; empty for a bucket
};

// What a transport tells the sender about each entry of a batch, by its index in the batch. The
// sender records the outcomes (outbox, metrics) and the audit trail from it.
class DeliveryReport {
 public:
  virtual ~DeliveryReport() = default;
  // The entry's instance was found (so an outcome can be audited against its study).
  virtual void resolved(std::size_t index, const OutgoingInstance& instance) = 0;
  virtual void sent(std::size_t index) = 0;
  virtual void failed(std::size_t index, const std::string& why) = 0;
};

// One kind of destination the outbox sender delivers to: DICOM peers over C-STORE (the node's
// StoreClient, Orthanc's modalities), S3 buckets. The sender owns the loop, the grouping by
// destination, the outcomes, the metrics and the audit; a transport only puts entries on the wire.
class DeliveryTransport {
 public:
  virtual ~DeliveryTransport() = default;

  // The destination as this transport knows it; nullopt when it is not one of this transport's
  // (configured) destinations.
  virtual std::optional<DeliveryTarget> target(const std::string& destination) const = 0;

  // Delivers a batch of due entries, all for `destination`, reporting each outcome. An exception
  // fails every entry not yet reported (the destination is down or broke mid-way): they are
  // retried after their backoff.
  virtual void deliver(const std::string& destination, const std::vector<Delivery>& batch, DeliveryReport& report) = 0;
};

}  // namespace medvqa::pipeline
