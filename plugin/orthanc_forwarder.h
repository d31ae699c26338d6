#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

#include "orthanc_rest.h"
#include "pipeline/delivery_queue.h"

namespace medvqa::plugin {

// Sends answer SRs on to DICOM modalities Orthanc knows (its "DicomModalities", named in the
// "MedVQA" section's "forward"), with Orthanc's own C-STORE SCU (POST /modalities/{name}/store),
// store-and-forward from the plugin's durable outbox: a modality that is down gets its SRs when it
// is back, after a restart too. Its own thread; wake() after adding entries.
class OrthancForwarder {
 public:
  OrthancForwarder(const OrthancApi& api, pipeline::DeliveryQueue& outbox) : api_(api), outbox_(outbox) {}
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
  void loop();

  const OrthancApi& api_;
  pipeline::DeliveryQueue& outbox_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace medvqa::plugin
