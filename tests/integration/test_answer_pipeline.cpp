// Stable study -> SR, end to end through real processes: synthetic studies sent with storescu,
// the node answers them by its rules, the SR is found (findscu), retrieved (getscu), valid
// (dciodvfy), readable (medvqa sr-json) and forwarded to a DCMTK storescp (store-and-forward).
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "answers_json.h"
#include "audit_messages.h"
#include "node_http.h"
#include "node_under_test.h"
#include "prometheus_text.h"
#include "process.h"
#include "storescp_peer.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::test::answeringModelFolder;
using medvqa::test::buildBin;
using medvqa::test::getJson;
using medvqa::test::metricValue;
using medvqa::test::NodeUnderTest;
using medvqa::test::RunResult;
using medvqa::test::StorescpPeer;
using medvqa::test::TempDir;
using medvqa::test::usingDemoModel;
using medvqa::test::waitUntil;
using nlohmann::json;

namespace {


struct TruthRow {
  std::string studyUid, studyDir, kind, question, answer;
};

std::vector<TruthRow> readTruth(const fs::path& file) {
  std::vector<TruthRow> rows;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    const json j = json::parse(line);
    if (j.value("expect", "answered") != "answered") continue;  // questions the engine must refuse
    rows.push_back({j["study_uid"], j["study_dir"], j["kind"], j["question"], j["answer"]});
  }
  return rows;
}

std::vector<fs::path> filesUnder(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Polls the study's answers until the job is done (or failed), up to `timeout`.
json waitForAnswers(const NodeUnderTest& node, const std::string& studyUid, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  json last;
  while (std::chrono::steady_clock::now() < deadline) {
    last = getJson(node.httpPort(), "/studies/" + studyUid + "/answers");
    const std::string state = last.value("state", "");
    if (state == "done" || state == "failed" || state == "no-rule") return last;
    std::this_thread::sleep_for(200ms);
  }
  return last;
}

// What the pipeline decided for stable studies since the node started, by decision.
double stableDecisions(const NodeUnderTest& node, const std::string& decision) {
  return metricValue(node.httpPort(), "medvqa_stable_studies_total{decision=\"" + decision + "\"}");
}

class AnswerPipeline : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    studies_ = new TempDir("pipeline-studies");
    const RunResult r = medvqa::test::run({buildBin("medvqa").string(), "synth", "--out", (*studies_ / "set").string(),
                                           "--studies", "6", "--seed", "4242"});
    ASSERT_EQ(r.exitCode, 0) << r.output;
  }
  static void TearDownTestSuite() {
    delete studies_;
    studies_ = nullptr;
  }

  static fs::path set() { return *studies_ / "set"; }
  static std::vector<TruthRow> truth() { return readTruth(set() / "truth.jsonl"); }
  static std::map<std::string, fs::path> studyFolders() {
    std::map<std::string, fs::path> out;
    for (const auto& row : truth()) out[row.studyUid] = set() / row.studyDir;
    return out;
  }

  static std::vector<std::string> nodeArgs(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--stable-age", "1", "--model", answeringModelFolder().string(), "--workers", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  static inline TempDir* studies_ = nullptr;
};

