// The one outbox sender (core/pipeline/delivery_sender) with a fake transport, the seam both front
// doors plug their transports into: what each outcome does to the outbox and the metrics, a failed
// entry retried after its backoff, a destination no transport knows, and one audit message per
// study and destination, valid against the DICOM audit schema. The real transports are the
// integration, S3 and plugin tests' (test_answer_pipeline*, test_s3_export, test_plugin_*).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "audit/audit_sink.h"
#include "audit/audit_trail.h"
#include "audit_messages.h"
#include "metrics/metrics.h"
#include "pipeline/delivery_sender.h"
#include "prometheus_text.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::pipeline::Delivery;
using medvqa::pipeline::DeliveryQueue;
using medvqa::pipeline::DeliveryReport;
using medvqa::pipeline::DeliverySender;
using medvqa::pipeline::DeliveryState;
using medvqa::pipeline::DeliveryTarget;
using medvqa::pipeline::DeliveryTransport;
using medvqa::pipeline::OutgoingInstance;
using medvqa::pipeline::RetryPolicy;
using medvqa::test::AuditMessage;

namespace {

constexpr const char* kCt = "1.2.840.10008.5.1.4.1.1.2";
constexpr const char* kSr = "1.2.840.10008.5.1.4.1.1.88.33";

// Instance "<study>.<n>" belongs to study "<study>" of patient "P-<study>".
OutgoingInstance instanceOf(const std::string& sop) {
  const std::string study = sop.substr(0, sop.rfind('.'));
  return {sop.back() == '9' ? kSr : kCt, study, study + ".100", "P-" + study};
}

// A transport for every destination in `targets`. Instances in `refused` fail alone; `breakAfter`
// entries into a pass it throws (a peer that breaks mid-way) while `breaksLeft` lasts; instances in
// `missing` are not found.
class FakeTransport final : public DeliveryTransport {
 public:
  std::map<std::string, DeliveryTarget> targets;
  std::set<std::string> refused, missing;
  std::size_t breakAfter = 0;
  int breaksLeft = 0;

  std::optional<DeliveryTarget> target(const std::string& destination) const override {
    const auto it = targets.find(destination);
    if (it == targets.end()) return std::nullopt;
    return it->second;
  }

  void deliver(const std::string& destination, const std::vector<Delivery>& batch, DeliveryReport& report) override {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::string& sop = batch[i].sopInstanceUid;
      if (breaksLeft > 0 && i == breakAfter) {
        --breaksLeft;
        throw std::runtime_error("association aborted by " + destination);
      }
      tries_[sop]++;
      if (missing.count(sop)) {
        report.failed(i, "instance " + sop + " is no longer stored");
        continue;
      }
      report.resolved(i, instanceOf(sop));
      if (refused.count(sop)) {
        report.failed(i, destination + " answered C-STORE status 0xA700");
      } else {
        report.sent(i);
      }
    }
  }

  int tries(const std::string& sop) {
    std::lock_guard lock(mutex_);
    return tries_[sop];
  }

 private:
  std::mutex mutex_;
  std::map<std::string, int> tries_;
};

// Keeps every message the trail writes.
class MemorySink final : public medvqa::audit::AuditSink {
 public:
  explicit MemorySink(std::vector<std::string>& out) : out_(out) {}
  const char* name() const noexcept override { return "file"; }
  void write(const std::string& message) override { out_.push_back(message); }

 private:
  std::vector<std::string>& out_;
};

