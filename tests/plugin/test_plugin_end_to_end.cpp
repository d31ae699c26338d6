// Stable study -> SR inside Orthanc, end to end: synthetic studies sent to a real Orthanc with
// storescu; after Orthanc's StableAge the plugin answers each by its rules, the SR appears as a
// new series of the same study in Orthanc's REST API, passes dciodvfy, holds answers that match
// the generator's truth, is forwarded to a PACS through Orthanc's modalities, and does not make
// the study be answered again.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "answers_json.h"
#include "dicom_files.h"
#include "orthanc_under_test.h"
#include "prometheus_text.h"
#include "storescp_peer.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::test::OrthancUnderTest;
using medvqa::test::RunResult;
using medvqa::test::TempDir;
using medvqa::test::waitFor;
using nlohmann::json;

namespace {

// The default rules' questions and the generator's question type each one asks about.
const std::map<std::string, std::string> kRuleQuestionTypes = {
    {"Is there a pleural effusion?", "effusion_presence"},
    {"Which side is the effusion on?", "effusion_side"},
    {"Is the heart enlarged?", "cardiomegaly"},
    {"Is there a pneumothorax?", "pneumothorax"},
    {"How many nodules are there?", "nodule_count"},
    {"Is there a liver lesion?", "liver_lesion"},
    {"How many liver lesions are there?", "liver_lesion_count"},
    {"What is the size of the largest liver lesion?", "liver_lesion_size"},
    {"Is there a kidney lesion?", "kidney_lesion"},
    {"Which kidney has the lesion?", "kidney_lesion_side"},
};

TEST(PluginEndToEnd, EveryStableStudyGetsOneValidTruthfulSrInOrthancAndAtThePacs) {
  TempDir work("plugin-e2e");
  const RunResult synth = medvqa::test::run({medvqa::test::buildBin("medvqa").string(), "synth", "--out",
                                             (work / "set").string(), "--studies", "8", "--seed", "5150"});
  ASSERT_EQ(synth.exitCode, 0) << synth.output;
  const auto truth = medvqa::test::readTruth(work / "set" / "truth.jsonl");
  std::map<std::string, fs::path> studies;  // Study Instance UID -> folder
  for (const auto& row : truth) studies[row.studyUid] = work / "set" / row.studyDir;

  // A PACS the plugin forwards every SR to, through Orthanc's own C-STORE SCU.
  const medvqa::test::StorescpPeer pacs("PACS", {"+uf"});

  OrthancUnderTest orthanc({.medvqa = {{"model", medvqa::test::demoModel().string()}, {"forward", {"pacs"}}},
                            .extra = {{"DicomModalities", {{"pacs", {"PACS", "127.0.0.1", pacs.port()}}}}}});
  orthanc.start();
  for (const auto& [uid, folder] : studies) {
    const RunResult sent = orthanc.store(medvqa::test::filesUnder(folder));
    ASSERT_EQ(sent.exitCode, 0) << sent.output;
  }

  std::map<std::string, json> answersByStudy;
  for (const auto& [uid, folder] : studies) {
    const auto id = orthanc.studyId(uid);
    ASSERT_TRUE(id) << uid;
    ASSERT_TRUE(waitFor([&] { return !orthanc.srSeries(*id).empty(); }, 90s)) << "no SR for " << uid << "\n" << orthanc.log();
    const auto series = orthanc.srSeries(*id);
    ASSERT_EQ(series.size(), 1u);
    EXPECT_EQ(series[0]["MainDicomTags"].value("SeriesDescription", ""), "MedVQA answers");
    ASSERT_EQ(series[0]["Instances"].size(), 1u);

    // The SR as Orthanc serves it: valid, and holding what the answers API reports.
    const fs::path file = work / (uid + ".sr.dcm");
    const auto bytes = orthanc.get("/instances/" + series[0]["Instances"][0].get<std::string>() + "/file");
    ASSERT_EQ(bytes.status, 200);
    std::ofstream(file, std::ios::binary) << bytes.body;
    const RunResult verify = medvqa::test::run({"dciodvfy", file.string()});
    EXPECT_EQ(verify.output.find("Error"), std::string::npos) << verify.output;
    const RunResult read = medvqa::test::run({medvqa::test::buildBin("medvqa").string(), "sr-json", file.string()});
    ASSERT_EQ(read.exitCode, 0) << read.output;
    const json sr = json::parse(read.output);
    EXPECT_EQ(sr["study_uid"], uid);

    const json api = orthanc.getJson("/medvqa/studies/" + *id + "/answers");
    EXPECT_EQ(api.value("state", ""), "done") << api.dump(2);
    EXPECT_EQ(api["study_uid"], uid);
    EXPECT_EQ(sr["answers"], medvqa::test::asRecordedInSr(api["answers"])) << "the SR holds what the API reports";
    answersByStudy[uid] = api["answers"];  // with the refused ones, which the SR leaves out
  }

  // The answers against the generator's truth (the demo model is ~91 % right on fresh studies).
  int right = 0, total = 0;
  std::string wrong;
  for (const auto& row : truth) {
    for (const auto& answer : answersByStudy[row.studyUid]) {
      const auto type = kRuleQuestionTypes.find(answer["question"].get<std::string>());
      if (type == kRuleQuestionTypes.end() || type->second != row.type) continue;
      ++total;
      if (answer.value("status", "") != "answered") {
        wrong += row.studyDir + " " + row.type + ": refused (" + answer.value("status", "") + ")\n";
      } else if (answer["answer"] == row.answer) {
        ++right;
      } else {
        wrong += row.studyDir + " " + row.type + ": said " + answer["answer"].dump() + ", truth " + row.answer + "\n";
      }
    }
  }
  EXPECT_EQ(total, 8 * 5) << "every rule question has its truth row";
  EXPECT_GE(right, total * 8 / 10) << right << " of " << total << " right; wrong:\n" << wrong;

  // Storing each SR changed its study, which went stable again: the plugin saw it and made no
  // second job (the SR series is left out of the job key).
  EXPECT_TRUE(waitFor([&] {
    return medvqa::test::sampleValue(orthanc.get("/medvqa/metrics").body, "medvqa_stable_studies_total{decision=\"already-answered\"}") >=
           static_cast<double>(studies.size());
  }, 30s)) << orthanc.get("/medvqa/metrics").body;
  const json jobs = orthanc.getJson("/medvqa/jobs");
  EXPECT_EQ(jobs["jobs"].size(), studies.size()) << jobs.dump(2);
  for (const auto& job : jobs["jobs"]) EXPECT_EQ(job["state"], "done") << job.dump(2);
  for (const auto& [uid, folder] : studies) EXPECT_EQ(orthanc.srSeries(*orthanc.studyId(uid)).size(), 1u) << uid;
  const std::string metrics = orthanc.get("/medvqa/metrics").body;
  EXPECT_EQ(medvqa::test::sampleValue(metrics, "medvqa_stable_studies_total{decision=\"queued\"}"), double(studies.size())) << metrics;
  EXPECT_EQ(medvqa::test::sampleValue(metrics, "medvqa_srs_stored_total"), double(studies.size())) << metrics;
  EXPECT_EQ(medvqa::test::sampleValue(metrics, "medvqa_jobs{state=\"done\"}"), double(studies.size())) << metrics;

  // Store-and-forward: the PACS received every SR, once.
  EXPECT_TRUE(waitFor([&] { return pacs.received().size() >= studies.size(); }, 30s))
      << orthanc.get("/medvqa/deliveries").body << pacs.log();
  EXPECT_EQ(pacs.received().size(), studies.size());
  for (const auto& d : orthanc.getJson("/medvqa/deliveries")["deliveries"]) EXPECT_EQ(d["state"], "sent") << d.dump();

  EXPECT_EQ(orthanc.stop(), 0) << orthanc.log();
}

}  // namespace
