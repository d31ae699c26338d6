// The /medvqa REST routes under Orthanc's HTTP server: every route, every error case, and the
// node's JSON shapes (the same study asked through the node and through the plugin).
#include <gtest/gtest.h>

#include <algorithm>
#include <httplib.h>

#include <cmath>

#include <nlohmann/json.hpp>
#include <set>

#include "dicom_files.h"
#include "node_under_test.h"
#include "orthanc_under_test.h"
#include "prometheus_text.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::test::HttpResult;
using medvqa::test::OrthancUnderTest;
using medvqa::test::RunResult;
using medvqa::test::TempDir;
using medvqa::test::waitFor;
using nlohmann::json;

namespace {

constexpr const char* kNoSuchStudy = "00000000-00000000-00000000-00000000-00000000";

std::set<std::string> keysOf(const json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

// A synthetic chest radiograph study (one DX image) and its Study Instance UID.
struct ChestStudy {
  TempDir dir{"plugin-rest-set"};
  std::string uid;
  std::vector<fs::path> files;
  ChestStudy() {
    const RunResult r = medvqa::test::run({medvqa::test::buildBin("medvqa").string(), "synth", "--out",
                                           (dir / "set").string(), "--studies", "2", "--seed", "7"});
    if (r.exitCode != 0) throw std::runtime_error(r.output);
    for (const auto& row : medvqa::test::readTruth(dir / "set" / "truth.jsonl")) {
      if (row.kind != "chest") continue;
      uid = row.studyUid;
      files = medvqa::test::filesUnder(dir / "set" / row.studyDir);
      return;
    }
    throw std::runtime_error("the synthetic set has no chest study");
  }
};

// Answers with their confidences rounded: two processes may batch differently, which can move
// the last bits of a probability.
json rounded(json answers) {
  auto round = [](json& c) { c = std::round(c.get<double>() * 1e4) / 1e4; };
  json out = answers.is_array() ? answers : json::array({answers});
  for (auto& a : out) {
    round(a["confidence"]);
    for (auto& alt : a["alternatives"]) round(alt["confidence"]);
  }
  return out;
}

void expectJsonError(const HttpResult& r, int status, const std::string& what) {
  EXPECT_EQ(r.status, status) << what << ": " << r.body;
  EXPECT_EQ(r.contentType, "application/json") << what;
  const json body = r.json();
  EXPECT_TRUE(body.is_object() && body.contains("error") && body["error"].is_string()) << what << ": " << r.body;
}

// Waits until the standing answers of an Orthanc study are done.
json waitForAnswers(const OrthancUnderTest& orthanc, const std::string& id) {
  json last;
  waitFor([&] {
    last = orthanc.getJson("/medvqa/studies/" + id + "/answers");
    return last.value("state", "") == "done" || last.value("state", "") == "failed";
  }, 90s);
  return last;
}

class PluginRest : public ::testing::Test {
 protected:
  void SetUp() override {
    orthanc_.start();
    ASSERT_EQ(orthanc_.store(study_.files).exitCode, 0);
    const auto found = orthanc_.studyId(study_.uid);
    ASSERT_TRUE(found);
    id_ = *found;
  }
  std::string path(const std::string& tail) const { return "/medvqa/studies/" + id_ + tail; }

  ChestStudy study_;
  OrthancUnderTest orthanc_{{.medvqa = {{"model", medvqa::test::demoModel().string()}, {"workers", 1}}}};
  std::string id_;
};

TEST_F(PluginRest, EveryRouteAnswersAndRefusesBadRequests) {
  const json standing = waitForAnswers(orthanc_, id_);
  ASSERT_EQ(standing.value("state", ""), "done") << standing.dump(2) << orthanc_.log();
  EXPECT_EQ(keysOf(standing), (std::set<std::string>{"study_uid", "state", "rule", "answers", "job", "sr_sop_instance_uid"}));
  EXPECT_EQ(standing["study_uid"], study_.uid);
  EXPECT_EQ(standing["answers"].size(), 5u);
  EXPECT_TRUE(standing["sr_sop_instance_uid"].is_string());

  const json jobs = orthanc_.getJson("/medvqa/jobs");
  ASSERT_EQ(jobs["jobs"].size(), 1u) << jobs.dump(2);
  const json job = jobs["jobs"][0];
  EXPECT_EQ(keysOf(job), (std::set<std::string>{"id", "study_uid", "rule_set", "model", "state", "attempts",
                                                 "created_at_ms", "updated_at_ms", "error", "sr_sop_instance_uid"}));
  EXPECT_EQ(job["study_uid"], study_.uid);
  EXPECT_EQ(job["state"], "done");
  EXPECT_EQ(orthanc_.getJson("/medvqa/jobs?state=done")["jobs"].size(), 1u);
  EXPECT_TRUE(orthanc_.getJson("/medvqa/jobs?state=failed")["jobs"].empty());
  expectJsonError(orthanc_.get("/medvqa/jobs?state=bogus"), 400, "state=bogus");
  const json one = orthanc_.getJson("/medvqa/jobs/" + std::to_string(job["id"].get<long long>()));
  EXPECT_EQ(one["id"], job["id"]);
  EXPECT_EQ(one["answers"].size(), 5u);
  expectJsonError(orthanc_.get("/medvqa/jobs/999999"), 404, "job 999999");
  EXPECT_TRUE(orthanc_.getJson("/medvqa/deliveries")["deliveries"].empty());

  const json models = orthanc_.getJson("/medvqa/models");
  ASSERT_EQ(models["models"].size(), 1u) << models.dump(2);
  const json model = models["models"][0];
  EXPECT_EQ(model["name"], json::parse(medvqa::test::readFile(medvqa::test::demoModel() / "manifest.json"))["name"]);
  EXPECT_EQ(model["device"], "cpu");
  EXPECT_EQ(model["folder"], medvqa::test::demoModel().string());
  EXPECT_FALSE(model["question_types"].empty());
  EXPECT_GT(model["answer_count"].get<int>(), 2);

  ASSERT_EQ(orthanc_.post(path("/questions"), R"({"question": "Is the heart enlarged?"})").status, 200);
  ASSERT_EQ(orthanc_.post(path("/questions"), R"({"question": "What is the patient's sex?"})").status, 200);
  ASSERT_EQ(orthanc_.post(path("/questions"), R"({"question": ""})").status, 400);  // not counted: refused
  const HttpResult metrics = orthanc_.get("/medvqa/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.contentType, "text/plain; version=0.0.4");
  medvqa::test::expectValidExposition(metrics.body);
  using medvqa::test::sampleValue;
  EXPECT_EQ(sampleValue(metrics.body, "medvqa_questions_total"), 2) << metrics.body;
  // Every answer counts, the standing ones of the rule included; refusals count apart.
  const auto standingFrom = [&](const char* source) {
    return std::count_if(standing["answers"].begin(), standing["answers"].end(), [&](const json& a) {
      return a.value("source", "") == source && a.value("status", "") == "answered";
    });
  };
  EXPECT_EQ(sampleValue(metrics.body, "medvqa_answers_total{source=\"model\"}"), 1 + standingFrom("model"))
      << metrics.body;
  EXPECT_EQ(sampleValue(metrics.body, "medvqa_answers_total{source=\"header\"}"), 1 + standingFrom("header"))
      << metrics.body;
  EXPECT_EQ(sampleValue(metrics.body, "medvqa_jobs{state=\"done\"}"), 1) << metrics.body;
  EXPECT_EQ(sampleValue(metrics.body, "medvqa_stable_studies_total{decision=\"queued\"}"), 1) << metrics.body;
  EXPECT_EQ(sampleValue(metrics.body, "medvqa_srs_stored_total"), 1) << metrics.body;
  EXPECT_EQ(sampleValue(metrics.body, "medvqa_model_loaded"), 1) << metrics.body;
  const std::string info = "medvqa_model_info{device=\"cpu\",name=\"" + model["name"].get<std::string>() +
                           "\",version=\"" + model["version"].get<std::string>() + "\"}";
  EXPECT_EQ(sampleValue(metrics.body, info), 1) << metrics.body;

  // A header question and a model question, the latter also stored as an SR in the study.
  HttpResult r = orthanc_.post(path("/questions"), R"({"question": "What is the modality?"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.contentType, "application/json");
  json answer = r.json();
  EXPECT_EQ(answer["source"], "header");
  EXPECT_EQ(answer["answer"], "DX");
  EXPECT_EQ(answer["confidence"], 1.0);
  r = orthanc_.post(path("/questions"), R"({"question": "Is there a pneumothorax?", "sr": true})");
  ASSERT_EQ(r.status, 200) << r.body;
  answer = r.json();
  EXPECT_EQ(answer["source"], "model");
  EXPECT_EQ(answer["question"], "Is there a pneumothorax?");
  EXPECT_FALSE(answer["evidence"].empty());
  ASSERT_TRUE(answer["sr_sop_instance_uid"].is_string()) << r.body;
  const HttpResult lookup = orthanc_.post("/tools/lookup", answer["sr_sop_instance_uid"].get<std::string>());
  ASSERT_EQ(lookup.status, 200);
  ASSERT_EQ(lookup.json().size(), 1u) << "the asked SR is in Orthanc: " << lookup.body;
  EXPECT_EQ(lookup.json()[0]["Type"], "Instance");
  EXPECT_EQ(orthanc_.srSeries(id_).size(), 2u);

  // Bad bodies: 400 with a JSON error, nothing asked.
  for (const std::string& bad : {std::string("not json"), std::string(R"({"question": ""})"),
                                 std::string(R"({"question": "   "})"), std::string(R"({"q": 1})"),
                                 std::string(R"(["Is there a pneumothorax?"])"),
                                 std::string(R"({"question": "Is there a pneumothorax?", "sr": "yes"})"),
                                 R"({"question": ")" + std::string(501, 'a') + R"("})"}) {
    expectJsonError(orthanc_.post(path("/questions"), bad), 400, bad.substr(0, 40));
  }
  // Unknown and malformed study ids.
  for (const std::string route : {"/questions", "/answer"}) {
    expectJsonError(orthanc_.post(std::string("/medvqa/studies/") + kNoSuchStudy + route, R"({"question": "Is it?"})"),
                    404, route);
    expectJsonError(orthanc_.post("/medvqa/studies/1.2.840.1/" + route.substr(1), R"({"question": "Is it?"})"), 400, route);
  }
  expectJsonError(orthanc_.get(std::string("/medvqa/studies/") + kNoSuchStudy + "/answers"), 404, "answers");
  expectJsonError(orthanc_.get("/medvqa/studies/not-an-id/answers"), 400, "answers");
  // Wrong methods: 405 with the method the route takes.
  for (const auto& [method, route, allowed] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET", path("/questions"), "POST"}, {"PUT", path("/answers"), "GET"}, {"GET", path("/answer"), "POST"},
           {"DELETE", "/medvqa/jobs", "GET"}, {"POST", "/medvqa/models", "GET"}, {"POST", "/medvqa/metrics", "GET"}}) {
    const HttpResult refused = orthanc_.request(method, route, "{}");
    EXPECT_EQ(refused.status, 405) << method << " " << route;
    EXPECT_EQ(refused.allow, allowed) << method << " " << route;
  }

  // Re-run the rules now: a new job under a fresh key, a new SR.
  r = orthanc_.post(path("/answer"), "");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json(), json({{"study_uid", study_.uid}, {"decision", "queued"}}));
  ASSERT_TRUE(waitFor([&] { return orthanc_.getJson("/medvqa/jobs?state=done")["jobs"].size() == 2; }, 60s))
      << orthanc_.get("/medvqa/jobs").body;
  EXPECT_EQ(orthanc_.srSeries(id_).size(), 3u);
  EXPECT_EQ(orthanc_.stop(), 0) << orthanc_.log();
}

// Issue 11: every outcome is a 200 with its status; refused questions are never written as SRs.
TEST_F(PluginRest, EachOutcomeComesBackWithItsStatusAndRefusalsMakeNoSr) {
  const auto ask = [&](const std::string& question, bool sr) {
    const HttpResult r = orthanc_.post(path("/questions"), json{{"question", question}, {"sr", sr}}.dump());
    EXPECT_EQ(r.status, 200) << question << ": " << r.body;
    return r.json();
  };
  const json answered = ask("Is there a pleural effusion?", false);
  EXPECT_EQ(answered["status"], "answered") << answered.dump(2);
  EXPECT_TRUE(answered.contains("answer"));
  const json unsupported = ask("Describe the findings.", true);
  EXPECT_EQ(unsupported["status"], "unsupported") << unsupported.dump(2);
  EXPECT_FALSE(unsupported.contains("answer"));
  EXPECT_TRUE(unsupported["sr_sop_instance_uid"].is_null()) << unsupported.dump(2);
  const json liver = ask("Is there a liver lesion?", true);
  EXPECT_EQ(liver["status"], "not_applicable") << liver.dump(2);
  EXPECT_FALSE(liver["reason"].get<std::string>().empty());
  EXPECT_TRUE(liver["sr_sop_instance_uid"].is_null());
  const HttpResult metrics = orthanc_.get("/medvqa/metrics");
  EXPECT_EQ(medvqa::test::sampleValue(metrics.body, "medvqa_refusals_total{status=\"unsupported\"}"), 1) << metrics.body;
  EXPECT_EQ(medvqa::test::sampleValue(metrics.body, "medvqa_refusals_total{status=\"not_applicable\"}"), 1);
}

// The node and the plugin answer the same study with the same model in the same JSON.
TEST_F(PluginRest, TheNodeAndThePluginGiveTheSameAnswersInTheSameShape) {
  medvqa::test::NodeUnderTest node({"--stable-age", "1", "--model", medvqa::test::demoModel().string()});
  node.start();
  ASSERT_EQ(node.storeFiles(study_.files).exitCode, 0);
  httplib::Client client("127.0.0.1", node.httpPort());
  client.set_read_timeout(60, 0);
  json fromNode;
  ASSERT_TRUE(waitFor([&] {
    const auto res = client.Get(("/studies/" + study_.uid + "/answers").c_str());
    fromNode = res ? json::parse(res->body, nullptr, false) : json();
    return fromNode.is_object() && fromNode.value("state", "") == "done";
  }, 90s)) << fromNode.dump(2);
  const json fromPlugin = waitForAnswers(orthanc_, id_);
  EXPECT_EQ(keysOf(fromPlugin), keysOf(fromNode));
  EXPECT_EQ(rounded(fromPlugin["answers"]), rounded(fromNode["answers"]));
  EXPECT_EQ(keysOf(fromPlugin["job"]), keysOf(fromNode["job"]));
  EXPECT_EQ(fromPlugin["job"]["rule_set"], fromNode["job"]["rule_set"]);

  const std::string body = R"({"question": "Is there a pleural effusion?", "sr": true})";
  const auto nodeAnswer = client.Post(("/studies/" + study_.uid + "/questions").c_str(), body, "application/json");
  ASSERT_TRUE(nodeAnswer);
  const HttpResult pluginAnswer = orthanc_.post(path("/questions"), body);
  ASSERT_EQ(pluginAnswer.status, 200);
  json a = json::parse(nodeAnswer->body), b = pluginAnswer.json();
  EXPECT_EQ(keysOf(a), keysOf(b));
  a.erase("sr_sop_instance_uid");  // a fresh SR each: different UIDs
  b.erase("sr_sop_instance_uid");
  EXPECT_EQ(rounded(a), rounded(b));
}

TEST(PluginWithoutModel, OrthancRunsOnAndTheRoutesSay503) {
  OrthancUnderTest orthanc({.medvqa = {{"model", "/nonexistent/model"}}});
  orthanc.start();
  ChestStudy study;
  ASSERT_EQ(orthanc.store(study.files).exitCode, 0) << "Orthanc still stores studies";
  const auto id = orthanc.studyId(study.uid);
  ASSERT_TRUE(id);
  for (const auto& [method, route] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/medvqa/jobs"}, {"GET", "/medvqa/models"}, {"GET", "/medvqa/deliveries"},
           {"GET", "/medvqa/studies/" + *id + "/answers"}, {"POST", "/medvqa/studies/" + *id + "/answer"}}) {
    const HttpResult r = orthanc.request(method, route, "");
    expectJsonError(r, 503, route);
    EXPECT_NE(r.json().value("error", "").find("/nonexistent/model"), std::string::npos) << r.body;
  }
  expectJsonError(orthanc.post("/medvqa/studies/" + *id + "/questions", R"({"question": "Is it?"})"), 503, "questions");
  const HttpResult metrics = orthanc.get("/medvqa/metrics");
  ASSERT_EQ(metrics.status, 200);
  medvqa::test::expectValidExposition(metrics.body);
  EXPECT_EQ(medvqa::test::sampleValue(metrics.body, "medvqa_model_loaded"), 0) << metrics.body;
  EXPECT_EQ(orthanc.stop(), 0) << orthanc.log();
}

TEST(PluginConfig, ARuleQuestionTheModelDoesNotAnswerStopsOrthancNamingIt) {
  const json rules = json::parse(R"([{"name": "reports", "match": {"modality": ["CR", "DX"], "bodyPart": "chest"},
                                       "questions": ["Write the report for this study."]}])");
  OrthancUnderTest orthanc({.medvqa = {{"model", medvqa::test::demoModel().string()}, {"rules", rules}}});
  try {
    orthanc.start();
    FAIL() << "Orthanc started with a rule question the model does not answer";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("rule 'reports', question \"Write the report for this study.\""),
              std::string::npos)
        << e.what();
  }
}

TEST(PluginConfig, ABadMedVqaSectionStopsOrthancNamingTheKey) {
  OrthancUnderTest orthanc({.medvqa = {{"workers", 0}}});
  try {
    orthanc.start();
    FAIL() << "Orthanc started with MedVQA.workers = 0";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("MedVQA.workers"), std::string::npos) << e.what();
  }
}

}  // namespace
