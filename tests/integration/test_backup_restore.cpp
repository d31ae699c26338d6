// docs/operations.md's backup procedure, as an operator runs it: sqlite's online backup of the
// three databases and a copy of the instance files while the node serves, then a fresh node on
// the restored folder finds and serves the study.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>

#include "dicom_files.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;
using nlohmann::json;

TEST(BackupRestore, AnOnlineBackupRestoredIntoAnEmptyFolderServesTheStudyAgain) {
  NodeUnderTest live({"--answering", "off"});
  live.start();
  const auto files = filesUnder(filesUnder(testData("ct-explicit")).front().parent_path());
  ASSERT_EQ(live.dcmtk("storescu", {"+sd"}, {files.front().parent_path().string()}).exitCode, 0);
  const std::string study = attribute(files.front(), DCM_StudyInstanceUID);

  TempDir backup("backup");
  for (const char* db : {"index", "jobs", "outbox"}) {
    const fs::path from = live.storage() / (std::string(db) + ".sqlite");
    const RunResult r = run({"sqlite3", from.string(), ".backup '" + (backup / (std::string(db) + ".sqlite")).string() + "'"});
    ASSERT_EQ(r.exitCode, 0) << db << ": " << r.output;
  }
  fs::copy(live.storage() / "instances", backup / "instances", fs::copy_options::recursive);
  ASSERT_EQ(live.stop(), 0);

  NodeUnderTest restored({"--answering", "off", "--storage", backup.path().string()});
  restored.start();
  const auto res = httplib::Client("127.0.0.1", restored.httpPort()).Get(("/studies/" + study).c_str());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["instance_count"], files.size());

  TempDir out("restored-get");
  const RunResult get = restored.dcmtk(
      "getscu", {"-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "-od", out.path().string()});
  ASSERT_EQ(get.exitCode, 0) << get.output;
  std::map<std::string, fs::path> received;
  for (const auto& f : filesUnder(out.path())) received[attribute(f, DCM_SOPInstanceUID)] = f;
  ASSERT_EQ(received.size(), files.size());
  for (const auto& f : files) {
    const auto it = received.find(attribute(f, DCM_SOPInstanceUID));
    ASSERT_NE(it, received.end()) << f;
    EXPECT_EQ(datasetBytes(it->second), datasetBytes(f)) << f;  // explicit LE in and out: byte-identical
  }
}
