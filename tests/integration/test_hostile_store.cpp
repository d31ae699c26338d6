// What reaches a node in real life besides clean studies: hostile UIDs, broken files, strangers.
// Each is refused with the status the standard gives it, and the node serves the next one.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/scu.h>

#include "dicom_files.h"
#include "audit_messages.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {

fs::path hostile(const std::string& kind) { return testData("hostile") / (kind + ".dcm"); }

// Every path the node wrote, relative to its storage folder.
std::set<std::string> writtenPaths(const NodeUnderTest& node) {
  std::set<std::string> out;
  for (const auto& f : filesUnder(node.storage())) out.insert(fs::relative(f, node.storage()).string());
  return out;
}

void expectStillServing(const NodeUnderTest& node) {
  EXPECT_EQ(node.dcmtk("echoscu", {}).exitCode, 0) << node.log();
  const fs::path good = filesUnder(testData("ct-explicit")).front();
  const RunResult r = node.dcmtk("storescu", {}, {good.string()});
  EXPECT_EQ(r.exitCode, 0) << r.output;
}

class HostileStore : public ::testing::Test {
 protected:
  void SetUp() override { node_.start(); }
  NodeUnderTest node_;
};

}  // namespace

TEST_F(HostileStore, PathTraversalUidsAreRefusedAndNeverBecomeAPath) {
  for (const std::string kind : {"traversal-uid", "traversal-study-uid", "traversal-series-uid", "uid-with-slash",
                                 "uid-too-long", "uid-letters"}) {
    SCOPED_TRACE(kind);
    ASSERT_TRUE(fs::exists(hostile(kind)));
    const RunResult r = node_.dcmtk("storescu", {"-v"}, {hostile(kind).string()});
    EXPECT_NE(r.output.find("DataSetDoesNotMatchSOPClass"), std::string::npos) << r.output;  // 0xA900
    EXPECT_NE(node_.log().find("not a valid UID"), std::string::npos);
  }
  for (const auto& p : writtenPaths(node_)) {
    EXPECT_EQ(p.find(".."), std::string::npos) << p;
    EXPECT_EQ(p.find("etc"), std::string::npos) << p;
  }
  EXPECT_FALSE(fs::exists(node_.storage().parent_path() / "etc"));
  EXPECT_TRUE(filesUnder(node_.storage() / "tmp").empty()) << "refused transfers must not linger";
  expectStillServing(node_);
}

TEST_F(HostileStore, QuirksRealDevicesSendAreAccepted) {
  for (const std::string kind : {"padded-uid", "space-padded-uid", "leading-zero-uid"}) {
    SCOPED_TRACE(kind);
    const RunResult r = node_.dcmtk("storescu", {"-v"}, {hostile(kind).string()});
    EXPECT_NE(r.output.find("Received Store Response (Success)"), std::string::npos) << r.output;
    std::string uid = attribute(hostile(kind), DCM_SOPInstanceUID);
    uid.erase(uid.find_last_not_of(std::string(" \0", 2)) + 1);
    EXPECT_TRUE(fs::exists(storedPath(node_.storage(), uid))) << uid;
  }
}

TEST_F(HostileStore, EmptySopInstanceUidNeverStores) {
  // Stock storescu refuses to send a missing UID itself, and DCMTK's DIMSE refuses an empty one
  // on the wire; whichever side stops it, nothing is stored and the node keeps serving.
  for (const std::string kind : {"missing-sop-uid", "empty-sop-uid"}) {
    const RunResult r = node_.dcmtk("storescu", {"-v"}, {hostile(kind).string()});
    EXPECT_EQ(r.output.find("Received Store Response (Success)"), std::string::npos) << r.output;
  }
  EXPECT_TRUE(!fs::exists(node_.storage() / "instances") || filesUnder(node_.storage() / "instances").empty());
  expectStillServing(node_);
}

TEST(HostileAssociations, UnlistedCallingAeIsRejectedAndTheListedOneServed) {
  NodeUnderTest node({"--accept-aet", "CT_ROOM_1"});
  node.start();
  const RunResult stranger = node.dcmtk("echoscu", {}, {}, "STRANGER");
  EXPECT_NE(stranger.exitCode, 0);
  EXPECT_NE(stranger.output.find("Calling AE Title Not Recognized"), std::string::npos) << stranger.output;
  EXPECT_EQ(node.dcmtk("echoscu", {}, {}, "CT_ROOM_1").exitCode, 0);
}

