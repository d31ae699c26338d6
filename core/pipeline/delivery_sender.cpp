#include "pipeline/delivery_sender.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "audit/audit_trail.h"
#include "audit/dicom_events.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/log.h"
#include "net/store_client.h"
#include "s3/bucket_uploader.h"

namespace medvqa::pipeline {
namespace {

std::string hex(std::uint16_t status) {
  static const char* digits = "0123456789ABCDEF";
  std::string out = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(status >> shift) & 0xF];
  return out;
}

bool isSuccessOrWarning(std::uint16_t status) {
  return status == 0x0000 || status == 0x0107 || status == 0x0116 || (status & 0xF000) == 0xB000;
}

// What one pass sent to one destination, by study: one audit message per study, not one per
// instance (a bucket that keeps source studies gets every instance of each).
class DeliveryAudit {
 public:
  void add(const OutgoingFile& file, bool ok, const std::string& why = {}) {
    tally_.add(file.studyInstanceUid, file.sopClassUid, ok);
    patients_.emplace(file.studyInstanceUid, file.patientId);
    if (!ok && firstError_.empty()) firstError_ = why;
  }

  // `make(study, counts, outcomeDescription)` builds each study's event.
  template <typename MakeEvent>
  void record(audit::AuditTrail* trail, MakeEvent make) const {
    if (!trail) return;
    for (const auto& [study, counts] : tally_.studies()) {
      const audit::StudyRef ref{study, patients_.at(study), {}, {}};
      const std::string why = counts.failed ? audit::failureSummary(counts, "transfers") + "; first: " + firstError_ : "";
      trail->record(make(ref, counts, why));
    }
  }

 private:
  audit::StudyTally tally_;
  std::map<std::string, std::string> patients_;  // study -> patient ID
  std::string firstError_;
};

}  // namespace

DeliverySender::DeliverySender(DeliveryQueue& queue, std::map<std::string, config::DicomPeer> destinations,
                               const std::vector<s3::S3Destination>& buckets, std::string callingAet,
                               unsigned timeoutSeconds, Resolver resolve, metrics::Metrics* metrics,
                               audit::AuditTrail* audit)
    : queue_(queue),
      outcomes_(queue, metrics),
      destinations_(std::move(destinations)),
      callingAet_(std::move(callingAet)),
      timeoutSeconds_(timeoutSeconds),
      resolve_(std::move(resolve)),
      audit_(audit),
      buckets_(buckets) {}

DeliverySender::~DeliverySender() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliverySender::start() { thread_ = std::thread([this] { loop(); }); }

void DeliverySender::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

std::size_t DeliverySender::sendDue() {
  std::map<std::string, std::vector<Delivery>> byDestination;
  for (Delivery& d : queue_.due(nowUnixMs(), 256)) byDestination[d.destination].push_back(std::move(d));
  std::size_t delivered = 0;
  for (const auto& [aet, batch] : byDestination) {
    if (const auto* bucket = buckets_.find(aet)) {
      delivered += uploadTo(*bucket, batch);
      continue;
    }
    const auto peer = destinations_.find(aet);
    if (peer == destinations_.end()) {
      outcomes_.notConfigured(batch);
      continue;
    }
    delivered += sendTo(peer->second, batch);
  }
  return delivered;
}

std::size_t DeliverySender::sendTo(const config::DicomPeer& peer, const std::vector<Delivery>& batch) {
  std::vector<std::pair<const Delivery*, OutgoingFile>> files;
  std::set<net::SyntaxPair> pairs;
  for (const auto& d : batch) {
    auto file = resolve_(d.sopInstanceUid);
    if (!file) {
      outcomes_.failed(d, "instance " + d.sopInstanceUid + " is no longer stored");
      continue;
    }
    pairs.insert({file->sopClassUid, file->transferSyntaxUid});
    files.emplace_back(&d, std::move(*file));
  }
  if (files.empty()) return 0;
  std::size_t delivered = 0;
  DeliveryAudit audited;
  try {
    net::StoreClient client(peer, callingAet_, timeoutSeconds_);
    client.connect(pairs);
    for (const auto& [delivery, file] : files) {
      const std::uint16_t status = client.send(file.path, {file.sopClassUid, file.transferSyntaxUid});
      if (isSuccessOrWarning(status)) {
        outcomes_.sent(*delivery);
        audited.add(file, true);
        ++delivered;
      } else {
        const std::string why = peer.aet + " answered C-STORE status " + hex(status);
        outcomes_.failed(*delivery, why);
        audited.add(file, false, why);
      }
    }
  } catch (const std::exception& e) {
    // Down, refusing, or broke mid-way: what was not marked sent is retried after its backoff.
    for (const auto& [delivery, file] : files) {
      const auto now = queue_.forInstance(delivery->sopInstanceUid);
      const bool alreadySent = std::any_of(now.begin(), now.end(), [&](const Delivery& d) {
        return d.id == delivery->id && d.state == DeliveryState::Sent;
      });
      if (!alreadySent) {
        outcomes_.failed(*delivery, e.what());
        audited.add(file, false, e.what());
      }
    }
    log::warn("forwarding to " + peer.aet + " (" + peer.host + ":" + std::to_string(peer.port) + ") failed: " + e.what());
  }
  audited.record(audit_, [&](const audit::StudyRef& study, const audit::StudyTally::Counts& counts, const std::string& why) {
    return audit::reportsForwarded(callingAet_, {peer.aet, peer.host}, study, counts, why);
  });
  return delivered;
}

std::size_t DeliverySender::uploadTo(const s3::S3Destination& bucket, const std::vector<Delivery>& batch) {
  std::vector<std::optional<OutgoingFile>> files(batch.size());
  DeliveryAudit audited;
  const std::size_t uploaded = s3::BucketUploader::uploadBatch(
      bucket, batch.size(),
      [&](s3::S3Client& client, std::size_t i) {
        files[i] = resolve_(batch[i].sopInstanceUid);
        if (!files[i]) throw Error(ErrorCode::NotFound, "instance " + batch[i].sopInstanceUid + " is no longer stored");
        s3::uploadInstance(client, {files[i]->studyInstanceUid, files[i]->seriesInstanceUid, batch[i].sopInstanceUid},
                           files[i]->path);
      },
      [&](std::size_t i, const std::string& error) {
        outcomes_.record(batch[i], error);
        if (files[i]) audited.add(*files[i], error.empty(), error);
      });
  const std::string uri = "s3://" + bucket.bucket + "/" + bucket.prefix;
  audited.record(audit_, [&](const audit::StudyRef& study, const audit::StudyTally::Counts& counts, const std::string& why) {
    return audit::dataExported(callingAet_, uri, study, counts, why);
  });
  return uploaded;
}

void DeliverySender::loop() {
  for (;;) {
    try {
      sendDue();
    } catch (const std::exception& e) {
      log::error(std::string("delivery sender: ") + e.what());
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    // Sleep until the next entry falls due (at most a few seconds), or until woken.
    std::int64_t waitMs = 5000;
    lock.unlock();
    if (const auto next = queue_.nextDueAtMs()) waitMs = std::clamp<std::int64_t>(*next - nowUnixMs(), 0, 5000);
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(waitMs), [this] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

}  // namespace medvqa::pipeline
