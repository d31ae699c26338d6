#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/worker.h"
#include "imaging/study_images.h"
#include "pipeline/answering_config.h"
#include "pipeline/delivery_queue.h"
#include "pipeline/job_queue.h"
#include "pipeline/study_source.h"
#include "vqa/answer.h"

class DcmDataset;

namespace medvqa::vqa {
class Engine;
}
namespace medvqa::sr {
struct ReportUids;
struct InstanceReference;
}
namespace medvqa::audit {
class AuditTrail;
}

namespace medvqa::pipeline {

struct AdHocAnswer {
  vqa::Answer answer;
  std::string srSopInstanceUid;  // set when an SR was asked for
};

// What happened when a study went stable.
enum class StableDecision {
  Queued,           // a job was created
  AlreadyAnswered,  // the same contents were already queued or answered (restart, resend)
  NoRule,           // no rule matches the study
  Waiting,          // a required series is missing; checked again until the rule's timeout
  Discarded,        // still incomplete at the timeout, and the rule says discard
  Unknown,          // the study is not (or no longer) in the store
  Disabled,         // answering is off
};
const char* toString(StableDecision decision) noexcept;

// The state of a study's answers, for the APIs.
struct StudyAnswers {
  std::string state;  // no-rule | waiting | discarded | pending | running | done | failed | unknown
  std::string rule;
  std::optional<Job> job;                 // the latest job, if any
  std::vector<vqa::Answer> answers;       // once done
  std::string srSopInstanceUid;
};

// Stable study -> rule -> durable job -> engine -> SR -> back into the store and out to the
// destinations. One class for both front doors: they give it a StudySource and a ReportSink.
//
// Workers claim jobs from the JobQueue (a crashed worker's lease expires and another takes
// it). Each job's SR gets UIDs derived from the job's key, so a job retried after its SR was
// already stored rewrites the same instance instead of adding a second SR.
class AnswerPipeline {
 public:
  struct Parts {
    AnsweringConfig config;
    JobQueue& jobs;
    DeliveryQueue* outbox = nullptr;  // null: no forwarding (C-STORE destinations, S3 buckets)
    StudySource& source;
    ReportSink& sink;
    std::shared_ptr<vqa::Engine> engine;
    std::filesystem::path scratch;    // a folder for materialised studies (emptied per job)
    std::string deviceObserverUid;    // stable per node (the SR's Device Observer UID)
    std::function<void()> onDeliveriesAdded;  // wakes the sender
    audit::AuditTrail* audit = nullptr;       // each SR written (DICOM Instances Accessed, C); null: off
  };

  explicit AnswerPipeline(Parts parts);
  ~AnswerPipeline();
  AnswerPipeline(const AnswerPipeline&) = delete;
  AnswerPipeline& operator=(const AnswerPipeline&) = delete;

  // Starts the workers and the sweeper that re-checks waiting studies.
  void start();
  void stop();

  StableDecision onStudyStable(const std::string& studyUid);
  // Claims and runs one due job on the calling thread; false when none was due (tests, benches).
  bool runOneJob(const std::string& worker);
  // Re-checks the studies waiting for a required series (the sweeper calls it every few seconds).
  void checkWaiting();

  StudyAnswers answersFor(const std::string& studyUid);
  // An ad-hoc question, answered now on the calling thread; with writeSr also stored as an SR
  // (and forwarded). Error(NotFound) for an unknown study or one without images,
  // Error(InvalidArgument) for an empty question.
  AdHocAnswer ask(const std::string& studyUid, const std::string& question, bool writeSr);
  // Re-runs the rules now, whatever was answered before (a new job under a fresh key).
  StableDecision answerNow(const std::string& studyUid);
  const AnsweringConfig& config() const { return parts_.config; }
  const JobQueue& jobs() const { return parts_.jobs; }
  const DeliveryQueue* outbox() const { return parts_.outbox; }
  vqa::Engine& engine() { return *parts_.engine; }

 private:
  struct Waiting {
    std::string studyUid;
    std::int64_t sinceMs;
  };
  StableDecision decide(const std::string& studyUid, std::int64_t stableSinceMs, const std::string& extraKey);
  void process(const Job& job, const std::string& worker);
  std::string runJob(const Job& job, const Rule& rule);  // returns the result JSON; throws on failure
  std::filesystem::path nextScratch(const std::string& name);
  imaging::StudyImages loadStudy(const std::string& studyUid, const std::filesystem::path& folder);
  void storeReport(const imaging::StudyImages& study, const std::vector<vqa::Answer>& answers, const sr::ReportUids& uids,
                   const std::optional<sr::InstanceReference>& predecessor, const std::string& parameter);
  void queueDeliveries(const std::string& studyUid, const std::string& srSopInstanceUid);
  void auditReport(DcmDataset& report, bool stored, const std::string& problem);
  const Rule* ruleNamed(const std::string& ruleSetKey) const;
  std::chrono::milliseconds workerPass(const std::string& name);
  std::chrono::milliseconds sweeperPass();

  Parts parts_;
  std::mutex mutex_;
  std::vector<Waiting> waiting_;  // guarded by mutex_
  // Answer workers, then the sweeper: made in the constructor and never changed after, so
  // decide() may wake them from any thread, before start() and after stop() too.
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<std::uint64_t> scratchCounter_{0};
};

}  // namespace medvqa::pipeline