TEST(HostileAssociations, AeTitlesWithPathCharactersAreNeverUsedAsPaths) {
  NodeUnderTest node;
  node.start();
  const fs::path good = filesUnder(testData("ct-explicit")).front();
  const RunResult r = node.dcmtk("storescu", {}, {good.string()}, "../../x");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  for (const auto& f : filesUnder(node.storage())) {
    EXPECT_EQ(fs::relative(f, node.storage()).string().find(".."), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(node.storage().parent_path().parent_path() / "x"));
}

TEST(HostileAssociations, OversizedDatasetIsRefusedWithOutOfResources) {
  NodeUnderTest node({"--max-dataset-bytes", "2000"});
  node.start();
  const fs::path big = filesUnder(testData("ct-explicit")).front();
  ASSERT_GT(fs::file_size(big), 2000u);
  const RunResult r = node.dcmtk("storescu", {"-v"}, {big.string()});
  EXPECT_NE(r.output.find("Refused: OutOfResources"), std::string::npos) << r.output;  // 0xA700
  EXPECT_TRUE(filesUnder(node.storage() / "tmp").empty());
  EXPECT_EQ(node.dcmtk("echoscu", {}).exitCode, 0);
}

TEST(HostileAssociations, AssociationsBeyondTheLimitAreRejectedThenServedAgain) {
  TempDir auditDir("limit-audit");
  const fs::path auditFile = auditDir / "audit.log";
  NodeUnderTest node({"--max-associations", "1", "--audit-file", auditFile.string()});
  node.start();
  DcmSCU holder;  // keeps the only slot busy
  holder.setPeerAETitle(node.aet().c_str());
  holder.setPeerHostName("127.0.0.1");
  holder.setPeerPort(node.port());
  OFList<OFString> syntaxes;
  syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
  holder.addPresentationContext(UID_VerificationSOPClass, syntaxes);
  ASSERT_TRUE(holder.initNetwork().good());
  const OFCondition negotiated = holder.negotiateAssociation();
  ASSERT_TRUE(negotiated.good()) << negotiated.text() << "\n" << node.log();
  const RunResult refused = node.dcmtk("echoscu", {});
  EXPECT_NE(refused.exitCode, 0);
  EXPECT_NE(refused.output.find("Local Limit Exceeded"), std::string::npos) << refused.output;
  holder.releaseAssociation();
  // The slot is freed once the holder's association thread ends.
  int code = 1;
  for (int i = 0; i < 50 && code != 0; ++i) code = node.dcmtk("echoscu", {}).exitCode;
  EXPECT_EQ(code, 0);
  // The refusal is audited as a failed log-in of the calling AE, with the limit as the reason.
  bool audited = false;
  for (const auto& m : medvqa::test::readAuditFile(auditFile)) {
    if (m.eventId() == "110114" && m.outcome() == "4" &&
        m.text("//EventOutcomeDescription").find("maxAssociations (1) reached") != std::string::npos) {
      audited = true;
      EXPECT_EQ(m.schemaErrors(), "") << m.xml();
      EXPECT_EQ(m.text("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@UserID"), "TESTSCU") << m.xml();
    }
  }
  EXPECT_TRUE(audited);
}

TEST(HostileAssociations, DuplicatesAreHandledAsConfigured) {
  const fs::path file = filesUnder(testData("ct-explicit")).front();
  for (const std::string policy : {"overwrite", "keep"}) {
    NodeUnderTest node({"--duplicates", policy});
    node.start();
    ASSERT_EQ(node.dcmtk("storescu", {}, {file.string()}).exitCode, 0);
    ASSERT_EQ(node.dcmtk("storescu", {}, {file.string()}).exitCode, 0);
    EXPECT_NE(node.log().find(policy == "keep" ? "kept the stored copy" : "replaced the stored copy"),
              std::string::npos)
        << node.log();
  }
}
