#include "orthanc_forwarder.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/error.h"
#include "common/log.h"

namespace medvqa::plugin {
OrthancForwarder::~OrthancForwarder() { stop(); }

void OrthancForwarder::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
}

void OrthancForwarder::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OrthancForwarder::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

std::size_t OrthancForwarder::sendDue() {
  std::size_t done = 0;
  std::map<std::string, std::vector<pipeline::Delivery>> forBuckets;
  for (auto& delivery : outbox_.due(nowUnixMs(), 64)) {
    if (s3::BucketUploader::isBucketDestination(delivery.destination)) {
      forBuckets[delivery.destination].push_back(std::move(delivery));
      continue;
    }
    try {
      send(delivery);
      outcomes_.sent(delivery);
      ++done;
    } catch (const std::exception& e) {
      // Down, refusing, unknown: retried after the outbox's backoff.
      outcomes_.failed(delivery, e.what());
      log::warn("forwarding SR " + delivery.sopInstanceUid + " to modality " + delivery.destination +
                " failed: " + e.what());
    }
  }
  for (const auto& [destination, batch] : forBuckets) done += upload(destination, batch);
  return done;
}

std::size_t OrthancForwarder::upload(const std::string& destination, const std::vector<pipeline::Delivery>& batch) {
  const s3::S3Destination* bucket = buckets_.find(destination);
  if (!bucket) {
    // Queued under an earlier configuration: kept, so that putting the bucket back delivers them.
    outcomes_.notConfigured(batch);
    log::warn(std::to_string(batch.size()) + " upload(s) to " + destination + ": not configured, retried later");
    return 0;
  }
  return s3::BucketUploader::uploadBatch(
      *bucket, batch.size(),
      [&](s3::S3Client& client, std::size_t i) {
        const std::string& sop = batch[i].sopInstanceUid;
        const auto instance = api_.lookupInstance(sop);
        if (!instance) throw Error(ErrorCode::NotFound, "instance " + sop + " is no longer in Orthanc");
        const auto bytes = api_.get("/instances/" + *instance + "/file");
        const auto series = api_.getJson("/instances/" + *instance + "/series");
        const auto study = api_.getJson("/instances/" + *instance + "/study");
        if (!bytes || !series || !study) throw Error(ErrorCode::NotFound, "instance " + sop + " is no longer in Orthanc");
        const s3::InstanceUids uids{(*study)["MainDicomTags"].value("StudyInstanceUID", ""),
                                    (*series)["MainDicomTags"].value("SeriesInstanceUID", ""), sop};
        s3::uploadInstanceBytes(client, uids, *bytes);
      },
      [&](std::size_t i, const std::string& error) {
        outcomes_.record(batch[i], error);
      });
}

void OrthancForwarder::send(const pipeline::Delivery& delivery) {
  const auto instance = api_.lookupInstance(delivery.sopInstanceUid);
  if (!instance) throw Error(ErrorCode::NotFound, "the SR is no longer in Orthanc");
  const nlohmann::json request = {{"Resources", {*instance}}, {"Synchronous", true}};
  // A synchronous store answers once the peer has answered every C-STORE; a refused association
  // or an unknown modality throws, a refused instance is counted in the answer.
  const auto answer = api_.postJson("/modalities/" + delivery.destination + "/store", request.dump());
  if (answer.value("FailedInstancesCount", 0) != 0) {
    throw Error(ErrorCode::Network, "modality " + delivery.destination + " refused the SR: " + answer.dump());
  }
}

void OrthancForwarder::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    std::int64_t waitMs = 5000;
    try {
      sendDue();
      if (const auto next = outbox_.nextDueAtMs()) waitMs = std::clamp<std::int64_t>(*next - nowUnixMs(), 0, 5000);
    } catch (const std::exception& e) {
      log::error(std::string("SR forwarding: ") + e.what());
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(waitMs), [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

}  // namespace medvqa::plugin
