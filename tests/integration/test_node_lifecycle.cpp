// The node's life as an operator sees it: HTTP API, the stable-study event, restart, shutdown.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmnet/scu.h>
#include <httplib.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "dicom_files.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;
using nlohmann::json;

namespace {

json getJson(const NodeUnderTest& node, const std::string& path, int expectedStatus = 200) {
  httplib::Client client("127.0.0.1", node.httpPort());
  const auto res = client.Get(path.c_str());
  if (!res) {
    ADD_FAILURE() << "no HTTP answer for " << path;
    return {};
  }
  EXPECT_EQ(res->status, expectedStatus) << path << ": " << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  return json::parse(res->body);
}

// Polls until `predicate` holds on GET path, or `timeout` passes.
json waitForJson(const NodeUnderTest& node, const std::string& path, const std::function<bool(const json&)>& predicate,
                 std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  json j;
  while (std::chrono::steady_clock::now() < deadline) {
    j = getJson(node, path);
    if (predicate(j)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return j;
}

fs::path oneStudy() {
  // One series of the explicit little endian CT corpus.
  return filesUnder(testData("ct-explicit")).front().parent_path();
}

}  // namespace

TEST(NodeLifecycle, HealthAndStudiesApi) {
  // Answering off: an answered study would gain the node's SR series (tested in test_answer_pipeline).
  NodeUnderTest node({"--stable-age", "1", "--answering", "off"});
  node.start();
  EXPECT_EQ(getJson(node, "/healthz")["status"], "ok");
  EXPECT_TRUE(getJson(node, "/studies")["studies"].empty());

  const fs::path series = oneStudy();
  const auto files = filesUnder(series);
  ASSERT_EQ(node.dcmtk("storescu", {"+sd"}, {series.string()}).exitCode, 0);
  const std::string study = attribute(files.front(), DCM_StudyInstanceUID);

  const json listed = getJson(node, "/studies");
  ASSERT_EQ(listed["studies"].size(), 1u);
  EXPECT_EQ(listed["studies"][0]["study_uid"], study);
  EXPECT_EQ(listed["studies"][0]["instance_count"], files.size());

  const json stable = waitForJson(node, "/studies/" + study, [](const json& j) { return j["stable"] == true; },
                                  std::chrono::seconds(10));
  EXPECT_EQ(stable["stable"], true);
  EXPECT_EQ(stable["series_count"], 1);
  EXPECT_EQ(stable["series"][0]["instances"], files.size());
  EXPECT_EQ(stable["modalities"][0], attribute(files.front(), DCM_Modality));
  EXPECT_NE(node.log().find("study stable: " + study), std::string::npos);

  EXPECT_TRUE(getJson(node, "/studies/not..a/uid", 404).contains("error"));
  EXPECT_TRUE(getJson(node, "/studies/1.2.3.x", 400).contains("error"));
  EXPECT_TRUE(getJson(node, "/studies/1.2.3.999", 404).contains("error"));
  EXPECT_TRUE(getJson(node, "/studies?limit=abc", 400).contains("error"));

  // The stable state is persisted: a restart does not forget it.
  EXPECT_EQ(node.stop(), 0);
  node.start();
  EXPECT_EQ(getJson(node, "/studies/" + study)["stable"], true);
}

TEST(NodeLifecycle, AStudyWithAnOpenSenderIsNotStable) {
  NodeUnderTest node({"--stable-age", "1"});
  node.start();
  const fs::path file = filesUnder(oneStudy()).front();
  const std::string study = attribute(file, DCM_StudyInstanceUID);

  DcmSCU scu;  // a modality that pauses between series with its association open
  scu.setAETitle("MODALITY");
  scu.setPeerAETitle(node.aet().c_str());
  scu.setPeerHostName("127.0.0.1");
  scu.setPeerPort(node.port());
  DcmFileFormat dicom;
  ASSERT_TRUE(dicom.loadFile(file.c_str()).good());
  OFString sopClass, ts;
  dicom.getDataset()->findAndGetOFString(DCM_SOPClassUID, sopClass);
  dicom.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts);
  OFList<OFString> proposed;
  proposed.push_back(ts);
  scu.addPresentationContext(sopClass, proposed);
  ASSERT_TRUE(scu.initNetwork().good());
  ASSERT_TRUE(scu.negotiateAssociation().good());
  Uint16 status = 0xFFFF;
  ASSERT_TRUE(scu.sendSTORERequest(0, file.c_str(), nullptr, status).good());
  EXPECT_EQ(status, 0);

  // Another study, sent after it by a sender that leaves at once, goes stable: the monitor has
  // then looked at the held study past its 1 s stable age too (it was quiet for longer).
  const fs::path other = filesUnder(testData("cr-explicit")).front();
  const std::string otherStudy = attribute(other, DCM_StudyInstanceUID);
  ASSERT_NE(otherStudy, study);
  ASSERT_EQ(node.dcmtk("storescu", {}, {other.string()}).exitCode, 0);
  const json otherStable = waitForJson(
      node, "/studies/" + otherStudy, [](const json& j) { return j["stable"] == true; }, std::chrono::seconds(10));
  ASSERT_EQ(otherStable["stable"], true);
  EXPECT_EQ(getJson(node, "/studies/" + study)["stable"], false);
  scu.releaseAssociation();
  const json after = waitForJson(node, "/studies/" + study, [](const json& j) { return j["stable"] == true; },
                                 std::chrono::seconds(10));
  EXPECT_EQ(after["stable"], true);
}

TEST(NodeLifecycle, SigtermLetsInFlightAssociationsFinishThenExitsZero) {
  NodeUnderTest node;
  node.start();
  const auto files = filesUnder(testData("query"));  // 48 uncompressed instances
  std::vector<std::string> argv = {"storescu", "-aec", node.aet(), "127.0.0.1", std::to_string(node.port())};
  for (const auto& f : files) argv.push_back(f.string());
  TempDir logs("sigterm");
  Process sender(argv, logs / "storescu.log");
  // Wait until the node has stored something, so the association is in flight. (The instances/
  // fan-out folders exist from start-up on: only a stored file says the sender got in.)
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline && filesUnder(node.storage() / "instances").empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(node.pid(), SIGTERM);
  EXPECT_EQ(sender.wait(std::chrono::seconds(60)), 0) << readFile(logs / "storescu.log");
  EXPECT_EQ(node.stop(0), 0) << node.log();
  for (const auto& f : files) EXPECT_TRUE(fs::exists(storedPath(node.storage(), attribute(f, DCM_SOPInstanceUID))));
}

TEST(NodeLifecycle, HelpAndBadFlags) {
  const RunResult help = run({buildBin("medvqa-scp").string(), "--help"});
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_NE(help.output.find("--storage DIR"), std::string::npos);
  const RunResult bad = run({buildBin("medvqa-scp").string(), "--port", "notaport"});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.output.find("--port"), std::string::npos);
  TempDir dir("badconfig");
  { std::ofstream(dir / "c.json") << R"({"aet": "X", "prot": 1})"; }
  const RunResult badConfig = run({buildBin("medvqa-scp").string(), "--config", (dir / "c.json").string()});
  EXPECT_EQ(badConfig.exitCode, 2);
  EXPECT_NE(badConfig.output.find("'prot'"), std::string::npos);
}