struct Fixture {
  explicit Fixture(const std::string& name, RetryPolicy policy = {.maxAttempts = 0, .initialBackoff = 60s})
      : dir(fs::temp_directory_path() / ("medvqa-sender-" + std::to_string(::getpid()) + "-" + name)),
        outbox((fs::remove_all(dir), fs::create_directories(dir), dir / "outbox.sqlite"), policy) {
    std::vector<std::unique_ptr<medvqa::audit::AuditSink>> sinks;
    sinks.push_back(std::make_unique<MemorySink>(messages));
    trail = std::make_unique<medvqa::audit::AuditTrail>(medvqa::audit::AuditSource{{}, "MEDVQA", "4"},
                                                        std::move(sinks));
    auto owned = std::make_unique<FakeTransport>();
    transport = owned.get();
    transport->targets = {{"PACS", {DeliveryTarget::Kind::Peer, "PACS", "10.0.0.7"}},
                          {"s3:archive", {DeliveryTarget::Kind::Bucket, "s3://medvqa/answers/", ""}}};
    std::vector<std::unique_ptr<DeliveryTransport>> transports;
    transports.push_back(std::move(owned));
    sender = std::make_unique<DeliverySender>(outbox, std::move(transports), "MEDVQA", &metrics, trail.get());
  }
  ~Fixture() {
    sender.reset();
    fs::remove_all(dir);
  }

  void add(const std::vector<std::string>& sops, const std::string& destination) {
    for (const auto& sop : sops) outbox.add(sop, destination, 0);
  }
  Delivery entry(const std::string& sop) const { return outbox.forInstance(sop).at(0); }
  double metric(const std::string& sample) const { return medvqa::test::sampleValue(metrics.exposition(), sample); }
  std::vector<AuditMessage> audit() const {
    std::vector<AuditMessage> out;
    for (const auto& m : messages) out.emplace_back(m);
    return out;
  }

  fs::path dir;
  DeliveryQueue outbox;
  medvqa::metrics::Metrics metrics;
  std::vector<std::string> messages;
  std::unique_ptr<medvqa::audit::AuditTrail> trail;
  FakeTransport* transport = nullptr;
  std::unique_ptr<DeliverySender> sender;
};

std::string objectId(const AuditMessage& m, const std::string& idTypeCode) {
  return m.text("/AuditMessage/ParticipantObjectIdentification[ParticipantObjectIDTypeCode/@csd-code='" + idTypeCode +
                "']/@ParticipantObjectID");
}

TEST(DeliverySender, EachOutcomeGoesToTheOutboxAndTheMetricsPerDestination) {
  Fixture f("outcomes");
  f.transport->refused = {"1.1.2"};
  f.transport->missing = {"1.1.3"};
  f.add({"1.1.1", "1.1.2", "1.1.3"}, "PACS");
  f.add({"1.1.1"}, "s3:archive");

  EXPECT_EQ(f.sender->sendDue(), 2u);
  EXPECT_EQ(f.entry("1.1.2").state, DeliveryState::Pending) << "a refusal is retried, never dropped";
  EXPECT_EQ(f.entry("1.1.2").attempts, 1);
  EXPECT_EQ(f.entry("1.1.2").lastError, "PACS answered C-STORE status 0xA700");
  EXPECT_EQ(f.entry("1.1.3").lastError, "instance 1.1.3 is no longer stored");
  for (const auto& d : f.outbox.forInstance("1.1.1")) EXPECT_EQ(d.state, DeliveryState::Sent) << d.destination;
  EXPECT_EQ(f.metric("medvqa_reports_sent_total{destination=\"PACS\"}"), 1.0);
  EXPECT_EQ(f.metric("medvqa_reports_sent_total{destination=\"s3:archive\"}"), 1.0);
  EXPECT_EQ(f.metric("medvqa_report_send_failures_total{destination=\"PACS\"}"), 2.0);
  EXPECT_EQ(f.sender->sendDue(), 0u) << "nothing is due again before its backoff";
}