TEST_F(AnswerPipeline, EveryStableStudyGetsOneValidSrFoundRetrievedAndForwarded) {
  const StorescpPeer pacs("PACS", {"+uf"});  // the PACS the node forwards SRs to
  NodeUnderTest node(nodeArgs({"--forward", pacs.peer()}));
  node.start();
  const auto folders = studyFolders();
  for (const auto& [uid, folder] : folders) {
    const RunResult sent = node.storeFiles(filesUnder(folder));
    ASSERT_EQ(sent.exitCode, 0) << sent.output;
  }

  std::map<std::string, json> answers;
  for (const auto& [uid, folder] : folders) {
    const json a = waitForAnswers(node, uid, 90s);
    ASSERT_EQ(a.value("state", ""), "done") << a.dump(2) << "\nnode log:\n" << node.log();
    EXPECT_FALSE(a["answers"].empty());
    EXPECT_TRUE(a["sr_sop_instance_uid"].is_string());
    answers[uid] = a;
  }

  // C-FIND finds one SR series per study; C-GET brings the SR back.
  TempDir got("pipeline-get");
  for (const auto& [uid, a] : answers) {
    TempDir found("pipeline-find");
    const RunResult find = node.dcmtk("findscu", {"-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + uid,
                                                  "-k", "Modality=SR", "-k", "SeriesInstanceUID", "-X", "-od",
                                                  found.path().string()});
    ASSERT_EQ(find.exitCode, 0) << find.output;
    EXPECT_EQ(filesUnder(found.path()).size(), 1u) << "one SR series for study " << uid << ":\n" << find.output;
    const std::string srUid = a["sr_sop_instance_uid"];
    const RunResult get = node.dcmtk("getscu", {"-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + uid,
                                                "-k", "SOPInstanceUID=" + srUid, "-od", got.path().string()});
    ASSERT_EQ(get.exitCode, 0) << get.output;
    fs::path srFile;
    for (const auto& f : filesUnder(got.path())) {
      if (f.filename().string().find(srUid) != std::string::npos) srFile = f;
    }
    ASSERT_FALSE(srFile.empty()) << "getscu stored no file for " << srUid << ":\n" << get.output;

    const RunResult verify = medvqa::test::run({"dciodvfy", srFile.string()});
    EXPECT_EQ(verify.output.find("Error"), std::string::npos) << verify.output;
    const RunResult readBack = medvqa::test::run({buildBin("medvqa").string(), "sr-json", srFile.string()});
    ASSERT_EQ(readBack.exitCode, 0) << readBack.output;
    const json sr = json::parse(readBack.output);
    EXPECT_EQ(sr["study_uid"], uid);
    EXPECT_EQ(sr["answers"], medvqa::test::asRecordedInSr(a["answers"])) << "the SR holds what the API reports";
  }

  // The forward destination received every SR, once.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (pacs.received().size() < folders.size() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(pacs.received().size(), folders.size()) << getJson(node.httpPort(), "/deliveries").dump(2);

  if (usingDemoModel()) {
    int right = 0, total = 0;
    for (const auto& row : truth()) {
      for (const auto& answer : answers[row.studyUid]["answers"]) {
        if (answer["question"] != row.question) continue;
        ++total;  // a refused question counts against the model, never as right
        right += answer.value("status", "") == "answered" && answer["answer"] == row.answer;
      }
    }
    // The rules ask training phrasings; truth rows use any phrasing, so only shared ones count.
    if (total >= 5) {
      EXPECT_GE(double(right) / total, 0.85) << right << " of " << total;
    }
  }
}

TEST_F(AnswerPipeline, ResendAndRestartDoNotMakeASecondSr) {
  NodeUnderTest node(nodeArgs());
  node.start();
  const auto [uid, folder] = *studyFolders().begin();
  ASSERT_EQ(node.storeFiles(filesUnder(folder)).exitCode, 0);
  const json first = waitForAnswers(node, uid, 90s);
  ASSERT_EQ(first.value("state", ""), "done") << first.dump(2);
  const std::int64_t firstJob = first["job"]["id"];

  ASSERT_EQ(node.storeFiles(filesUnder(folder)).exitCode, 0);  // the same study again
  // Stable again (stable-age 1 s), and the pipeline has seen the same contents answered already
  // (the node's own SR does not unsettle the study: this decision is the resend's).
  ASSERT_TRUE(waitUntil([&] { return stableDecisions(node, "already-answered") >= 1; }, 60s)) << node.log();
  ASSERT_EQ(node.stop(), 0);
  node.start();
  // The start-up catch-up offers every stable study again: answered already, no new job.
  ASSERT_TRUE(waitUntil([&] { return stableDecisions(node, "already-answered") >= 1; }, 60s)) << node.log();
  EXPECT_LE(stableDecisions(node, "queued"), 0) << "a job queued after the restart";
  const json after = getJson(node.httpPort(), "/studies/" + uid + "/answers");
  EXPECT_EQ(after["job"]["id"], firstJob) << after.dump(2);
  const json study = getJson(node.httpPort(), "/studies/" + uid);
  int srInstances = 0;
  for (const auto& s : study["series"]) {
    if (s["modality"] == "SR") srInstances += s["instances"].get<int>();
  }
  EXPECT_EQ(srInstances, 1) << study.dump(2);
}

