// Patient identifiers never reach the node's log in clear, at any log level: a study with
// distinctive identifiers is stored (storescu), queried (findscu, with a character set so that
// dcmdata converts it), retrieved (getscu) and listed over HTTP, and the captured stderr is
// searched for them. At debug level DCMTK dumps every DIMSE message with its data set: the log
// must have those dumps, masked, or the test proves nothing.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <httplib.h>

#include <regex>
#include <string>
#include <vector>

#include "common/log.h"
#include "dicom_files.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {

constexpr char kName[] = "ZZSECRET^PATIENT";
constexpr char kPatientId[] = "ID-ZZ-4711";
constexpr char kAccession[] = "ACC-ZZ-0815";
constexpr char kReferrer[] = "ZZDOC^REFERRER";
constexpr char kBirthDate[] = "19470203";

// What must not appear anywhere in the log: each identifier, its distinctive part alone, and the
// name as DCMTK prints bytes in hex (an element received as UN, a PDU dump).
const std::vector<std::string> kForbidden = {kName,      "ZZSECRET",     kPatientId,     "ZZ-4711",
                                             kAccession, "ZZ-0815",      kReferrer,      "REFERRER",
                                             kBirthDate, "5a\\5a\\53\\45", "5a  5a  53  45"};

// A corpus instance re-identified with the distinctive values, in its own transfer syntax.
fs::path identifiedInstance(const TempDir& dir) {
  const fs::path source = filesUnder(testData("ct-explicit")).front();
  DcmFileFormat file;
  EXPECT_TRUE(file.loadFile(source.c_str()).good());
  DcmDataset& ds = *file.getDataset();
  ds.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 100");
  ds.putAndInsertString(DCM_PatientName, kName);
  ds.putAndInsertString(DCM_PatientID, kPatientId);
  ds.putAndInsertString(DCM_AccessionNumber, kAccession);
  ds.putAndInsertString(DCM_ReferringPhysicianName, kReferrer);
  ds.putAndInsertString(DCM_PatientBirthDate, kBirthDate);
  const fs::path out = dir / "identified.dcm";
  EXPECT_TRUE(file.saveFile(out.c_str(), EXS_Unknown).good());
  return out;
}

// Everything a workstation and a browser do with the study; each step must succeed, so that
// the node really handled (and could have logged) the identifiers.
void useTheStudy(const NodeUnderTest& node, const fs::path& instance) {
  const RunResult stored = node.storeFiles({instance});
  ASSERT_EQ(stored.exitCode, 0) << stored.output;

  const RunResult study = node.dcmtk(
      "findscu", {"-v", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "SpecificCharacterSet=ISO_IR 100", "-k",
                  std::string("PatientName=ZZSECRET*"), "-k", "PatientID", "-k", "AccessionNumber", "-k",
                  "ReferringPhysicianName", "-k", "StudyInstanceUID"});
  ASSERT_EQ(study.exitCode, 0) << study.output;
  EXPECT_NE(study.output.find("Find Response: 1 (Pending"), std::string::npos) << study.output;

  const RunResult patient = node.dcmtk("findscu", {"-v", "-P", "-k", "QueryRetrieveLevel=PATIENT", "-k",
                                                   std::string("PatientID=") + kPatientId, "-k", "PatientName",
                                                   "-k", "PatientBirthDate"});
  ASSERT_EQ(patient.exitCode, 0) << patient.output;
  EXPECT_NE(patient.output.find("Find Response: 1 (Pending"), std::string::npos) << patient.output;

  TempDir retrieved("log-masking-get");
  const RunResult get = node.dcmtk("getscu", {"-S", "-k", "QueryRetrieveLevel=STUDY", "-k",
                                              "StudyInstanceUID=" + attribute(instance, DCM_StudyInstanceUID),
                                              "-od", retrieved.path().string()});
  ASSERT_EQ(get.exitCode, 0) << get.output;
  EXPECT_EQ(filesUnder(retrieved.path()).size(), 1u) << get.output;

  httplib::Client client("127.0.0.1", node.httpPort());
  const auto studies = client.Get("/studies");
  ASSERT_TRUE(studies);
  EXPECT_EQ(studies->status, 200);
  EXPECT_NE(studies->body.find(kName), std::string::npos) << "the API shows the study: " << studies->body;
}

void expectNoIdentifierInClear(const std::string& log) {
  for (const auto& forbidden : kForbidden) {
    const auto at = log.find(forbidden);
    EXPECT_EQ(at, std::string::npos) << "'" << forbidden << "' in the node's log:\n"
                                     << log.substr(at == std::string::npos ? 0 : at - std::min<std::size_t>(at, 400), 800);
  }
  // Every line is ours (timestamp, level): none is DCMTK writing to stderr past the bridge.
  const std::regex raw(R"((^|\n)[TDIWEF]: )");
  EXPECT_FALSE(std::regex_search(log, raw)) << log;
}

std::string logOfANodeUsedAt(const std::string& level) {
  TempDir dir("log-masking");
  const fs::path instance = identifiedInstance(dir);
  NodeUnderTest node({"--log-level", level, "--answering", "off"});
  node.start();
  useTheStudy(node, instance);
  EXPECT_EQ(node.stop(), 0);
  return node.log();
}

}  // namespace

TEST(LogMasking, DebugLogHasDcmtkDumpsButNoIdentifierInClear) {
  const std::string log = logOfANodeUsedAt("debug");
  // Not vacuous: DCMTK's debug output is there, with these very values, masked.
  EXPECT_NE(log.find("C-FIND RSP"), std::string::npos) << log;
  EXPECT_NE(log.find("C-STORE RQ"), std::string::npos) << log;
  EXPECT_NE(log.find("(0010,0010) PN [" + medvqa::log::mask(kName) + "]"), std::string::npos) << log;
  EXPECT_NE(log.find("(0010,0020) LO [" + medvqa::log::mask(kPatientId) + "]"), std::string::npos) << log;
  EXPECT_NE(log.find("(0008,0050) SH [" + medvqa::log::mask(kAccession) + "]"), std::string::npos) << log;
  EXPECT_NE(log.find("DcmSpecificCharacterSet: Converting '" + medvqa::log::mask(kName) + "'"), std::string::npos)
      << log;
  expectNoIdentifierInClear(log);
}

TEST(LogMasking, DefaultLogHasNoIdentifierInClear) {
  const std::string log = logOfANodeUsedAt("info");
  EXPECT_NE(log.find("medvqa-scp ready"), std::string::npos) << log;
  EXPECT_NE(log.find("C-GET from TESTSCU: 1"), std::string::npos) << log;
  EXPECT_EQ(log.find("(0010,0010)"), std::string::npos) << "data set dumps at info level:\n" << log;
  expectNoIdentifierInClear(log);
}
