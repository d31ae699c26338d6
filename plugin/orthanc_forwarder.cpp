#include "orthanc_forwarder.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/log.h"

namespace medvqa::plugin {
namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

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
  std::size_t sent = 0;
  for (const auto& delivery : outbox_.due(nowMs(), 64)) {
    try {
      send(delivery);
      outbox_.markSent(delivery.id, nowMs());
      ++sent;
    } catch (const std::exception& e) {
      // Down, refusing, unknown: retried after the outbox's backoff.
      outbox_.markFailed(delivery.id, e.what(), nowMs());
      log::warn("forwarding SR " + delivery.sopInstanceUid + " to modality " + delivery.destination +
                " failed: " + e.what());
    }
  }
  return sent;
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
      if (const auto next = outbox_.nextDueAtMs()) waitMs = std::clamp<std::int64_t>(*next - nowMs(), 0, 5000);
    } catch (const std::exception& e) {
      log::error(std::string("SR forwarding: ") + e.what());
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(waitMs), [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

}  // namespace medvqa::plugin
