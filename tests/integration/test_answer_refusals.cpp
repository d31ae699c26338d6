// Answers the engine can stand behind (issue 11), seen from the node's HTTP API as a client sees
// them: every outcome through POST /studies/{uid}/questions with a 200, refused questions never
// written into an SR, and rule questions the model cannot answer stopping the start (exit 2).
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "dicom_files.h"
#include "node_http.h"
#include "node_under_test.h"
#include "process.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::test::buildBin;
using medvqa::test::filesUnder;
using medvqa::test::getJson;
using medvqa::test::NodeUnderTest;
using medvqa::test::RunResult;
using medvqa::test::TempDir;
using nlohmann::json;

namespace {

fs::path testModel(const std::string& name) { return fs::path(MEDVQA_BUILD_DIR) / "testmodels" / name; }
fs::path demoModel() { return fs::path(MEDVQA_SOURCE_DIR) / "models" / "demo"; }

// One synthetic chest radiograph study (CR or DX, Body Part Examined CHEST): its UID and folder.
class ChestStudy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("refusals-studies");
    const RunResult r = medvqa::test::run({buildBin("medvqa").string(), "synth", "--out", (*dir_ / "set").string(),
                                           "--studies", "2", "--seed", "911"});
    ASSERT_EQ(r.exitCode, 0) << r.output;
    std::ifstream in(*dir_ / "set" / "truth.jsonl");
    for (std::string line; std::getline(in, line);) {
      const json row = json::parse(line);
      if (row["kind"] == "chest") {
        uid_ = row["study_uid"];
        folder_ = *dir_ / "set" / row["study_dir"].get<std::string>();
        break;
      }
    }
    ASSERT_FALSE(uid_.empty()) << "no chest study in the synthetic set";
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static json ask(const NodeUnderTest& node, const std::string& question, bool sr = false) {
    httplib::Client client("127.0.0.1", node.httpPort());
    client.set_read_timeout(60, 0);
    const auto res = client.Post(("/studies/" + uid_ + "/questions").c_str(),
                                 json{{"question", question}, {"sr", sr}}.dump(), "application/json");
    if (!res) return json{{"http_status", -1}};
    json body = json::parse(res->body);
    body["http_status"] = res->status;
    return body;
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::string uid_;
  static inline fs::path folder_;
};

TEST_F(ChestStudy, EveryOutcomeComesBackAsA200WithItsStatus) {
  NodeUnderTest node({"--model", demoModel().string(), "--answering", "on", "--stable-age", "3600"});
  node.start();
  ASSERT_EQ(node.storeFiles(filesUnder(folder_)).exitCode, 0);

  const json answered = ask(node, "Is there a pleural effusion?");
  ASSERT_EQ(answered["http_status"], 200) << answered.dump(2);
  EXPECT_EQ(answered["status"], "answered") << answered.dump(2);
  EXPECT_EQ(answered["question_type"], "effusion_presence");
  EXPECT_TRUE(answered["answer"] == "yes" || answered["answer"] == "no") << answered.dump(2);

  const json inverse = ask(node, "Is the heart normal in size?");
  EXPECT_EQ(inverse["question_type"], "cardiomegaly") << inverse.dump(2);
  EXPECT_EQ(inverse["polarity"], "inverse") << inverse.dump(2);

  for (const std::string question : {"asdf qwer zxcv?", "Describe the findings.", "Is there a fracture of the left femur?"}) {
    const json refused = ask(node, question, true);
    ASSERT_EQ(refused["http_status"], 200) << question << ": " << refused.dump(2);
    EXPECT_EQ(refused["status"], "unsupported") << question << ": " << refused.dump(2);
    EXPECT_FALSE(refused.contains("answer")) << refused.dump(2);
    EXPECT_FALSE(refused["reason"].get<std::string>().empty());
    EXPECT_TRUE(refused["sr_sop_instance_uid"].is_null()) << "a refused question was written into an SR";
  }

  const json liver = ask(node, "Is there a liver lesion?");
  ASSERT_EQ(liver["http_status"], 200) << liver.dump(2);
  EXPECT_EQ(liver["status"], "not_applicable") << liver.dump(2);
  EXPECT_EQ(liver["question_type"], "liver_lesion");
  EXPECT_NE(liver["reason"].get<std::string>().find("this study is"), std::string::npos) << liver.dump(2);

  // Bad input stays an error.
  EXPECT_EQ(ask(node, "")["http_status"], 400);
  EXPECT_EQ(ask(node, std::string(600, 'a'))["http_status"], 400);
  // The refusals are counted by status.
  const auto metrics = httplib::Client("127.0.0.1", node.httpPort()).Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("medvqa_refusals_total{status=\"unsupported\"} 3"), std::string::npos);
  EXPECT_NE(metrics->body.find("medvqa_refusals_total{status=\"not_applicable\"} 1"), std::string::npos);
}

