// The node as a modality, a workstation and a second node see it: storescu a corpus in several
// transfer syntaxes, then findscu / getscu / movescu against it with DCMTK's own tools.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/scu.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <thread>
#include <tuple>

#include "audit_messages.h"
#include "dicom_files.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {

int countMatches(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<int>(std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

// findscu prints one "Find Response: N (Pending)" per match at verbose level.
int findCount(const NodeUnderTest& node, const std::string& model, std::vector<std::string> keys) {
  std::vector<std::string> options = {"-v", model};
  for (const auto& k : keys) {
    options.push_back("-k");
    options.push_back(k);
  }
  const RunResult r = node.dcmtk("findscu", options);
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("(Success)"), std::string::npos) << r.output;
  return countMatches(r.output, R"(Find Response: \d+ \(Pending)");
}

// Byte-identical data sets when both files carry the same transfer syntax. Otherwise (a peer
// that took another syntax) and for deflated ones (DCMTK's DIMSE layer deflates anew on every
// send) the decoded content is compared.
bool sameDataset(const fs::path& a, const fs::path& b) {
  const std::string ts = transferSyntaxOf(b);
  if (transferSyntaxOf(a) != ts || ts == UID_DeflatedExplicitVRLittleEndianTransferSyntax) {
    return decodedDatasetBytes(a) == decodedDatasetBytes(b);
  }
  return datasetBytes(a) == datasetBytes(b);
}

// A C-GET SCU that offers exactly one storage syntax (stock getscu offers uncompressed only).
// Returns the final C-GET status.
int getStudyProposing(const NodeUnderTest& node, const std::string& study, const std::string& sopClass,
                      const std::string& ts, const fs::path& outDir) {
  DcmSCU scu;
  scu.setAETitle("GETSCU");
  scu.setPeerAETitle(node.aet().c_str());
  scu.setPeerHostName("127.0.0.1");
  scu.setPeerPort(node.port());
  scu.setStorageDir(outDir.c_str());
  scu.setStorageMode(DCMSCU_STORAGE_BIT_PRESERVING);
  OFList<OFString> query;
  query.push_back(UID_LittleEndianExplicitTransferSyntax);
  scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, query);
  OFList<OFString> storage;
  storage.push_back(ts.c_str());
  scu.addPresentationContext(sopClass.c_str(), storage, ASC_SC_ROLE_SCP);
  OFCondition setup = scu.initNetwork();
  if (setup.good()) setup = scu.negotiateAssociation();
  if (setup.bad()) {
    ADD_FAILURE() << "C-GET association failed: " << setup.text();
    return -1;
  }
  DcmDataset identifier;
  identifier.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
  identifier.putAndInsertString(DCM_StudyInstanceUID, study.c_str());
  OFList<RetrieveResponse*> responses;
  const T_ASC_PresentationContextID getContext =
      scu.findPresentationContextID(UID_GETStudyRootQueryRetrieveInformationModel, UID_LittleEndianExplicitTransferSyntax);
  const OFCondition cond = scu.sendCGETRequest(getContext, &identifier, &responses);
  if (cond.bad() || responses.empty()) ADD_FAILURE() << "C-GET failed: " << cond.text();
  int status = cond.good() && !responses.empty() ? responses.back()->m_status : -1;
  for (auto* r : responses) delete r;
  scu.releaseAssociation();
  return status;
}

