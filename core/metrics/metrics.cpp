#include "metrics/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace medvqa::metrics {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

Family<Counter>& counter(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r);
}
Family<Gauge>& gauge(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}
Family<Histogram>& histogram(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(r);
}

// Latencies from a 1 ms C-FIND on a small index to a many-second CT batch on CPU.
const Histogram::BucketBoundaries& secondsBuckets() {
  static const Histogram::BucketBoundaries buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,    1,     2.5,  5,     10,  30};
  return buckets;
}
const Histogram::BucketBoundaries& batchBuckets() {
  static const Histogram::BucketBoundaries buckets = {1, 2, 4, 8, 16, 32, 64, 128};
  return buckets;
}

}  // namespace

struct Metrics::Families {
  explicit Families(prometheus::Registry& r)
      : associations(counter(r, "medvqa_associations_total", "DICOM associations requested, by result")),
        associationsActive(gauge(r, "medvqa_associations_active", "DICOM associations open now")),
        instances(counter(r, "medvqa_instances_received_total", "Instances stored durably (C-STORE success sent)")),
        instancesRefused(counter(r, "medvqa_instances_refused_total", "C-STOREs answered with a failure status")),
        bytes(counter(r, "medvqa_received_bytes_total", "Bytes of instances stored")),
        queries(counter(r, "medvqa_cfind_total", "C-FIND requests answered, by query level")),
        queryLatency(histogram(r, "medvqa_cfind_duration_seconds", "C-FIND time from request to final response")),
        retrieved(counter(r, "medvqa_retrieved_instances_total", "Instances sent by C-GET / C-MOVE")),
        inferenceLatency(histogram(r, "medvqa_inference_duration_seconds", "Model forward pass time per batch")),
        batchSize(histogram(r, "medvqa_inference_batch_size", "Questions per model forward pass")),
        stable(counter(r, "medvqa_stable_studies_total", "Stable studies handed to the answer pipeline, by its decision")),
        stableWaiting(gauge(r, "medvqa_stable_studies_waiting", "Stable studies reported but not yet handed to the pipeline")),
        answers(counter(r, "medvqa_answers_total", "Answers given (standing and asked), by source: model or DICOM header")),
        refusals(counter(r, "medvqa_refusals_total",
                         "Questions not answered, by status: unsupported, not_applicable, uncertain")),
        questions(counter(r, "medvqa_questions_total", "Questions accepted by the ask API")),
        reportsStored(counter(r, "medvqa_srs_stored_total", "Answer SRs stored into the front door's own store")),
        reportStoreFailures(counter(r, "medvqa_sr_store_failures_total", "Answer SRs the front door's store refused")),
        reportsSent(counter(r, "medvqa_reports_sent_total", "SRs delivered, by destination")),
        reportFailures(counter(r, "medvqa_report_send_failures_total", "Failed SR delivery attempts, by destination")),
        audit(counter(r, "medvqa_audit_messages_total", "Audit messages (core/audit), by sink and outcome: written, failed, dropped")),
        jobs(gauge(r, "medvqa_jobs", "Answering jobs in the durable queue, by state")),
        modelInfo(gauge(r, "medvqa_model_info", "The loaded model (value 1), by name, version and device")),
        modelLoaded(gauge(r, "medvqa_model_loaded", "1 when a model is loaded and studies are answered, else 0")),
        accepted(associations.Add({{"result", "accepted"}})),
        rejected(associations.Add({{"result", "rejected"}})),
        active(associationsActive.Add({})),
        instancesTotal(instances.Add({})),
        refusedTotal(instancesRefused.Add({})),
        bytesTotal(bytes.Add({})),
        latency(queryLatency.Add({}, secondsBuckets())),
        inference(inferenceLatency.Add({}, secondsBuckets())),
        batches(batchSize.Add({}, batchBuckets())),
        questionsTotal(questions.Add({})),
        storedTotal(reportsStored.Add({})),
        storeFailuresTotal(reportStoreFailures.Add({})),
        waiting(stableWaiting.Add({})),
        loaded(modelLoaded.Add({})) {
    // Both sources exist from the start, so a dashboard's rate() has a series before the first answer.
    answers.Add({{"source", "model"}});
    answers.Add({{"source", "header"}});
  }