TEST_F(AnswerPipeline, LateInstancesReanswerTheStudyAndTheNewSrNamesTheOldOne) {
  NodeUnderTest node(nodeArgs());
  node.start();
  const auto [uid, folder] = *studyFolders().begin();
  const auto files = filesUnder(folder);
  ASSERT_EQ(node.storeFiles(files).exitCode, 0);
  const json first = waitForAnswers(node, uid, 90s);
  ASSERT_EQ(first.value("state", ""), "done") << first.dump(2);

  // A late image of the same study: a copy of one with a new SOP Instance UID.
  TempDir late("pipeline-late");
  const fs::path extra = late / "late.dcm";
  fs::copy_file(files.front(), extra);
  ASSERT_EQ(medvqa::test::run({"dcmodify", "-nb", "-gin", extra.string()}).exitCode, 0);
  ASSERT_EQ(node.storeFiles({extra}).exitCode, 0);

  const auto deadline = std::chrono::steady_clock::now() + 90s;
  json second;
  do {
    std::this_thread::sleep_for(200ms);
    second = getJson(node.httpPort(), "/studies/" + uid + "/answers");
  } while ((second["job"].is_null() || second["job"]["id"] == first["job"]["id"] || second["state"] != "done") &&
           std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(second["state"], "done") << second.dump(2);
  ASSERT_NE(second["job"]["id"], first["job"]["id"]) << "late instances must make a new job";
  const std::string newSr = second["sr_sop_instance_uid"];
  ASSERT_NE(newSr, first["sr_sop_instance_uid"].get<std::string>());

  TempDir got("pipeline-late-get");
  ASSERT_EQ(node.dcmtk("getscu", {"-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + uid, "-k",
                                   "SOPInstanceUID=" + newSr, "-od", got.path().string()})
                .exitCode,
            0);
  const auto retrieved = filesUnder(got.path());
  ASSERT_EQ(retrieved.size(), 1u);
  const RunResult dump = medvqa::test::run({"dcmdump", "+P", "PredecessorDocumentsSequence", "+P", "0008,1155",
                                            retrieved.front().string()});
  EXPECT_NE(dump.output.find(first["sr_sop_instance_uid"].get<std::string>()), std::string::npos)
      << "the new SR must name the old one in its Predecessor Documents Sequence:\n" << dump.output;
}

TEST_F(AnswerPipeline, DestinationDownThenUpGetsTheSrExactlyOnce) {
  StorescpPeer pacs("PACS", {"+uf"}, /*up=*/false);  // its port is held, and refuses connections
  TempDir auditDir("forward-audit");
  const fs::path auditFile = auditDir / "audit.log";
  NodeUnderTest node(nodeArgs({"--forward", pacs.peer(), "--audit-file", auditFile.string()}));
  node.start();
  const auto [uid, folder] = *studyFolders().begin();
  ASSERT_EQ(node.storeFiles(filesUnder(folder)).exitCode, 0);
  const json a = waitForAnswers(node, uid, 90s);
  ASSERT_EQ(a.value("state", ""), "done") << a.dump(2);

  // Nobody listens: the delivery fails and waits.
  auto deadline = std::chrono::steady_clock::now() + 20s;
  json deliveries;
  do {
    std::this_thread::sleep_for(200ms);
    deliveries = getJson(node.httpPort(), "/deliveries");
  } while ((deliveries["deliveries"].empty() || deliveries["deliveries"][0]["attempts"] == 0) &&
           std::chrono::steady_clock::now() < deadline);
  ASSERT_FALSE(deliveries["deliveries"].empty());
  EXPECT_EQ(deliveries["deliveries"][0]["state"], "pending") << deliveries.dump(2);
  EXPECT_GE(deliveries["deliveries"][0]["attempts"].get<int>(), 1);
  EXPECT_FALSE(deliveries["deliveries"][0]["error"].is_null());

  pacs.up();  // the PACS comes back
  // Until the sender has recorded the delivery as sent; then nothing is left to send.
  ASSERT_TRUE(waitUntil([&] {
    deliveries = getJson(node.httpPort(), "/deliveries");
    return deliveries["deliveries"].size() == 1 && deliveries["deliveries"][0]["state"] == "sent";
  }, 40s)) << deliveries.dump(2) << pacs.log();
  EXPECT_EQ(pacs.received().size(), 1u) << "sent more than once";
  // The metrics say the same, per destination.
  const auto scrape = httplib::Client("127.0.0.1", node.httpPort()).Get("/metrics");
  ASSERT_TRUE(scrape);
  EXPECT_EQ(medvqa::test::sampleValue(scrape->body, "medvqa_reports_sent_total{destination=\"PACS\"}"), 1)
      << scrape->body;
  EXPECT_GE(medvqa::test::sampleValue(scrape->body, "medvqa_report_send_failures_total{destination=\"PACS\"}"), 1)
      << scrape->body;
  // And the audit trail: each pass to PACS, failed (8) while it was down, then done (0).
  std::set<std::string> outcomes;
  for (const auto& m : medvqa::test::readAuditFile(auditFile)) {
    if (m.eventId() != "110104" || m.text("//ActiveParticipant[RoleIDCode/@csd-code='110152']/@UserID") != "PACS") {
      continue;
    }
    EXPECT_EQ(m.schemaErrors(), "") << m.xml();
    EXPECT_EQ(m.action(), "R");
    EXPECT_EQ(m.text("//ParticipantObjectIdentification[@ParticipantObjectTypeCodeRole='3']/@ParticipantObjectID"), uid);
    outcomes.insert(m.outcome());
  }
  EXPECT_EQ(outcomes, (std::set<std::string>{"0", "8"}));
}

TEST_F(AnswerPipeline, KillDuringJobsThenRestartGivesEachStableStudyExactlyOneSr) {
  NodeUnderTest node(nodeArgs({"--workers", "1"}));
  node.start();
  const auto folders = studyFolders();
  for (const auto& [uid, folder] : folders) ASSERT_EQ(node.storeFiles(filesUnder(folder)).exitCode, 0);
  // Kill as soon as the first job runs (the others are queued or running).
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    const json jobs = getJson(node.httpPort(), "/jobs");
    if (jobs.contains("jobs") && !jobs["jobs"].empty()) break;
    std::this_thread::sleep_for(50ms);
  }
  node.kill9();
  node.start();
  for (const auto& [uid, folder] : folders) {
    const json a = waitForAnswers(node, uid, 120s);
    ASSERT_EQ(a.value("state", ""), "done") << a.dump(2) << "\n" << node.log();
    const json study = getJson(node.httpPort(), "/studies/" + uid);
    int srInstances = 0;
    for (const auto& s : study["series"]) {
      if (s["modality"] == "SR") srInstances += s["instances"].get<int>();
    }
    EXPECT_EQ(srInstances, 1) << uid << ": " << study.dump(2);
  }
}

