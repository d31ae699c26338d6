#include "pipeline/delivery_sender.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

#include "audit/audit_trail.h"
#include "audit/dicom_events.h"
#include "common/clock.h"
#include "common/log.h"

namespace medvqa::pipeline {
namespace {

// One batch's outcomes as its transport reports them: into the outbox and the metrics at once,
// and by study for the audit trail: one message per study, not one per instance (a bucket that
// keeps source studies gets every instance of each). The first outcome of an entry counts.
class BatchReport final : public DeliveryReport {
 public:
  BatchReport(DeliveryOutcomes& outcomes, const std::vector<Delivery>& batch)
      : outcomes_(outcomes), batch_(batch), instances_(batch.size()), reported_(batch.size(), false) {}

  void resolved(std::size_t index, const OutgoingInstance& instance) override { instances_.at(index) = instance; }

  void sent(std::size_t index) override {
    if (!claim(index)) return;
    outcomes_.sent(batch_[index]);
    tally(index, true, {});
    ++sent_;
  }

  void failed(std::size_t index, const std::string& why) override {
    if (!claim(index)) return;
    outcomes_.failed(batch_[index], why);
    tally(index, false, why);
  }

  // Fails every entry without an outcome yet: the transport stopped (threw) before reaching it.
  void failUnreported(const std::string& why) {
    for (std::size_t i = 0; i < batch_.size(); ++i) failed(i, why);
  }

  std::size_t sentCount() const { return sent_; }

  // `make(study, counts, outcomeDescription)` builds each study's event.
  template <typename MakeEvent>
  void audit(audit::AuditTrail* trail, MakeEvent make) const {
    if (!trail) return;
    for (const auto& [study, counts] : tally_.studies()) {
      const audit::StudyRef ref{study, patients_.at(study), {}, {}};
      const std::string why =
          counts.failed ? audit::failureSummary(counts, "transfers") + "; first: " + firstError_ : "";
      trail->record(make(ref, counts, why));
    }
  }

 private:
  bool claim(std::size_t index) {
    if (reported_.at(index)) return false;
    reported_[index] = true;
    return true;
  }

  // An entry whose instance was never found (no longer stored) has no study to audit against.
  void tally(std::size_t index, bool ok, const std::string& why) {
    const auto& instance = instances_[index];
    if (!instance) return;
    tally_.add(instance->studyInstanceUid, instance->sopClassUid, ok);
    patients_.emplace(instance->studyInstanceUid, instance->patientId);
    if (!ok && firstError_.empty()) firstError_ = why;
  }

  DeliveryOutcomes& outcomes_;
  const std::vector<Delivery>& batch_;
  std::vector<std::optional<OutgoingInstance>> instances_;
  std::vector<bool> reported_;
  std::size_t sent_ = 0;
  audit::StudyTally tally_;
  std::map<std::string, std::string> patients_;  // study -> patient ID
  std::string firstError_;
};

}  // namespace

DeliverySender::DeliverySender(DeliveryQueue& queue, std::vector<std::unique_ptr<DeliveryTransport>> transports,
                               std::string nodeAet, metrics::Metrics* metrics, audit::AuditTrail* audit,
                               std::size_t entriesPerPass)
    : queue_(queue),
      outcomes_(queue, metrics),
      transports_(std::move(transports)),
      nodeAet_(std::move(nodeAet)),
      audit_(audit),
      entriesPerPass_(entriesPerPass),
      worker_("delivery sender", [this](const std::stop_token&) {
        sendDue();
        // Until the next entry falls due (at most a few seconds), or until woken.
        std::int64_t waitMs = 5000;
        if (const auto next = queue_.nextDueAtMs()) waitMs = std::clamp<std::int64_t>(*next - nowUnixMs(), 0, 5000);
        return std::chrono::milliseconds(waitMs);
      }) {}

std::size_t DeliverySender::sendDue() {
  std::map<std::string, std::vector<Delivery>> byDestination;
  for (Delivery& d : queue_.due(nowUnixMs(), entriesPerPass_)) byDestination[d.destination].push_back(std::move(d));
  std::size_t delivered = 0;
  for (const auto& [destination, batch] : byDestination) {
    bool known = false;
    for (const auto& transport : transports_) {
      if (const auto target = transport->target(destination)) {
        delivered += deliver(*transport, *target, destination, batch);
        known = true;
        break;
      }
    }
    if (!known) {
      outcomes_.notConfigured(batch);
      log::warn(std::to_string(batch.size()) + " delivery(ies) to " + destination + ": not configured, retried later");
    }
  }
  return delivered;
}

std::size_t DeliverySender::deliver(DeliveryTransport& transport, const DeliveryTarget& target,
                                    const std::string& destination, const std::vector<Delivery>& batch) {
  BatchReport report(outcomes_, batch);
  try {
    transport.deliver(destination, batch, report);
    report.failUnreported("not delivered (no outcome reported)");
  } catch (const std::exception& e) {
    // Down, refusing, or broke mid-way: what was not marked sent is retried after its backoff.
    report.failUnreported(e.what());
    log::warn("delivery to " + destination + (target.host.empty() ? "" : " (" + target.host + ")") +
              " failed, retried later: " + e.what());
  }
  if (target.kind == DeliveryTarget::Kind::Peer) {
    report.audit(audit_, [&](const audit::StudyRef& study, const audit::StudyTally::Counts& counts,
                             const std::string& why) {
      return audit::reportsForwarded(nodeAet_, {target.name, target.host}, study, counts, why);
    });
  } else {
    report.audit(audit_, [&](const audit::StudyRef& study, const audit::StudyTally::Counts& counts,
                             const std::string& why) {
      return audit::dataExported(nodeAet_, target.name, study, counts, why);
    });
  }
  return report.sentCount();
}

}  // namespace medvqa::pipeline