// Sends a C-FIND and, right behind it, its C-CANCEL (as a workstation does when the user closes
// the query window); returns the number of Pending responses and the final status.
std::pair<int, Uint16> findThenCancelAtOnce(const NodeUnderTest& node, DcmDataset& identifier) {
  T_ASC_Network* net = nullptr;
  T_ASC_Parameters* params = nullptr;
  T_ASC_Association* assoc = nullptr;
  EXPECT_TRUE(ASC_initializeNetwork(NET_REQUESTOR, 0, 30, &net).good());
  ASC_createAssociationParameters(&params, ASC_DEFAULTMAXPDU);
  ASC_setAPTitles(params, "CANCELSCU", node.aet().c_str(), nullptr);
  ASC_setPresentationAddresses(params, "localhost", ("127.0.0.1:" + std::to_string(node.port())).c_str());
  const char* syntaxes[] = {UID_LittleEndianExplicitTransferSyntax};
  ASC_addPresentationContext(params, 1, UID_FINDStudyRootQueryRetrieveInformationModel, syntaxes, 1);
  if (ASC_requestAssociation(net, params, &assoc).bad()) {
    ADD_FAILURE() << "association failed";
    return {-1, 0};
  }
  T_DIMSE_Message request;
  std::memset(&request, 0, sizeof request);
  request.CommandField = DIMSE_C_FIND_RQ;
  request.msg.CFindRQ.MessageID = 7;
  request.msg.CFindRQ.Priority = DIMSE_PRIORITY_MEDIUM;
  request.msg.CFindRQ.DataSetType = DIMSE_DATASET_PRESENT;
  std::strcpy(request.msg.CFindRQ.AffectedSOPClassUID, UID_FINDStudyRootQueryRetrieveInformationModel);
  EXPECT_TRUE(DIMSE_sendMessageUsingMemoryData(assoc, 1, &request, nullptr, &identifier, nullptr, nullptr).good());
  EXPECT_TRUE(DIMSE_sendCancelRequest(assoc, 1, 7).good());
  int pending = 0;
  Uint16 status = 0;
  for (;;) {
    T_DIMSE_Message response;
    T_ASC_PresentationContextID presId = 0;
    DcmDataset* detail = nullptr;
    if (DIMSE_receiveCommand(assoc, DIMSE_BLOCKING, 0, &presId, &response, &detail).bad()) break;
    delete detail;
    status = response.msg.CFindRSP.DimseStatus;
    if (response.msg.CFindRSP.DataSetType != DIMSE_DATASET_NULL) {
      DcmDataset* match = nullptr;
      DIMSE_receiveDataSetInMemory(assoc, DIMSE_BLOCKING, 0, &presId, &match, nullptr, nullptr);
      delete match;
    }
    if (status != 0xFF00 && status != 0xFF01) break;
    ++pending;
  }
  ASC_releaseAssociation(assoc);
  ASC_destroyAssociation(&assoc);
  ASC_dropNetwork(&net);
  return {pending, status};
}

struct Corpus {
  std::vector<fs::path> files;
  std::map<std::string, std::set<std::string>> seriesByStudy;
  std::map<std::string, std::vector<fs::path>> filesBySeries;
  std::map<std::string, std::vector<fs::path>> filesByStudy;
};

Corpus loadCorpus(const std::vector<fs::path>& files) {
  Corpus c;
  c.files = files;
  for (const auto& f : c.files) {
    const std::string study = attribute(f, DCM_StudyInstanceUID);
    const std::string series = attribute(f, DCM_SeriesInstanceUID);
    c.seriesByStudy[study].insert(series);
    c.filesBySeries[series].push_back(f);
    c.filesByStudy[study].push_back(f);
  }
  return c;
}

void expectSameDatasets(const std::vector<fs::path>& sent, const fs::path& receivedDir) {
  std::map<std::string, fs::path> received;
  for (const auto& f : filesUnder(receivedDir)) received[attribute(f, DCM_SOPInstanceUID)] = f;
  ASSERT_EQ(received.size(), sent.size());
  for (const auto& f : sent) {
    const auto it = received.find(attribute(f, DCM_SOPInstanceUID));
    ASSERT_NE(it, received.end()) << f;
    EXPECT_TRUE(sameDataset(it->second, f)) << "data set changed: " << f;
  }
}

class StoreQueryRetrieve : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new Corpus(loadCorpus(corpusFiles()));
    second_ = new NodeUnderTest({}, "SECOND");
    second_->start();
    auditDir_ = new TempDir("sqr-audit");
    node_ = new NodeUnderTest({"--destination", second_->peer(), "--audit-file", auditFile().string()});
    node_->start();
    const RunResult sent = node_->storeFiles(corpus_->files);
    ASSERT_EQ(sent.exitCode, 0) << sent.output;
  }
  static void TearDownTestSuite() {
    delete node_;
    delete second_;
    delete corpus_;
    delete auditDir_;
  }
  static fs::path auditFile() { return *auditDir_ / "audit.log"; }

  static Corpus* corpus_;
  static TempDir* auditDir_;
  static NodeUnderTest* node_;
  static NodeUnderTest* second_;
};