// The strict tiny model's threshold (0.99) leaves its random answers uncertain: the standing job
// answers the header question, writes only that into the SR, and the API shows the best guess.
TEST_F(ChestStudy, UncertainStandingAnswersStayOutOfTheSr) {
  TempDir config("refusals-config");
  std::ofstream(config / "node.json") << R"({"answering": {"rules": [{"name": "chest",
      "match": {"modality": ["CR", "DX"], "bodyPart": "chest"},
      "questions": ["What is the modality?", "Is there a pleural effusion?"]}]}})";
  NodeUnderTest node({"--config", (config / "node.json").string(), "--model", testModel("tiny-model-strict").string(),
                      "--stable-age", "1"});
  node.start();
  ASSERT_EQ(node.storeFiles(filesUnder(folder_)).exitCode, 0);
  json answers;
  for (const auto deadline = std::chrono::steady_clock::now() + 60s; std::chrono::steady_clock::now() < deadline;) {
    answers = getJson(node.httpPort(), "/studies/" + uid_ + "/answers");
    if (answers.value("state", "") == "done" || answers.value("state", "") == "failed") break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_EQ(answers["state"], "done") << answers.dump(2);
  ASSERT_EQ(answers["answers"].size(), 2u);
  EXPECT_EQ(answers["answers"][0]["status"], "answered");
  EXPECT_EQ(answers["answers"][1]["status"], "uncertain") << answers.dump(2);
  EXPECT_TRUE(answers["answers"][1].contains("best_guess"));
  EXPECT_FALSE(answers["answers"][1].contains("answer"));
  const std::string srUid = answers["sr_sop_instance_uid"];

  TempDir got("refusals-get");
  ASSERT_EQ(node.dcmtk("getscu", {"-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + uid_, "-k",
                                  "SOPInstanceUID=" + srUid, "-od", got.path().string()})
                .exitCode,
            0);
  const auto files = filesUnder(got.path());
  ASSERT_EQ(files.size(), 1u);
  const RunResult read = medvqa::test::run({buildBin("medvqa").string(), "sr-json", files.front().string()});
  ASSERT_EQ(read.exitCode, 0) << read.output;
  const json sr = json::parse(read.output);
  ASSERT_EQ(sr["answers"].size(), 1u) << sr.dump(2);
  EXPECT_EQ(sr["answers"][0]["question"], "What is the modality?");
}

RunResult startWithRule(const fs::path& dir, const std::string& rule, const fs::path& model) {
  std::ofstream(dir / "node.json") << R"({"answering": {"rules": [)" + rule + "]}}";
  return medvqa::test::run({buildBin("medvqa-scp").string(), "--config", (dir / "node.json").string(), "--model",
                            model.string(), "--port", "0", "--http-port", "off", "--storage",
                            (dir / "storage").string()},
                           60s);
}

TEST(RuleQuestionsAtStart, AQuestionTheModelDoesNotAnswerStopsTheNodeNamingIt) {
  TempDir dir("refusals-rule-unsupported");
  const RunResult r = startWithRule(dir.path(), R"({"name": "femur", "match": {"modality": "CR", "bodyPart": "chest"},
      "questions": ["Is there a pleural effusion?", "Is there a fracture of the left femur?"]})", testModel("tiny-model"));
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_NE(r.output.find("rule 'femur', question \"Is there a fracture of the left femur?\""), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("not a question"), std::string::npos) << r.output;
}

TEST(RuleQuestionsAtStart, AQuestionThatDoesNotApplyToTheRulesStudiesStopsTheNode) {
  TempDir dir("refusals-rule-not-applicable");
  const RunResult r = startWithRule(dir.path(), R"({"name": "chest", "match": {"modality": "CR", "bodyPart": "chest"},
      "questions": ["Is there a liver lesion?"]})", testModel("tiny-model"));
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_NE(r.output.find("rule 'chest', question \"Is there a liver lesion?\": not applicable"), std::string::npos)
      << r.output;
}

}  // namespace
