// A service that fails on something other than the node's own Error still answers the command
// it was serving: one catch-all (scp/association.cpp, handleIncomingCommand) turns whatever
// escapes a DIMSE service into the final response of the command's kind and a log line naming
// the command and its message ID. The association, and the node, go on serving.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/scu.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>

#include "dicom_files.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {

constexpr std::uint64_t kGiB = 1024ull * 1024 * 1024;

// Caps the process's address space, as `ulimit -v` or `prlimit --as` do to a deployed node, at
// `headroom` above what it maps now. False when the kernel does not let us.
bool capAddressSpace(pid_t pid, std::uint64_t headroom) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::uint64_t mappedKiB = 0;
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmSize:", 0) == 0) mappedKiB = std::stoull(line.substr(7));
  }
  if (mappedKiB == 0) return false;
  const rlimit cap{mappedKiB * 1024 + headroom, mappedKiB * 1024 + headroom};
  return ::prlimit(pid, RLIMIT_AS, &cap, nullptr) == 0;
}

// A JPEG 2000 CT instance of the corpus whose header claims 2^31-1 frames: what a broken
// modality or a hostile peer can store. Decoding it for a peer that takes only uncompressed
// syntaxes first lists the frames to decode, which asks for 8 GiB.
fs::path claimingTwoBillionFrames(const fs::path& dir) {
  const fs::path source = filesUnder(testData("ct-j2k")).front();
  DcmFileFormat file;
  EXPECT_TRUE(file.loadFile(source.c_str()).good());
  DcmDataset& dataset = *file.getDataset();
  dataset.putAndInsertString(DCM_NumberOfFrames, "2147483647");
  const fs::path out = dir / "two-billion-frames.dcm";
  EXPECT_TRUE(file.saveFile(out.c_str(), dataset.getOriginalXfer()).good());
  return out;
}

// One association that offers C-GET (taking CT images uncompressed only, as stock getscu does),
// C-FIND and C-ECHO, so that the commands after a failed one go over the same association.
class Workstation {
 public:
  explicit Workstation(const NodeUnderTest& node, const fs::path& storageDir) {
    scu_.setAETitle("WORKSTATION");
    scu_.setPeerAETitle(node.aet().c_str());
    scu_.setPeerHostName("127.0.0.1");
    scu_.setPeerPort(node.port());
    scu_.setStorageDir(storageDir.c_str());
    OFList<OFString> uncompressed;
    uncompressed.push_back(UID_LittleEndianExplicitTransferSyntax);
    uncompressed.push_back(UID_LittleEndianImplicitTransferSyntax);
    scu_.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, uncompressed);
    scu_.addPresentationContext(UID_FINDStudyRootQueryRetrieveInformationModel, uncompressed);
    scu_.addPresentationContext(UID_VerificationSOPClass, uncompressed);
    scu_.addPresentationContext(UID_CTImageStorage, uncompressed, ASC_SC_ROLE_SCP);
    OFCondition cond = scu_.initNetwork();
    if (cond.good()) cond = scu_.negotiateAssociation();
    EXPECT_TRUE(cond.good()) << cond.text();
  }
  ~Workstation() {
    if (scu_.isConnected()) scu_.releaseAssociation();
  }

  // The final C-GET response's status and Error Comment; {-1, ""} when none came.
  std::pair<int, std::string> getStudy(const std::string& studyUid) {
    DcmDataset identifier;
    identifier.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
    identifier.putAndInsertString(DCM_StudyInstanceUID, studyUid.c_str());
    OFList<RetrieveResponse*> responses;
    const OFCondition cond =
        scu_.sendCGETRequest(context(UID_GETStudyRootQueryRetrieveInformationModel), &identifier, &responses);
    std::pair<int, std::string> last{-1, ""};
    if (cond.good() && !responses.empty()) {
      last.first = responses.back()->m_status;
      OFString comment;
      if (responses.back()->m_statusDetail != nullptr) {
        responses.back()->m_statusDetail->findAndGetOFString(DCM_ErrorComment, comment);
      }
      last.second = comment.c_str();
    }
    for (auto* r : responses) delete r;
    return last;
  }

  // How many studies a STUDY-level C-FIND for `studyUid` matched; -1 unless it ended in success.
  int findStudy(const std::string& studyUid) {
    DcmDataset keys;
    keys.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
    keys.putAndInsertString(DCM_StudyInstanceUID, studyUid.c_str());
    OFList<QRResponse*> responses;
    const OFCondition cond =
        scu_.sendFINDRequest(context(UID_FINDStudyRootQueryRetrieveInformationModel), &keys, &responses);
    int matches = 0;
    bool success = false;
    for (auto* r : responses) {
      if (r->m_status == 0xFF00 || r->m_status == 0xFF01) ++matches;
      if (r->m_status == 0x0000) success = true;
      delete r;
    }
    return cond.good() && success ? matches : -1;
  }

  bool echo() { return scu_.sendECHORequest(context(UID_VerificationSOPClass)).good(); }

 private:
  T_ASC_PresentationContextID context(const char* sopClass) {
    return scu_.findPresentationContextID(sopClass, UID_LittleEndianExplicitTransferSyntax);
  }

  DcmSCU scu_;
};

}  // namespace