Corpus* StoreQueryRetrieve::corpus_ = nullptr;
TempDir* StoreQueryRetrieve::auditDir_ = nullptr;
NodeUnderTest* StoreQueryRetrieve::node_ = nullptr;
NodeUnderTest* StoreQueryRetrieve::second_ = nullptr;

TEST_F(StoreQueryRetrieve, EchoSucceeds) {
  const RunResult r = node_->dcmtk("echoscu", {});
  EXPECT_EQ(r.exitCode, 0) << r.output;
}

TEST_F(StoreQueryRetrieve, EveryTransferSyntaxIsStoredBitPreserved) {
  ASSERT_GE(corpus_->files.size(), 8u);
  std::set<std::string> syntaxes;
  for (const auto& f : corpus_->files) {
    const fs::path stored = storedPath(node_->storage(), attribute(f, DCM_SOPInstanceUID));
    ASSERT_TRUE(fs::exists(stored)) << f;
    EXPECT_TRUE(sameDataset(stored, f)) << "data set changed: " << f << " (" << transferSyntaxOf(f) << ")";
  }
  for (const auto& f : filesUnder(node_->storage() / "instances")) {
    DcmFileFormat dicom;
    ASSERT_TRUE(dicom.loadFile(f.c_str()).good());
    OFString ts;
    dicom.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts);
    syntaxes.insert(ts.c_str());
  }
  EXPECT_GE(syntaxes.size(), 8u) << "the corpus should cover LE/BE/deflate/JPEG/JPEG-LS/RLE/J2K";
}