  Family<Counter>& associations;
  Family<Gauge>& associationsActive;
  Family<Counter>& instances;
  Family<Counter>& instancesRefused;
  Family<Counter>& bytes;
  Family<Counter>& queries;
  Family<Histogram>& queryLatency;
  Family<Counter>& retrieved;
  Family<Histogram>& inferenceLatency;
  Family<Histogram>& batchSize;
  Family<Counter>& stable;
  Family<Gauge>& stableWaiting;
  Family<Counter>& answers;
  Family<Counter>& refusals;
  Family<Counter>& questions;
  Family<Counter>& reportsStored;
  Family<Counter>& reportStoreFailures;
  Family<Counter>& reportsSent;
  Family<Counter>& reportFailures;
  Family<Counter>& audit;
  Family<Gauge>& jobs;
  Family<Gauge>& modelInfo;
  Family<Gauge>& modelLoaded;

  Counter& accepted;
  Counter& rejected;
  Gauge& active;
  Counter& instancesTotal;
  Counter& refusedTotal;
  Counter& bytesTotal;
  Histogram& latency;
  Histogram& inference;
  Histogram& batches;
  Counter& questionsTotal;
  Counter& storedTotal;
  Counter& storeFailuresTotal;
  Gauge& waiting;
  Gauge& loaded;
};

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()), f_(std::make_unique<Families>(*registry_)) {}

Metrics::~Metrics() = default;

void Metrics::associationAccepted() {
  f_->accepted.Increment();
  f_->active.Increment();
}
void Metrics::associationRejected() { f_->rejected.Increment(); }
void Metrics::associationEnded() { f_->active.Decrement(); }

void Metrics::instanceReceived(std::uint64_t bytes) {
  f_->instancesTotal.Increment();
  f_->bytesTotal.Increment(static_cast<double>(bytes));
}
void Metrics::instanceRefused() { f_->refusedTotal.Increment(); }

void Metrics::queryAnswered(std::string_view level, Seconds elapsed) {
  f_->queries.Add({{"level", std::string(level)}}).Increment();
  f_->latency.Observe(elapsed.count());
}

void Metrics::instancesRetrieved(std::string_view service, std::uint64_t count) {
  f_->retrieved.Add({{"service", std::string(service)}}).Increment(static_cast<double>(count));
}

void Metrics::inferenceRan(std::size_t batchSize, Seconds elapsed) {
  f_->inference.Observe(elapsed.count());
  f_->batches.Observe(static_cast<double>(batchSize));
}

void Metrics::answered(std::string_view source) { f_->answers.Add({{"source", std::string(source)}}).Increment(); }
void Metrics::refused(std::string_view status) { f_->refusals.Add({{"status", std::string(status)}}).Increment(); }
void Metrics::questionAsked() { f_->questionsTotal.Increment(); }
void Metrics::stableStudy(std::string_view decision) {
  f_->stable.Add({{"decision", std::string(decision)}}).Increment();
}
void Metrics::reportStored(bool ok) { (ok ? f_->storedTotal : f_->storeFailuresTotal).Increment(); }
void Metrics::reportSent(const std::string& destination) {
  f_->reportsSent.Add({{"destination", destination}}).Increment();
}
void Metrics::reportSendFailed(const std::string& destination) {
  f_->reportFailures.Add({{"destination", destination}}).Increment();
}

void Metrics::auditMessage(std::string_view sink, std::string_view outcome) {
  f_->audit.Add({{"sink", std::string(sink)}, {"outcome", std::string(outcome)}}).Increment();
}

void Metrics::setJobCounts(const std::map<std::string, std::int64_t>& countsByState) {
  for (const auto& [state, count] : countsByState) {
    f_->jobs.Add({{"state", state}}).Set(static_cast<double>(count));
  }
}

void Metrics::setStableStudiesWaiting(std::size_t count) { f_->waiting.Set(static_cast<double>(count)); }

void Metrics::setModel(const std::string& name, const std::string& version, const std::string& device) {
  std::lock_guard lock(modelMutex_);
  if (modelInfo_) f_->modelInfo.Remove(modelInfo_);
  modelInfo_ = &f_->modelInfo.Add({{"name", name}, {"version", version}, {"device", device}});
  modelInfo_->Set(1);
  f_->loaded.Set(1);
}

void Metrics::setNoModel() {
  std::lock_guard lock(modelMutex_);
  if (modelInfo_) f_->modelInfo.Remove(modelInfo_);
  modelInfo_ = nullptr;
  f_->loaded.Set(0);
}

std::string Metrics::exposition() const { return prometheus::TextSerializer().Serialize(registry_->Collect()); }

}  // namespace medvqa::metrics