TEST(DeliverySender, WhatABrokenPassDidNotSendIsRetriedAfterItsBackoff) {
  Fixture f("retry", {.maxAttempts = 0, .initialBackoff = 50ms, .maxBackoff = 50ms});
  f.transport->breakAfter = 1;
  f.transport->breaksLeft = 1;
  f.add({"2.1.1", "2.1.2", "2.1.3"}, "PACS");

  EXPECT_EQ(f.sender->sendDue(), 1u);
  EXPECT_EQ(f.entry("2.1.1").state, DeliveryState::Sent);
  for (const char* sop : {"2.1.2", "2.1.3"}) {
    EXPECT_EQ(f.entry(sop).state, DeliveryState::Pending);
    EXPECT_EQ(f.entry(sop).lastError, "association aborted by PACS");
  }

  // The worker retries once the backoff has passed, without being woken.
  f.sender->start();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (f.entry("2.1.3").state != DeliveryState::Sent && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  f.sender->stop();
  EXPECT_EQ(f.entry("2.1.2").state, DeliveryState::Sent);
  EXPECT_EQ(f.entry("2.1.3").state, DeliveryState::Sent);
  EXPECT_EQ(f.transport->tries("2.1.1"), 1) << "what went is not sent again";
  EXPECT_EQ(f.metric("medvqa_reports_sent_total{destination=\"PACS\"}"), 3.0);
}

TEST(DeliverySender, ADestinationNoTransportKnowsWaitsForTheConfiguration) {
  Fixture f("unknown");
  f.add({"3.1.1"}, "GONE");
  f.add({"3.1.2"}, "s3:gone");

  EXPECT_EQ(f.sender->sendDue(), 0u);
  EXPECT_EQ(f.transport->tries("3.1.1") + f.transport->tries("3.1.2"), 0);
  for (const char* sop : {"3.1.1", "3.1.2"}) {
    EXPECT_EQ(f.entry(sop).state, DeliveryState::Pending) << "kept, so that putting it back delivers it";
    EXPECT_NE(f.entry(sop).lastError.find("is not configured"), std::string::npos) << f.entry(sop).lastError;
  }
  EXPECT_EQ(f.metric("medvqa_report_send_failures_total{destination=\"GONE\"}"), 1.0);
  EXPECT_TRUE(f.messages.empty()) << "nothing went anywhere: nothing to audit";
}

TEST(DeliverySender, AuditsOneMessagePerStudyAndDestination) {
  Fixture f("audit");
  f.transport->refused = {"4.2.2"};
  f.transport->missing = {"4.3.1"};
  f.add({"4.1.1", "4.1.9", "4.2.1", "4.2.2", "4.3.1"}, "PACS");
  f.add({"4.1.1", "4.1.2"}, "s3:archive");
  f.sender->sendDue();

  const auto all = f.audit();
  for (const auto& m : all) EXPECT_EQ(m.schemaErrors(), "") << m.xml();
  std::map<std::string, const AuditMessage*> forwarded, exported;  // by study
  for (const auto& m : all) {
    ASSERT_EQ(m.action(), "R") << m.xml();
    (m.eventId() == "110104" ? forwarded : exported)[objectId(m, "110180")] = &m;
  }
  ASSERT_EQ(all.size(), 3u) << "study 4.3 had nothing found to send: nothing audited for it";
  ASSERT_EQ(forwarded.size(), 2u);
  ASSERT_EQ(exported.size(), 1u);

  const AuditMessage& study1 = *forwarded.at("4.1");
  EXPECT_EQ(study1.outcome(), "0");
  EXPECT_EQ(objectId(study1, "2"), "P-4.1");
  EXPECT_EQ(study1.text("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@UserID"), "PACS");
  EXPECT_EQ(study1.text("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@NetworkAccessPointID"),
            "10.0.0.7");
  EXPECT_EQ(study1.text("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@UserID"), "MEDVQA");
  EXPECT_EQ(study1.count("//SOPClass"), 2) << "a CT and an SR";

  const AuditMessage& study2 = *forwarded.at("4.2");
  EXPECT_EQ(study2.outcome(), "8");
  EXPECT_NE(study2.text("//EventOutcomeDescription").find("0xA700"), std::string::npos) << study2.xml();

  const AuditMessage& bucket = *exported.at("4.1");
  EXPECT_EQ(bucket.eventId(), "110106");
  EXPECT_EQ(bucket.outcome(), "0");
  EXPECT_NE(bucket.xml().find("s3://medvqa/answers/"), std::string::npos) << bucket.xml();
  EXPECT_EQ(bucket.text("//SOPClass/@NumberOfInstances"), "2");
}

}  // namespace