TEST_F(StoreQueryRetrieve, FindAtEveryLevelBothModels) {
  const fs::path sample = corpus_->files.front();
  const std::string patientId = attribute(sample, DCM_PatientID);
  const std::string study = attribute(sample, DCM_StudyInstanceUID);
  const std::string series = attribute(sample, DCM_SeriesInstanceUID);
  const std::string sop = attribute(sample, DCM_SOPInstanceUID);

  EXPECT_EQ(findCount(*node_, "-P", {"QueryRetrieveLevel=PATIENT", "PatientID=" + patientId, "PatientName"}), 1);
  EXPECT_EQ(findCount(*node_, "-S", {"QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + study}), 1);
  EXPECT_EQ(findCount(*node_, "-S", {"QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + study, "SeriesInstanceUID"}),
            static_cast<int>(corpus_->seriesByStudy[study].size()));
  EXPECT_EQ(findCount(*node_, "-S",
                      {"QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + study, "SeriesInstanceUID=" + series,
                       "SOPInstanceUID"}),
            static_cast<int>(corpus_->filesBySeries[series].size()));
  EXPECT_EQ(findCount(*node_, "-P",
                      {"QueryRetrieveLevel=IMAGE", "PatientID=" + patientId, "StudyInstanceUID=" + study,
                       "SeriesInstanceUID=" + series, "SOPInstanceUID=" + sop}),
            1);
}

TEST_F(StoreQueryRetrieve, FindWithWildcardRangeAndListMatching) {
  const int studies = static_cast<int>(corpus_->seriesByStudy.size());
  EXPECT_EQ(findCount(*node_, "-S", {"QueryRetrieveLevel=STUDY", "PatientName=*"}), studies);
  EXPECT_EQ(findCount(*node_, "-S", {"QueryRetrieveLevel=STUDY", "StudyDate=19000101-"}), studies);
  EXPECT_EQ(findCount(*node_, "-S", {"QueryRetrieveLevel=STUDY", "StudyDate=-18991231"}), 0);

  auto it = corpus_->seriesByStudy.begin();
  const std::string first = it->first;
  const std::string second = (++it)->first;
  EXPECT_EQ(findCount(*node_, "-S", {"QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + first + "\\" + second}), 2);

  // Wildcards on a real (ASCII) name: its first letters then '*', and '?' for its first letter.
  std::string name, date;
  for (const auto& [study, files] : corpus_->filesByStudy) {
    const std::string candidate = attribute(files.front(), DCM_PatientName);
    if (std::all_of(candidate.begin(), candidate.end(), [](unsigned char c) { return c < 0x80; })) {
      name = candidate;
      date = attribute(files.front(), DCM_StudyDate);
      break;
    }
  }
  ASSERT_GE(name.size(), 3u);
  int prefixMatches = 0, oneCharMatches = 0;
  for (const auto& [study, files] : corpus_->filesByStudy) {
    const std::string other = attribute(files.front(), DCM_PatientName);
    if (other.rfind(name.substr(0, 2), 0) == 0) ++prefixMatches;
    if (other.size() == name.size() && other.substr(1) == name.substr(1)) ++oneCharMatches;
  }
  EXPECT_EQ(findCount(*node_, "-S", {"QueryRetrieveLevel=STUDY", "PatientName=" + name.substr(0, 2) + "*"}),
            prefixMatches);
  EXPECT_EQ(findCount(*node_, "-S", {"QueryRetrieveLevel=STUDY", "PatientName=?" + name.substr(1)}), oneCharMatches);
  EXPECT_GE(findCount(*node_, "-S", {"QueryRetrieveLevel=STUDY", "StudyDate=" + date + "-" + date}), 1);
}

TEST_F(StoreQueryRetrieve, FindHonoursSpecificCharacterSetAndCaseInsensitiveNames) {
  // DUBOIS^ZOË is stored as UTF-8 (ISO_IR 192); a Latin-1 workstation asks for it in ISO_IR 100.
  const std::string latin1 = "DUBOIS^ZO\xCB";
  const RunResult r = node_->dcmtk("findscu", {"-v", "-S", "-k", "SpecificCharacterSet=ISO_IR 100", "-k",
                                               "QueryRetrieveLevel=STUDY", "-k", "PatientName=" + latin1});
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_EQ(countMatches(r.output, R"(Find Response: \d+ \(Pending)"), 2) << r.output;
  EXPECT_NE(r.output.find("DUBOIS^ZO\xC3\x8B"), std::string::npos) << "answered in UTF-8";
  EXPECT_NE(r.output.find("ISO_IR 192"), std::string::npos);
  EXPECT_EQ(findCount(*node_, "-S", {"QueryRetrieveLevel=STUDY", "PatientName=dubois^zo*"}), 2);
  // A group length element in the identifier is tolerated.
  EXPECT_EQ(findCount(*node_, "-S", {"QueryRetrieveLevel=STUDY", "(0010,0000)=0", "PatientName=DUBOIS^ZO*"}), 2);
}

TEST_F(StoreQueryRetrieve, FindStopsOnCancel) {
  const int studies = static_cast<int>(corpus_->seriesByStudy.size());
  ASSERT_GT(studies, 10);
  DcmDataset identifier;
  identifier.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
  identifier.putAndInsertString(DCM_StudyInstanceUID, "");
  // The C-CANCEL follows the request at once, but a client descheduled between its two writes
  // (2 busy cores) can read all 37 matches before its cancel lands. A node that honours C-CANCEL
  // answers 0xFE00 on one of a few tries; one that ignores it, never.
  int pending = 0;
  Uint16 finalStatus = 0;
  for (int attempt = 0; attempt < 5 && finalStatus != 0xFE00; ++attempt) {
    std::tie(pending, finalStatus) = findThenCancelAtOnce(*node_, identifier);
  }
  EXPECT_EQ(finalStatus, 0xFE00) << "Matching terminated due to Cancel";
  EXPECT_LT(pending, studies);
  EXPECT_EQ(node_->dcmtk("echoscu", {}).exitCode, 0);
}

TEST_F(StoreQueryRetrieve, FindReturnsCountsAndModalities) {
  const std::string study = corpus_->seriesByStudy.begin()->first;
  const RunResult r = node_->dcmtk("findscu", {"-v", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k",
                                               "StudyInstanceUID=" + study, "-k", "NumberOfStudyRelatedInstances",
                                               "-k", "NumberOfStudyRelatedSeries", "-k", "ModalitiesInStudy"});
  ASSERT_EQ(r.exitCode, 0) << r.output;
  const std::string instances = std::to_string(corpus_->filesByStudy[study].size());
  const std::string series = std::to_string(corpus_->seriesByStudy[study].size());
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\(0020,1208\) IS \[)" + instances + R"(\s*\])"))) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\(0020,1206\) IS \[)" + series + R"(\s*\])"))) << r.output;
  const std::string modality = attribute(corpus_->filesByStudy[study].front(), DCM_Modality);
  EXPECT_NE(r.output.find("(0008,0061) CS [" + modality), std::string::npos) << r.output;
}

TEST_F(StoreQueryRetrieve, StockGetscuRetrievesEveryStudy) {
  // Stock getscu accepts uncompressed syntaxes only: the node decodes JPEG, JPEG-LS and RLE (DCMTK)
  // and JPEG 2000 (OpenJPEG) for it.
  for (const auto& [study, files] : corpus_->filesByStudy) {
    const std::string ts = transferSyntaxOf(files.front());
    SCOPED_TRACE(ts);
    TempDir out("get");
    const RunResult r = node_->dcmtk(
        "getscu", {"-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "-od", out.path().string()});
    ASSERT_EQ(r.exitCode, 0) << r.output;
    if (ts == UID_JPEG2000LosslessOnlyTransferSyntax || ts == UID_JPEG2000TransferSyntax) {
      // DCMTK cannot decode the sent files to compare; test_retrieve_transcode.cpp checks these
      // against the generator's uncompressed pixels.
      EXPECT_EQ(filesUnder(out.path()).size(), files.size());
      continue;
    }
    expectSameDatasets(files, out.path());
  }
}

TEST_F(StoreQueryRetrieve, GetInTheStoredSyntaxIsByteIdentical) {
  for (const auto& [study, files] : corpus_->filesByStudy) {
    const std::string ts = transferSyntaxOf(files.front());
    SCOPED_TRACE(ts);
    TempDir out("get");
    ASSERT_EQ(getStudyProposing(*node_, study, attribute(files.front(), DCM_SOPClassUID), ts, out.path()), 0);
    const auto received = filesUnder(out.path());
    ASSERT_EQ(received.size(), files.size());
    for (const auto& f : received) EXPECT_EQ(transferSyntaxOf(f), ts);
    expectSameDatasets(files, out.path());
  }
}

TEST_F(StoreQueryRetrieve, MoveSendsTheSeriesToTheSecondNode) {
  const auto& [series, files] = *corpus_->filesBySeries.rbegin();
  const std::string study = attribute(files.front(), DCM_StudyInstanceUID);
  const RunResult r = node_->dcmtk("movescu", {"-S", "-aem", "SECOND", "-k", "QueryRetrieveLevel=SERIES", "-k",
                                               "StudyInstanceUID=" + study, "-k", "SeriesInstanceUID=" + series});
  ASSERT_EQ(r.exitCode, 0) << r.output;
  for (const auto& f : files) {
    const fs::path moved = storedPath(second_->storage(), attribute(f, DCM_SOPInstanceUID));
    ASSERT_TRUE(fs::exists(moved)) << f;
    EXPECT_TRUE(sameDataset(moved, f)) << f;
  }
  // Audited once the association has ended: the node sent the study's series to SECOND on
  // TESTSCU's request (DICOM Instances Transferred, action R).
  const auto moveMessage = [&]() -> std::optional<AuditMessage> {
    for (auto& m : readAuditFile(auditFile())) {
      if (m.eventId() == "110104" && m.action() == "R" &&
          m.text("//ParticipantObjectIdentification[@ParticipantObjectTypeCodeRole='3']/@ParticipantObjectID") == study &&
          m.text("//ActiveParticipant[RoleIDCode/@csd-code='110152']/@UserID") == "SECOND") {
        return std::move(m);
      }
    }
    return std::nullopt;
  };
  std::optional<AuditMessage> audited;
  for (int i = 0; i < 50 && !audited; ++i) {
    audited = moveMessage();
    if (!audited) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(audited) << "no C-MOVE audit message for " << study;
  EXPECT_EQ(audited->schemaErrors(), "") << audited->xml();
  EXPECT_EQ(audited->outcome(), "0");
  EXPECT_EQ(audited->text("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@UserID"), "TESTSCU");
  EXPECT_EQ(audited->text("sum(//SOPClass/@NumberOfInstances)"), std::to_string(files.size())) << audited->xml();
}

TEST_F(StoreQueryRetrieve, MoveToAnUnknownDestinationIsRefused) {
  const std::string study = corpus_->seriesByStudy.begin()->first;
  const RunResult r = node_->dcmtk(
      "movescu", {"-S", "-aem", "NOWHERE", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study});
  EXPECT_NE(r.output.find("MoveDestinationUnknown"), std::string::npos) << r.output;
  EXPECT_EQ(node_->dcmtk("echoscu", {}).exitCode, 0);
}

}  // namespace
