// A study that went stable while the plugin was not running is answered at its next start, from
// Orthanc's own change log, once; and Orthanc stops cleanly with the plugin's threads.
#include <gtest/gtest.h>

#include "dicom_files.h"
#include "orthanc_under_test.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::test::OrthancUnderTest;
using medvqa::test::RunResult;
using medvqa::test::TempDir;
using medvqa::test::waitFor;

namespace {

TEST(PluginRestart, AStudyThatWentStableWhileThePluginWasOffIsAnsweredAtItsNextStart) {
  TempDir set("plugin-restart-set");
  const RunResult synth = medvqa::test::run({medvqa::test::buildBin("medvqa").string(), "synth", "--out",
                                             (set / "set").string(), "--studies", "1", "--seed", "99"});
  ASSERT_EQ(synth.exitCode, 0) << synth.output;
  const auto truth = medvqa::test::readTruth(set / "set" / "truth.jsonl");
  ASSERT_FALSE(truth.empty());

  const OrthancUnderTest::Options withPlugin{.medvqa = {{"model", medvqa::test::demoModel().string()}}};
  OrthancUnderTest orthanc(withPlugin);
  orthanc.start();  // the first start: the plugin notes where Orthanc's change log stands
  ASSERT_TRUE(waitFor([&] { return fs::exists(orthanc.storage() / "medvqa" / "changes-cursor"); }, 30s));
  EXPECT_EQ(orthanc.stop(), 0) << orthanc.log();

  orthanc.setOptions({.withPlugin = false});
  orthanc.start();
  ASSERT_EQ(orthanc.store(medvqa::test::filesUnder(set / "set" / truth[0].studyDir)).exitCode, 0);
  const auto id = orthanc.studyId(truth[0].studyUid);
  ASSERT_TRUE(id);
  ASSERT_TRUE(waitFor([&] { return orthanc.getJson("/studies/" + *id).value("IsStable", false); }, 30s));
  EXPECT_EQ(orthanc.stop(), 0);

  orthanc.setOptions(withPlugin);
  orthanc.start();
  ASSERT_TRUE(waitFor([&] { return !orthanc.srSeries(*id).empty(); }, 60s)) << orthanc.log();
  EXPECT_EQ(orthanc.getJson("/medvqa/studies/" + *id + "/answers").value("state", ""), "done");
  EXPECT_NE(orthanc.log().find("replaying 1 stable study from Orthanc's change log"), std::string::npos)
      << orthanc.log();
  EXPECT_EQ(orthanc.getJson("/medvqa/jobs")["jobs"].size(), 1u);
  EXPECT_EQ(orthanc.stop(), 0) << orthanc.log();
}

}  // namespace
