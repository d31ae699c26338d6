#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "orthanc_rest.h"
#include "pipeline/delivery_outcomes.h"
#include "pipeline/delivery_queue.h"
#include "s3/bucket_uploader.h"

namespace medvqa::metrics {
class Metrics;
}

namespace medvqa::plugin {

// Sends answer SRs on to DICOM modalities Orthanc knows (its "DicomModalities", named in the
// "MedVQA" section's "forward"), with Orthanc's own C-STORE SCU (POST /modalities/{name}/store),
// store-and-forward from the plugin's durable outbox: a modality that is down gets its SRs when it
// is back, after a restart too. Entries for a bucket ("s3:<name>", the section's "s3") are uploaded
// by core's BucketUploader under the node's object keys, with the bytes Orthanc stores. Records
// each outcome per destination in `metrics` when given. Its own thread; wake() after adding entries.
class OrthancForwarder {
 public:
  OrthancForwarder(const OrthancApi& api, pipeline::DeliveryQueue& outbox,
                   const std::vector<s3::S3Destination>& buckets = {}, metrics::Metrics* metrics = nullptr)
      : api_(api), outbox_(outbox), outcomes_(outbox, metrics), buckets_(buckets) {}
  ~OrthancForwarder();
  OrthancForwarder(const OrthancForwarder&) = delete;
  OrthancForwarder& operator=(const OrthancForwarder&) = delete;

  void start();
  void stop();
  void wake();
  // One pass over what is due now; returns how many went. The thread calls it.
  std::size_t sendDue();

 private:
  void send(const pipeline::Delivery& delivery);
  std::size_t upload(const std::string& destination, const std::vector<pipeline::Delivery>& batch);
  void loop();

  const OrthancApi& api_;
  pipeline::DeliveryQueue& outbox_;
  pipeline::DeliveryOutcomes outcomes_;
  s3::BucketUploader buckets_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace medvqa::plugin
