#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "metrics/metrics.h"

namespace medvqa::metrics {
namespace {

// One sample line of the text format: name, label set as written, value.
struct Sample {
  std::string name;
  std::string labels;
  double value = 0;
};

// Parses an exposition by the text format's rules (prometheus.io "Exposition formats"): every
// line is a # HELP / # TYPE comment or `name{label="value",...} value`; a family's TYPE comes
// before its samples. Fails the test on any other line.
std::vector<Sample> parse(const std::string& text, std::map<std::string, std::string>& types) {
  static const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$)");
  static const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)");
  std::vector<Sample> samples;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (line.rfind("# HELP ", 0) == 0) continue;
    if (std::regex_match(line, m, type)) {
      types[m[1]] = m[2];
      continue;
    }
    if (!std::regex_match(line, m, sample)) {
      ADD_FAILURE() << "not a valid exposition line: " << line;
      continue;
    }
    const std::string name = m[1];
    const bool typed = std::any_of(types.begin(), types.end(), [&](const auto& t) { return name.rfind(t.first, 0) == 0; });
    EXPECT_TRUE(typed) << "sample before its # TYPE: " << line;
    samples.push_back({name, m[2], std::stod(m[3])});
  }
  return samples;
}

double valueOf(const std::vector<Sample>& samples, const std::string& name, const std::string& labels = "") {
  for (const Sample& s : samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  ADD_FAILURE() << "no sample " << name << labels;
  return -1;
}

TEST(Metrics, ExpositionFollowsTheTextFormatAndCountsWhatHappened) {
  Metrics m;
  m.associationAccepted();
  m.associationAccepted();
  m.associationRejected();
  m.associationEnded();
  m.instanceReceived(1000);
  m.instanceReceived(24);
  m.queryAnswered("STUDY", Metrics::Seconds(0.003));
  m.queryAnswered("STUDY", Metrics::Seconds(0.2));
  m.inferenceRan(8, Metrics::Seconds(0.02));
  m.answered("model");
  m.answered("header");
  m.answered("model");
  m.reportSent("PACS@10.0.0.1:104");
  m.reportSendFailed("s3://bucket \"x\"");
  m.setJobCounts({{"pending", 2}, {"failed", 1}});
  m.setModel("medvqa-demo", "1.1.0", "cpu");
  m.stableStudy("queued");
  m.stableStudy("already-answered");
  m.stableStudy("already-answered");
  m.reportStored(true);
  m.reportStored(false);
  m.questionAsked();
  m.setStableStudiesWaiting(3);

  std::map<std::string, std::string> types;
  const auto samples = parse(m.exposition(), types);
  EXPECT_EQ(types["medvqa_associations_total"], "counter");
  EXPECT_EQ(types["medvqa_cfind_duration_seconds"], "histogram");
  EXPECT_EQ(types["medvqa_jobs"], "gauge");
  EXPECT_EQ(valueOf(samples, "medvqa_associations_total", R"({result="accepted"})"), 2);
  EXPECT_EQ(valueOf(samples, "medvqa_associations_total", R"({result="rejected"})"), 1);
  EXPECT_EQ(valueOf(samples, "medvqa_associations_active"), 1);
  EXPECT_EQ(valueOf(samples, "medvqa_instances_received_total"), 2);
  EXPECT_EQ(valueOf(samples, "medvqa_received_bytes_total"), 1024);
  EXPECT_EQ(valueOf(samples, "medvqa_cfind_total", R"({level="STUDY"})"), 2);
  EXPECT_EQ(valueOf(samples, "medvqa_cfind_duration_seconds_count"), 2);
  EXPECT_EQ(valueOf(samples, "medvqa_cfind_duration_seconds_bucket", R"({le="0.005"})"), 1);
  EXPECT_EQ(valueOf(samples, "medvqa_cfind_duration_seconds_bucket", R"({le="+Inf"})"), 2);
  EXPECT_EQ(valueOf(samples, "medvqa_inference_batch_size_sum"), 8);
  EXPECT_EQ(valueOf(samples, "medvqa_answers_total", R"({source="model"})"), 2);
  EXPECT_EQ(valueOf(samples, "medvqa_reports_sent_total", R"({destination="PACS@10.0.0.1:104"})"), 1);
  // Label values are escaped, so a hostile destination name cannot break the exposition.
  EXPECT_EQ(valueOf(samples, "medvqa_report_send_failures_total", R"({destination="s3://bucket \"x\""})"), 1);
  EXPECT_EQ(valueOf(samples, "medvqa_jobs", R"({state="pending"})"), 2);
  EXPECT_EQ(valueOf(samples, "medvqa_model_info", R"({device="cpu",name="medvqa-demo",version="1.1.0"})"), 1);
  EXPECT_EQ(valueOf(samples, "medvqa_model_loaded"), 1);
  EXPECT_EQ(valueOf(samples, "medvqa_stable_studies_total", R"({decision="already-answered"})"), 2);
  EXPECT_EQ(valueOf(samples, "medvqa_stable_studies_waiting"), 3);
  EXPECT_EQ(valueOf(samples, "medvqa_srs_stored_total"), 1);
  EXPECT_EQ(valueOf(samples, "medvqa_sr_store_failures_total"), 1);
  EXPECT_EQ(valueOf(samples, "medvqa_questions_total"), 1);
}

TEST(Metrics, WithoutAModelTheInfoSeriesIsGoneAndLoadedIsZero) {
  Metrics m;
  m.setModel("a", "1", "cpu");
  m.setNoModel();
  std::map<std::string, std::string> types;
  const auto samples = parse(m.exposition(), types);
  EXPECT_EQ(valueOf(samples, "medvqa_model_loaded"), 0);
  EXPECT_FALSE(std::any_of(samples.begin(), samples.end(), [](const Sample& s) { return s.name == "medvqa_model_info"; }));
  // Both answer sources are there before the first answer, at zero.
  EXPECT_EQ(valueOf(samples, "medvqa_answers_total", R"({source="model"})"), 0);
}

TEST(Metrics, ANewModelReplacesTheOldInfoSeries) {
  Metrics m;
  m.setModel("a", "1", "cpu");
  m.setModel("b", "2", "cuda:0");
  std::map<std::string, std::string> types;
  const auto samples = parse(m.exposition(), types);
  const auto infos = std::count_if(samples.begin(), samples.end(), [](const Sample& s) { return s.name == "medvqa_model_info"; });
  EXPECT_EQ(infos, 1);
  EXPECT_EQ(valueOf(samples, "medvqa_model_info", R"({device="cuda:0",name="b",version="2"})"), 1);
}

TEST(Metrics, RecordingFromManyThreadsLosesNothing) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 1000; ++i) {
        m.instanceReceived(1);
        m.answered(i % 2 ? "model" : "header");
      }
    });
  }
  for (auto& t : threads) t.join();
  std::map<std::string, std::string> types;
  const auto samples = parse(m.exposition(), types);
  EXPECT_EQ(valueOf(samples, "medvqa_instances_received_total"), 8000);
  EXPECT_EQ(valueOf(samples, "medvqa_answers_total", R"({source="header"})"), 4000);
}

TEST(Metrics, ScopeTimerRecordsOnEveryExit) {
  int calls = 0;
  try {
    ScopeTimer timer([&](Metrics::Seconds elapsed) {
      ++calls;
      EXPECT_GE(elapsed.count(), 0.0);
    });
    throw std::runtime_error("the work failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace medvqa::metrics