// Out of memory is not an Error: it used to escape C-GET and leave the peer with no final
// response. Here a node under an address-space limit is asked to decode an instance whose header
// claims two billion frames; the allocation fails (std::bad_alloc), the C-GET is answered 0xA702
// (refused: out of resources, sub-operations under way), and the same association then answers
// a C-FIND and a C-ECHO, as does the next one.
TEST(ServiceFailures, OutOfMemoryInACGetIsAnsweredAndTheAssociationServesOn) {
  NodeUnderTest node({"--answering", "off"});
  node.start();
  TempDir work("service-failures");
  const fs::path hostile = claimingTwoBillionFrames(work.path());
  const std::string study = attribute(hostile, DCM_StudyInstanceUID);
  ASSERT_EQ(node.storeFiles({hostile}).exitCode, 0) << node.log();
  if (!capAddressSpace(node.pid(), kGiB)) GTEST_SKIP() << "cannot limit the node's address space here";

  {
    Workstation workstation(node, work.path());
    const auto [status, comment] = workstation.getStudy(study);
    EXPECT_EQ(status, 0xA702) << node.log();
    EXPECT_EQ(comment, "MedVQA node out of resources");
    EXPECT_EQ(workstation.findStudy(study), 1) << node.log();
    EXPECT_TRUE(workstation.echo()) << node.log();
  }
  const std::string log = node.log();
  EXPECT_NE(log.find("C-GET-RQ (message ID "), std::string::npos) << log;
  EXPECT_NE(log.find("failed on an unexpected error, answered 0xA702: std::bad_alloc"), std::string::npos) << log;

  const RunResult echo = node.dcmtk("echoscu", {});
  EXPECT_EQ(echo.exitCode, 0) << echo.output;
  const RunResult find =
      node.dcmtk("findscu", {"-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study});
  EXPECT_EQ(find.exitCode, 0) << find.output;
}

// A storage folder that cannot take the data set (here its tmp/ is gone, as after a clean-up
// script or a remount; a full disk or a read-only volume look the same): DCMTK reads the data set
// off the wire without a file to write it to. The C-STORE is refused with out of resources rather
// than the association aborted, and once the folder is back the node stores again.
TEST(ServiceFailures, StoreIntoAStorageFolderThatCannotTakeItIsAnsweredOutOfResources) {
  NodeUnderTest node({"--answering", "off"});
  node.start();
  const fs::path instance = filesUnder(testData("ct-explicit")).front();
  fs::remove_all(node.storage() / "tmp");

  const RunResult refused = node.dcmtk("storescu", {"-v"}, {instance.string()});
  EXPECT_NE(refused.output.find("Refused: OutOfResources"), std::string::npos) << refused.output;  // 0xA700
  std::string lower = refused.output;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  EXPECT_EQ(lower.find("aborted association"), std::string::npos) << refused.output;
  EXPECT_NE(node.log().find("the storage folder cannot take it"), std::string::npos) << node.log();
  EXPECT_FALSE(fs::exists(storedPath(node.storage(), attribute(instance, DCM_SOPInstanceUID))));

  fs::create_directories(node.storage() / "tmp");
  const RunResult stored = node.dcmtk("storescu", {"-v"}, {instance.string()});
  EXPECT_EQ(stored.exitCode, 0) << stored.output;
  EXPECT_NE(stored.output.find("Received Store Response (Success)"), std::string::npos) << stored.output;
  EXPECT_TRUE(fs::exists(storedPath(node.storage(), attribute(instance, DCM_SOPInstanceUID))));
}