TEST_F(AnswerPipeline, AdHocQuestionsAndErrors) {
  NodeUnderTest node(nodeArgs());
  node.start();
  const auto [uid, folder] = *studyFolders().begin();
  ASSERT_EQ(node.storeFiles(filesUnder(folder)).exitCode, 0);
  httplib::Client client("127.0.0.1", node.httpPort());
  client.set_read_timeout(60, 0);
  const std::string path = "/studies/" + uid + "/questions";

  auto res = client.Post(path.c_str(), R"({"question": "What is the modality?"})", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json answer = json::parse(res->body);
  EXPECT_EQ(answer["source"], "header");
  EXPECT_EQ(answer["confidence"], 1.0);

  res = client.Post(path.c_str(), R"({"question": "Is there a pneumothorax?", "sr": true})", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  answer = json::parse(res->body);
  EXPECT_EQ(answer["source"], "model");
  EXPECT_TRUE(answer["sr_sop_instance_uid"].is_string());

  for (const std::string& bad : {std::string("not json"), std::string(R"({"question": ""})"), std::string(R"({"q": 1})"),
                                 R"({"question": ")" + std::string(600, 'a') + R"("})"}) {
    res = client.Post(path.c_str(), bad, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad << " -> " << res->body;
    EXPECT_TRUE(json::parse(res->body).contains("error"));
  }
  res = client.Post("/studies/1.2.3.999/questions", R"({"question": "Is there a pneumothorax?"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(getJson(node.httpPort(), "/studies/1.2.3.999/answers")["http_status"], 404);
  EXPECT_EQ(getJson(node.httpPort(), "/studies/1.2.x3/answers")["http_status"], 400);
  const int traversal = getJson(node.httpPort(), "/studies/..%2F..%2Fetc/answers")["http_status"];
  EXPECT_TRUE(traversal == 400 || traversal == 404) << traversal;
}

TEST(AnswerPipelineConfig, AStudyNoRuleMatchesGetsNoJobAndTheApiSaysSo) {
  TempDir dir("pipeline-norule");
  std::ofstream(dir / "node.json") << R"({"answering": {"rules": [{"name": "mr-only", "match": {"modality": "MR"},
                                          "questions": ["What is the modality?"]}]}})";
  NodeUnderTest node({"--config", (dir / "node.json").string(), "--stable-age", "1", "--model", answeringModelFolder().string()});
  node.start();
  const auto files = medvqa::test::corpusFiles();
  std::vector<fs::path> ct;
  for (const auto& f : files) {
    if (f.string().find("ct-explicit") != std::string::npos) ct.push_back(f);
  }
  ASSERT_FALSE(ct.empty());
  ASSERT_EQ(node.storeFiles(ct).exitCode, 0);
  const json studies = getJson(node.httpPort(), "/studies");
  ASSERT_FALSE(studies["studies"].empty());
  // Once every study went stable and the pipeline looked at it (stable-age 1 s).
  ASSERT_TRUE(waitUntil([&] { return stableDecisions(node, "no-rule") >= double(studies["studies"].size()); }, 60s))
      << node.log();
  for (const auto& s : studies["studies"]) {
    const json a = getJson(node.httpPort(), "/studies/" + s["study_uid"].get<std::string>() + "/answers");
    EXPECT_EQ(a["state"], "no-rule") << a.dump(2);
    EXPECT_TRUE(a["job"].is_null());
  }
  EXPECT_TRUE(getJson(node.httpPort(), "/jobs")["jobs"].empty());
}

TEST(AnswerPipelineConfig, AMissingModelLeavesTheNodeServingAndTheApiSays503) {
  NodeUnderTest node({"--model", "/nonexistent/model"});
  node.start();
  EXPECT_EQ(node.dcmtk("echoscu", {}).exitCode, 0);
  const json jobs = getJson(node.httpPort(), "/jobs");
  EXPECT_EQ(jobs["http_status"], 503);
  EXPECT_NE(jobs["error"].get<std::string>().find("/nonexistent/model"), std::string::npos);
}

}  // namespace
