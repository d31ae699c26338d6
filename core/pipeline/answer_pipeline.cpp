#include "pipeline/answer_pipeline.h"
#include "pipeline/rule_questions.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <algorithm>
#include <iterator>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "audit/audit_trail.h"
#include "audit/dicom_events.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/log.h"
#include "dicom/uid.h"
#include "sr/report_uids.h"
#include "sr/sr_writer.h"
#include "vqa/engine.h"
#include "vqa/manifest.h"
#include "vqa/model.h"

namespace medvqa::pipeline {
namespace {

using nlohmann::json;

std::string keyText(const JobKey& key) {
  return key.studyUid + '|' + key.ruleSet + '|' + key.modelVersion + '|' + key.studyFingerprint;
}

// An SR's series and instance UIDs as a function of `identity`: the same identity (a job's key)
// always gives the same SR, so a retried job rewrites its SR instead of adding one.
sr::ReportUids reportUidsFor(const std::string& identity) {
  const std::uint64_t seed = dicom::uidSeed(identity);
  return {dicom::derivedUid(seed, "medvqa-sr-series"), dicom::derivedUid(seed, "medvqa-sr-instance")};
}

// Removes a folder and everything in it when the job is done with it, whatever happened.
class ScratchFolder {
 public:
  explicit ScratchFolder(std::filesystem::path path) : path_(std::move(path)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The headers (no pixel data) of the images the answers cite, keyed by SOP Instance UID.
std::vector<std::unique_ptr<DcmFileFormat>> citedHeaders(const std::vector<std::filesystem::path>& files,
                                                         const std::vector<vqa::Answer>& answers) {
  std::vector<std::string> cited;
  for (const auto& a : answers) cited.insert(cited.end(), a.sopInstanceUids.begin(), a.sopInstanceUids.end());
  std::vector<std::unique_ptr<DcmFileFormat>> headers;
  for (const auto& file : files) {
    auto ff = std::make_unique<DcmFileFormat>();
    if (ff->loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096, ERM_autoDetect).bad()) continue;
    OFString uid;
    ff->getDataset()->findAndGetOFString(DCM_SOPInstanceUID, uid);
    if (std::find(cited.begin(), cited.end(), uid.c_str()) == cited.end()) continue;
    ff->getDataset()->findAndDeleteElement(DCM_PixelData);
    headers.push_back(std::move(ff));
  }
  return headers;
}

// "sr" is null when no question was answered: a refusal is never written into an SR as an answer.
json resultJson(const std::vector<vqa::Answer>& answers, const std::optional<sr::ReportUids>& uids) {
  json out;
  out["answers"] = answers;
  out["sr"] = nullptr;
  if (uids) out["sr"] = {{"series_uid", uids->seriesInstanceUid}, {"sop_uid", uids->sopInstanceUid}};
  return out;
}

std::vector<vqa::Answer> answeredOnly(const std::vector<vqa::Answer>& answers) {
  std::vector<vqa::Answer> out;
  std::copy_if(answers.begin(), answers.end(), std::back_inserter(out), [](const auto& a) { return vqa::answered(a); });
  return out;
}

}  // namespace

const char* toString(StableDecision decision) noexcept {
  switch (decision) {
    case StableDecision::Queued: return "queued";
    case StableDecision::AlreadyAnswered: return "already-answered";
    case StableDecision::NoRule: return "no-rule";
    case StableDecision::Waiting: return "waiting";
    case StableDecision::Discarded: return "discarded";
    case StableDecision::Unknown: return "unknown";
    case StableDecision::Disabled: return "disabled";
  }
  return "unknown";
}

AnswerPipeline::AnswerPipeline(Parts parts) : parts_(std::move(parts)) {
  checkRuleQuestions(parts_.config.rules, *parts_.engine);
  std::filesystem::create_directories(parts_.scratch);
  for (unsigned i = 0; i < parts_.config.workers; ++i) {
    const std::string name = "worker-" + std::to_string(i + 1);
    workers_.push_back(std::make_unique<Worker>(name, [this, name](const std::stop_token&) { return workerPass(name); }));
  }
  workers_.push_back(std::make_unique<Worker>("completeness sweeper", [this](const std::stop_token&) { return sweeperPass(); }));
}

AnswerPipeline::~AnswerPipeline() { stop(); }

void AnswerPipeline::start() {
  for (auto& worker : workers_) worker->start();
}

void AnswerPipeline::stop() {
  for (auto& worker : workers_) worker->stop();
}

StableDecision AnswerPipeline::onStudyStable(const std::string& studyUid) {
  return decide(studyUid, nowUnixMs(), "");
}

StableDecision AnswerPipeline::answerNow(const std::string& studyUid) {
  // A fresh key: the same contents answered again on request (e.g. after a rule changed).
  return decide(studyUid, 0, "#rerun-" + std::to_string(nowUnixMs()));
}

StableDecision AnswerPipeline::decide(const std::string& studyUid, std::int64_t stableSinceMs,
                                      const std::string& extraKey) {
  if (!parts_.config.enabled) return StableDecision::Disabled;
  const auto snapshot = parts_.source.snapshot(studyUid);
  if (!snapshot) return StableDecision::Unknown;
  const Rule* rule = snapshot->instanceUids.empty() ? nullptr : firstMatch(parts_.config.rules, snapshot->facts);
  if (!rule) {
    log::info("study " + studyUid + ": no rule matches, no job");
    return StableDecision::NoRule;
  }
  if (!rule->isComplete(snapshot->facts)) {
    const bool timedOut = nowUnixMs() - stableSinceMs >= rule->completionTimeout.count() * 1000;
    if (!timedOut) {
      std::lock_guard lock(mutex_);
      const bool known = std::any_of(waiting_.begin(), waiting_.end(), [&](const Waiting& w) { return w.studyUid == studyUid; });
      if (!known) waiting_.push_back({studyUid, stableSinceMs});
      return StableDecision::Waiting;
    }
    if (rule->onTimeout == CompletionPolicy::Discard) {
      log::warn("study " + studyUid + ": rule '" + rule->name + "' still misses a required series; discarded");
      return StableDecision::Discarded;
    }
    log::warn("study " + studyUid + ": rule '" + rule->name + "' still misses a required series; answering anyway");
  }
  const auto& manifest = parts_.engine->model().manifest();
  const JobKey key{studyUid, rule->fingerprint(), manifest.name + "/" + manifest.version,
                   snapshot->fingerprint() + extraKey};
  const auto enqueued = parts_.jobs.enqueue(key, nowUnixMs());
  if (!enqueued.created) return StableDecision::AlreadyAnswered;
  log::info("study " + studyUid + ": job " + std::to_string(enqueued.id) + " queued (rule '" + rule->name + "')");
  // Every idle worker tries to claim it; the queue gives it to one, the others go back to sleep.
  for (auto& worker : workers_) worker->wake();
  return StableDecision::Queued;
}

void AnswerPipeline::checkWaiting() {
  std::vector<Waiting> current;
  {
    std::lock_guard lock(mutex_);
    current.swap(waiting_);
  }
  for (const auto& w : current) decide(w.studyUid, w.sinceMs, "");  // re-adds those still waiting
}

bool AnswerPipeline::runOneJob(const std::string& worker) {
  const auto job = parts_.jobs.claim(worker, parts_.config.jobLease, nowUnixMs());
  if (!job) return false;
  process(*job, worker);
  return true;
}

const Rule* AnswerPipeline::ruleNamed(const std::string& ruleSetKey) const {
  for (const Rule& r : parts_.config.rules) {
    if (r.fingerprint() == ruleSetKey) return &r;
  }
  return nullptr;
}

void AnswerPipeline::process(const Job& job, const std::string& worker) {
  const auto started = std::chrono::steady_clock::now();
  try {
    const Rule* rule = ruleNamed(job.key.ruleSet);
    if (!rule) throw Error(ErrorCode::Config, "rule set '" + job.key.ruleSet + "' is no longer configured");
    const std::string result = runJob(job, *rule);
    const auto uids = json::parse(result)["sr"];
    const std::string srUid = uids.is_object() ? uids["sop_uid"].get<std::string>() : std::string();
    if (!parts_.jobs.complete(job.id, worker, result, srUid, nowUnixMs())) {
      log::warn("job " + std::to_string(job.id) + ": lease lost before completion; another worker owns it");
      return;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    log::info("job " + std::to_string(job.id) + " done in " + std::to_string(ms.count()) + " ms: study " +
              job.key.studyUid);
  } catch (const std::exception& e) {
    log::warn("job " + std::to_string(job.id) + " (study " + job.key.studyUid + ") failed: " + e.what());
    parts_.jobs.fail(job.id, worker, e.what(), nowUnixMs());
  }
}

std::string AnswerPipeline::runJob(const Job& job, const Rule& rule) {
  ScratchFolder folder(nextScratch("job-" + std::to_string(job.id)));
  const imaging::StudyImages study = loadStudy(job.key.studyUid, folder.path());
  const std::vector<vqa::Answer> answers = parts_.engine->askMany(study, rule.questions);
  const auto reported = answeredOnly(answers);
  if (reported.empty()) {
    log::warn("job " + std::to_string(job.id) + ": no question of rule '" + rule.name + "' could be answered on study " +
              job.key.studyUid + "; no SR written");
    return resultJson(answers, std::nullopt).dump();
  }
  const sr::ReportUids uids = reportUidsFor(keyText(job.key));
  std::optional<sr::InstanceReference> predecessor;
  if (const auto previous = parts_.jobs.latestDone(job.key.studyUid, job.key.ruleSet, job.id)) {
    const auto prior = json::parse(previous->resultJson)["sr"];
    if (prior.is_object()) {
      predecessor = sr::InstanceReference{job.key.studyUid, prior["series_uid"].get<std::string>(),
                                          "1.2.840.10008.5.1.4.1.1.88.33", prior["sop_uid"].get<std::string>()};
    }
  }
  storeReport(study, reported, uids, predecessor, "rule=" + rule.name);
  return resultJson(answers, uids).dump();
}

std::filesystem::path AnswerPipeline::nextScratch(const std::string& name) {
  return parts_.scratch / (name + "-" + std::to_string(++scratchCounter_));
}

imaging::StudyImages AnswerPipeline::loadStudy(const std::string& studyUid, const std::filesystem::path& folder) {
  parts_.source.materialize(studyUid, folder);
  imaging::StudyImages study = parts_.engine->load(folder);
  if (study.files.empty()) throw Error(ErrorCode::NotFound, "study " + studyUid + " has no image instance");
  return study;
}

void AnswerPipeline::storeReport(const imaging::StudyImages& study, const std::vector<vqa::Answer>& answers,
                                 const sr::ReportUids& uids, const std::optional<sr::InstanceReference>& predecessor,
                                 const std::string& parameter) {
  const auto headers = citedHeaders(study.files, answers);
  sr::ReportRequest request;
  for (const auto& h : headers) request.sources.push_back(h->getDataset());
  if (request.sources.empty()) throw Error(ErrorCode::Dicom, "no header of the images used could be read");
  request.answers = answers;
  const auto& manifest = parts_.engine->model().manifest();
  request.device = {parts_.deviceObserverUid, parts_.config.deviceObserverName, "MedVQA", "medvqa"};
  request.algorithm = {manifest.name, manifest.version, {parameter}};
  request.seriesInstanceUid = uids.seriesInstanceUid;
  request.sopInstanceUid = uids.sopInstanceUid;
  request.predecessor = predecessor;
  const auto report = sr::writeReport(request);
  try {
    parts_.sink.store(*report);
  } catch (const std::exception& e) {
    auditReport(*report, false, e.what());
    throw;
  }
  auditReport(*report, true, {});
  if (parts_.outbox) queueDeliveries(study.studyInstanceUid, uids.sopInstanceUid);
}

void AnswerPipeline::auditReport(DcmDataset& report, bool stored, const std::string& problem) {
  if (!parts_.audit) return;
  const auto text = [&report](const DcmTagKey& tag) {
    OFString value;
    report.findAndGetOFString(tag, value);
    return std::string(value.c_str());
  };
  const audit::StudyRef study{text(DCM_StudyInstanceUID), text(DCM_PatientID), text(DCM_PatientName),
                              text(DCM_AccessionNumber)};
  parts_.audit->record(audit::reportCreated(parts_.audit->source().sourceId, study, text(DCM_SOPClassUID),
                                            text(DCM_SOPInstanceUID),
                                            stored ? audit::Outcome::Success : audit::Outcome::SeriousFailure, problem));
}

// The SR is owed to every forward destination and every bucket; a bucket that keeps the source
// study is also owed each of its instances (the outbox keeps one entry per instance and bucket,
// so a study answered again adds only its new instances).
void AnswerPipeline::queueDeliveries(const std::string& studyUid, const std::string& srSopInstanceUid) {
  std::size_t added = 0;
  for (const auto& aet : parts_.config.forward) added += parts_.outbox->add(srSopInstanceUid, aet, nowUnixMs());
  std::optional<StudySnapshot> study;
  for (const auto& bucket : parts_.config.s3) {
    added += parts_.outbox->add(srSopInstanceUid, bucket.outboxDestination(), nowUnixMs());
    if (!bucket.uploadSourceStudy) continue;
    if (!study) study = parts_.source.snapshot(studyUid);
    if (study) added += parts_.outbox->addAll(study->instanceUids, bucket.outboxDestination(), nowUnixMs());
  }
  if (added && parts_.onDeliveriesAdded) parts_.onDeliveriesAdded();
}

AdHocAnswer AnswerPipeline::ask(const std::string& studyUid, const std::string& question, bool writeSr) {
  ScratchFolder folder(nextScratch("ask"));
  const imaging::StudyImages study = loadStudy(studyUid, folder.path());
  AdHocAnswer out{parts_.engine->ask(study, question), {}};
  // Only an answer goes into an SR; the reply tells why a refused question was not written.
  if (writeSr && vqa::answered(out.answer)) {
    // A fresh SR per ad-hoc question: the radiologist asked it at this moment.
    const sr::ReportUids uids = reportUidsFor(studyUid + "|" + question + "|" + std::to_string(nowUnixMs()));
    storeReport(study, {out.answer}, uids, std::nullopt, "ad-hoc question");
    out.srSopInstanceUid = uids.sopInstanceUid;
  }
  return out;
}

StudyAnswers AnswerPipeline::answersFor(const std::string& studyUid) {
  StudyAnswers out;
  const auto jobs = parts_.jobs.jobsForStudy(studyUid);
  if (!jobs.empty()) {
    out.job = jobs.front();
    out.state = toString(out.job->state);
    out.rule = out.job->key.ruleSet;
    // The newest job may still be running while an older one has answers: show those meanwhile.
    for (const auto& j : jobs) {
      if (j.state != JobState::Done) continue;
      const auto result = json::parse(j.resultJson);
      out.answers = result["answers"].get<std::vector<vqa::Answer>>();
      out.srSopInstanceUid = j.srSopInstanceUid;
      break;
    }
    return out;
  }
  const auto snapshot = parts_.source.snapshot(studyUid);
  if (!snapshot) {
    out.state = "unknown";
    return out;
  }
  const Rule* rule = firstMatch(parts_.config.rules, snapshot->facts);
  out.rule = rule ? rule->name : "";
  std::lock_guard lock(mutex_);
  const bool waiting = std::any_of(waiting_.begin(), waiting_.end(), [&](const Waiting& w) { return w.studyUid == studyUid; });
  out.state = !rule ? "no-rule" : waiting ? "waiting" : !rule->isComplete(snapshot->facts) ? "discarded" : "not-stable";
  return out;
}

std::chrono::milliseconds AnswerPipeline::workerPass(const std::string& name) {
  // Straight on to the next job while there are any. Otherwise woken by a new job at once; the
  // timeout picks up retries that fall due and leases that expire, which nothing signals. An
  // error of the queue itself (disk full?) is logged by the worker and retried.
  return runOneJob(name) ? std::chrono::milliseconds(0) : std::chrono::milliseconds(1000);
}

std::chrono::milliseconds AnswerPipeline::sweeperPass() {
  checkWaiting();
  return std::chrono::seconds(5);
}

}  // namespace medvqa::pipeline
