// kill -9 in the middle of a 200-instance send: every instance acknowledged before the kill is on
// disk and intact after a restart, and the index matches the files.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "dicom_files.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {

// storescu -v prints "Sending file: PATH" then "Received Store Response (Success)" per instance.
std::vector<fs::path> acknowledgedFiles(const std::string& log) {
  std::vector<fs::path> acked;
  std::string current;
  const std::regex sending(R"(Sending file: (\S+))");
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, sending)) current = m[1];
    if (line.find("Received Store Response (Success)") != std::string::npos && !current.empty()) {
      acked.push_back(current);
    }
  }
  return acked;
}

std::int64_t indexedInstances(const NodeUnderTest& node) {
  httplib::Client client("127.0.0.1", node.httpPort());
  const auto res = client.Get("/studies");
  if (!res || res->status != 200) return -1;
  const auto body = nlohmann::json::parse(res->body);
  std::int64_t total = 0;
  for (const auto& s : body["studies"]) total += s["instance_count"].get<std::int64_t>();
  return total;
}

}  // namespace

TEST(CrashRecovery, Kill9MidSendLosesNothingAcknowledged) {
  TempDir corpus("crash-corpus");
  const RunResult gen = run({buildBin("medvqa-gen").string(), "--out", corpus.path().string(), "--instances", "200",
                             "--rows", "256", "--cols", "256", "--seed", "77", "--quiet"});
  ASSERT_EQ(gen.exitCode, 0) << gen.output;
  const auto files = filesUnder(corpus.path());
  ASSERT_EQ(files.size(), 200u);

  NodeUnderTest node;
  node.start();
  std::vector<std::string> argv = {"storescu", "-v", "-aec", node.aet(), "127.0.0.1", std::to_string(node.port())};
  for (const auto& f : files) argv.push_back(f.string());
  TempDir logs("crash-logs");
  {
    Process sender(argv, logs / "storescu.log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (acknowledgedFiles(readFile(logs / "storescu.log")).size() < 60 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    node.kill9();
    sender.wait(std::chrono::seconds(30));
  }
  const auto acked = acknowledgedFiles(readFile(logs / "storescu.log"));
  ASSERT_GE(acked.size(), 60u) << readFile(logs / "storescu.log").substr(0, 2000);
  ASSERT_LT(acked.size(), 200u) << "the kill came too late to interrupt the send";

  node.start();  // same storage folder: recovery runs at start
  for (const auto& f : acked) {
    const fs::path stored = storedPath(node.storage(), attribute(f, DCM_SOPInstanceUID));
    ASSERT_TRUE(fs::exists(stored)) << "acknowledged but lost: " << f;
    EXPECT_TRUE(datasetBytes(stored) == datasetBytes(f)) << "acknowledged but damaged: " << f;
  }
  EXPECT_EQ(indexedInstances(node), static_cast<std::int64_t>(filesUnder(node.storage() / "instances").size()))
      << node.log();
  EXPECT_TRUE(filesUnder(node.storage() / "tmp").empty());

  const RunResult resend = node.storeFiles(files);
  ASSERT_EQ(resend.exitCode, 0) << resend.output;
  EXPECT_EQ(indexedInstances(node), 200);
  EXPECT_EQ(filesUnder(node.storage() / "instances").size(), 200u);
  for (const auto& f : files) {
    EXPECT_TRUE(datasetBytes(storedPath(node.storage(), attribute(f, DCM_SOPInstanceUID))) == datasetBytes(f)) << f;
  }
}

TEST(CrashRecovery, TheIndexIsRebuiltFromTheFilesAfterAnUncleanStop) {
  // What a power loss can do with synchronous=NORMAL: lose index commits whose files were
  // fsync'd. Simulated by deleting the whole index after a kill -9.
  NodeUnderTest node;
  node.start();
  const auto files = filesUnder(testData("query"));
  ASSERT_EQ(node.storeFiles(files).exitCode, 0);
  EXPECT_EQ(node.stop(), 0);
  EXPECT_TRUE(fs::exists(node.storage() / "clean-stop")) << "a clean stop is recorded";

  node.start();
  EXPECT_FALSE(fs::exists(node.storage() / "clean-stop")) << "consumed while running";
  node.kill9();
  EXPECT_FALSE(fs::exists(node.storage() / "clean-stop"));
  for (const char* name : {"index.sqlite", "index.sqlite-wal", "index.sqlite-shm"}) fs::remove(node.storage() / name);

  node.start();
  EXPECT_EQ(indexedInstances(node), static_cast<std::int64_t>(files.size())) << node.log();
  EXPECT_NE(node.log().find(std::to_string(files.size()) + " file(s) reindexed"), std::string::npos) << node.log();
  const RunResult found = node.dcmtk("findscu", {"-v", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k",
                                                 "StudyInstanceUID=" + attribute(files.front(), DCM_StudyInstanceUID)});
  EXPECT_NE(found.output.find("Find Response: 1 (Pending)"), std::string::npos) << found.output;
}
