#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "config/node_config.h"
#include "pipeline/delivery_outcomes.h"
#include "pipeline/delivery_queue.h"
#include "s3/bucket_uploader.h"

namespace medvqa::metrics {
class Metrics;
}
namespace medvqa::audit {
class AuditTrail;
}

namespace medvqa::pipeline {

// What the sender needs to put an instance on the wire.
struct OutgoingFile {
  std::filesystem::path path;
  std::string sopClassUid;
  std::string transferSyntaxUid;
  std::string studyInstanceUid;   // with the series UID, the object key in a bucket
  std::string seriesInstanceUid;
  std::string patientId;          // for the audit trail; empty when unknown
};

// Drains the DeliveryQueue: C-STOREs each due SR to its destination, one association per
// destination per pass, or uploads it to its S3 bucket ("s3:<name>" destinations), and records
// the outcome (sent, or failed with the peer's status, S3's error or the network error and a
// later retry). Runs on its own thread; wake() after adding entries. With an audit trail, each
// pass records per study and destination what went (DICOM Instances Transferred to a peer, Export
// to a bucket), with outcome 8 when anything failed.
class DeliverySender {
 public:
  using Resolver = std::function<std::optional<OutgoingFile>(const std::string& sopInstanceUid)>;

  DeliverySender(DeliveryQueue& queue, std::map<std::string, config::DicomPeer> destinations,
                 const std::vector<s3::S3Destination>& buckets, std::string callingAet, unsigned timeoutSeconds,
                 Resolver resolve, metrics::Metrics* metrics = nullptr, audit::AuditTrail* audit = nullptr);
  ~DeliverySender();
  DeliverySender(const DeliverySender&) = delete;
  DeliverySender& operator=(const DeliverySender&) = delete;

  void start();
  void wake();
  // One pass over what is due now; returns how many were sent. The thread calls it.
  std::size_t sendDue();

 private:
  void loop();
  std::size_t sendTo(const config::DicomPeer& peer, const std::vector<Delivery>& batch);
  std::size_t uploadTo(const s3::S3Destination& bucket, const std::vector<Delivery>& batch);
  DeliveryQueue& queue_;
  DeliveryOutcomes outcomes_;
  std::map<std::string, config::DicomPeer> destinations_;
  std::string callingAet_;
  unsigned timeoutSeconds_;
  Resolver resolve_;
  audit::AuditTrail* audit_;
  s3::BucketUploader buckets_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace medvqa::pipeline
