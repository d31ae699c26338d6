// Orthanc Explorer's "Ask MedVQA" panel in a real browser: headless Chromium (Debian's) opens the
// study page, the panel lists the study's standing answers, a question typed into the panel is
// answered on the page, and a screenshot is kept as an artifact
// (build/test-artifacts/plugin-browser/ask-panel.png).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "dicom_files.h"
#include "orthanc_under_test.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::test::OrthancUnderTest;
using medvqa::test::RunResult;
using medvqa::test::TempDir;
using medvqa::test::waitFor;
using nlohmann::json;

namespace {

TEST(PluginBrowser, TheAskPanelOnTheStudyPageShowsTheAnswer) {
  TempDir set("plugin-browser-set");
  const RunResult synth = medvqa::test::run({medvqa::test::buildBin("medvqa").string(), "synth", "--out",
                                             (set / "set").string(), "--studies", "2", "--seed", "7"});
  ASSERT_EQ(synth.exitCode, 0) << synth.output;
  medvqa::test::TruthRow chest;
  for (const auto& row : medvqa::test::readTruth(set / "set" / "truth.jsonl")) {
    if (row.kind == "chest") chest = row;
  }
  ASSERT_FALSE(chest.studyUid.empty());

  OrthancUnderTest orthanc({.medvqa = {{"model", medvqa::test::demoModel().string()}}});
  orthanc.start();
  ASSERT_EQ(orthanc.store(medvqa::test::filesUnder(set / "set" / chest.studyDir)).exitCode, 0);
  const auto id = orthanc.studyId(chest.studyUid);
  ASSERT_TRUE(id);
  json standing;
  ASSERT_TRUE(waitFor([&] {
    standing = orthanc.getJson("/medvqa/studies/" + *id + "/answers");
    return standing.value("state", "") == "done";
  }, 90s)) << standing.dump(2);

  const fs::path artifacts = fs::path(MEDVQA_BUILD_DIR) / "test-artifacts" / "plugin-browser";
  fs::create_directories(artifacts);
  const fs::path screenshot = artifacts / "ask-panel.png";
  fs::remove(screenshot);
  const std::string question = "Is there a pneumothorax?";
  // A liver question on a chest radiograph: the panel must say why, not show a guess.
  const std::string refusedQuestion = "Is there a liver lesion?";
  const RunResult browser = medvqa::test::run(
      {"env", std::string("NODE_PATH=") + MEDVQA_BROWSER_DIR + "/node_modules", "node",
       (fs::path(MEDVQA_SOURCE_DIR) / "tests" / "browser" / "ask-panel.js").string(), orthanc.url(""), *id, question,
       screenshot.string(), refusedQuestion},
      120s);
  ASSERT_EQ(browser.exitCode, 0) << browser.output << "\n" << orthanc.log();
  // The script prints its result as the last line (Chromium may log before it).
  const std::string out = browser.output.substr(0, browser.output.find_last_not_of('\n') + 1);
  const json shown = json::parse(out.substr(out.rfind('\n') + 1), nullptr, false);
  ASSERT_TRUE(shown.is_object()) << browser.output;

  // What the page shows is what the API answers.
  const json api = orthanc.post("/medvqa/studies/" + *id + "/questions", json{{"question", question}}.dump()).json();
  EXPECT_EQ(shown["state"], "answered") << shown.dump(2);
  EXPECT_EQ(shown["answer"], api["answer"]) << shown.dump(2);
  const std::string detail = shown.value("detail", "");
  EXPECT_NE(detail.find("confidence " + std::to_string(std::lround(api["confidence"].get<double>() * 100)) + " %"),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("source: model"), std::string::npos) << detail;
  std::set<std::string> standingQuestions, panelQuestions;
  for (const auto& a : standing["answers"]) standingQuestions.insert(a["question"].get<std::string>());
  for (const auto& q : shown["standing"]) panelQuestions.insert(q.get<std::string>());
  EXPECT_EQ(panelQuestions, standingQuestions);
  const json refused = shown["refused"];
  EXPECT_EQ(refused["state"], "not_applicable") << shown.dump(2);
  EXPECT_NE(refused.value("shown", "").find("Not answered"), std::string::npos) << refused.dump(2);
  const json refusedApi =
      orthanc.post("/medvqa/studies/" + *id + "/questions", json{{"question", refusedQuestion}}.dump()).json();
  EXPECT_NE(refused.value("detail", "").find(refusedApi["reason"].get<std::string>()), std::string::npos)
      << refused.dump(2);
  EXPECT_TRUE(fs::exists(artifacts / "ask-panel-refused.png"));
  EXPECT_TRUE(shown["pageErrors"].empty()) << shown["pageErrors"].dump();
  ASSERT_TRUE(fs::exists(screenshot));
  EXPECT_GT(fs::file_size(screenshot), 10000u);
  EXPECT_EQ(orthanc.stop(), 0) << orthanc.log();
}

}  // namespace
