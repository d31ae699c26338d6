// Instances stored in JPEG 2000 retrieved by peers that do not take JPEG 2000 (stock getscu, an
// implicit-VR-only C-GET SCU, a stock storescp as C-MOVE destination): they arrive decoded, every
// other attribute as stored and the pixels those the generator encoded. Peers that take JPEG 2000
// (getscu +xv, storescp +xv) still get the stored bytes.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/scu.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

#include "dicom_files.h"
#include "node_under_test.h"
#include "storescp_peer.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {

// The generated JPEG 2000 corpora of scripts/make-testdata.sh, and the same instances written
// uncompressed by the same generator (same seed: same UIDs, same pixels), as the reference.
struct Corpus {
  const char* name;
  const char* modality;
  const char* seed;
  const char* instances;
};
constexpr Corpus kJpeg2000Corpora[] = {{"ct-j2k", "CT", "109", "3"}, {"cr-j2k", "CR", "113", "1"}};

std::vector<fs::path> writeReference(const Corpus& c, const fs::path& out) {
  const RunResult r = run({buildBin("medvqa-gen").string(),
                           "--quiet",
                           "--out",
                           out.string(),
                           "--modality",
                           c.modality,
                           "--transfer-syntax",
                           "explicit",
                           "--seed",
                           c.seed,
                           "--studies",
                           "1",
                           "--series-per-study",
                           "1",
                           "--instances",
                           c.instances,
                           "--rows",
                           "64",
                           "--cols",
                           "64",
                           "--patients",
                           "1",
                           "--date-from",
                           "20240101",
                           "--date-days",
                           "90"});
  EXPECT_EQ(r.exitCode, 0) << r.output;
  return filesUnder(out);
}

std::unique_ptr<DcmFileFormat> load(const fs::path& file) {
  auto format = std::make_unique<DcmFileFormat>();
  if (format->loadFile(file.c_str()).bad()) ADD_FAILURE() << "cannot read " << file;
  format->getDataset()->loadAllDataIntoMemory();
  return format;
}

// Every attribute but Pixel Data, encoded in explicit VR little endian.
std::string attributesBesidesPixels(const fs::path& file) {
  auto format = load(file);
  DcmDataset& ds = *format->getDataset();
  ds.findAndDeleteElement(DCM_PixelData);
  std::string buffer(ds.calcElementLength(EXS_LittleEndianExplicit, EET_ExplicitLength) + 1024, '\0');
  DcmOutputBufferStream out(buffer.data(), buffer.size());
  ds.transferInit();
  ds.write(out, EXS_LittleEndianExplicit, EET_ExplicitLength, nullptr);
  ds.transferEnd();
  void* written = nullptr;
  offile_off_t size = 0;
  out.flushBuffer(written, size);
  return buffer.substr(0, static_cast<std::size_t>(size));
}

// Native 16-bit pixel data (empty when the file has none, or has it encapsulated).
std::vector<Uint16> pixels(const fs::path& file) {
  auto format = load(file);
  const Uint16* words = nullptr;
  unsigned long count = 0;
  if (format->getDataset()->findAndGetUint16Array(DCM_PixelData, words, &count).bad() || words == nullptr) return {};
  return {words, words + count};
}

std::map<std::string, fs::path> bySopInstanceUid(const std::vector<fs::path>& files) {
  std::map<std::string, fs::path> out;
  for (const auto& f : files) out[attribute(f, DCM_SOPInstanceUID)] = f;
  return out;
}

// A C-GET SCU that proposes one storage syntax only and keeps what it receives as received.
// Returns the final C-GET status (-1 when the association or the request failed).
int getProposing(const NodeUnderTest& node, const std::string& study, const std::string& sopClass,
                 const std::string& ts, const fs::path& outDir) {
  DcmSCU scu;
  scu.setAETitle("GETSCU");
  scu.setPeerAETitle(node.aet().c_str());
  scu.setPeerHostName("127.0.0.1");
  scu.setPeerPort(node.port());
  scu.setStorageDir(outDir.c_str());
  scu.setStorageMode(DCMSCU_STORAGE_BIT_PRESERVING);
  scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel,
                             OFList<OFString>(1, UID_LittleEndianExplicitTransferSyntax));
  scu.addPresentationContext(sopClass.c_str(), OFList<OFString>(1, ts.c_str()), ASC_SC_ROLE_SCP);
  if (scu.initNetwork().bad() || scu.negotiateAssociation().bad()) return -1;
  DcmDataset identifier;
  identifier.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
  identifier.putAndInsertString(DCM_StudyInstanceUID, study.c_str());
  OFList<RetrieveResponse*> responses;
  const OFCondition cond =
      scu.sendCGETRequest(scu.findPresentationContextID(UID_GETStudyRootQueryRetrieveInformationModel,
                                                        UID_LittleEndianExplicitTransferSyntax),
                          &identifier, &responses);
  const int status = cond.good() && !responses.empty() ? responses.back()->m_status : -1;
  for (auto* r : responses) delete r;
  scu.releaseAssociation();
  return status;
}

class RetrieveTranscode : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // By default storescp takes uncompressed transfer syntaxes only, like many archives and
    // viewers; with +xv it takes (and prefers) JPEG 2000 lossless.
    // Stock storescps as C-MOVE destinations, writing what they receive as received (+B).
    plain_ = new StorescpPeer("PLAIN", {"+B"});
    j2kPeer_ = new StorescpPeer("J2KPEER", {"+B", "+xv"});
    node_ = new NodeUnderTest({"--destination", plain_->peer(), "--destination", j2kPeer_->peer()});
    node_->start();
    references_ = new TempDir("reference");
    for (const Corpus& c : kJpeg2000Corpora) {
      const auto files = filesUnder(testData(c.name));
      const RunResult sent = node_->storeFiles(files);
      ASSERT_EQ(sent.exitCode, 0) << sent.output;
      for (const auto& f : files) stored_[attribute(f, DCM_SOPInstanceUID)] = f;
      for (const auto& f : writeReference(c, references_->path() / c.name)) {
        reference_[attribute(f, DCM_SOPInstanceUID)] = f;
      }
    }
  }
  static void TearDownTestSuite() {
    delete node_;
    delete plain_;
    delete j2kPeer_;
    delete references_;
  }

  // What a peer that did not take JPEG 2000 got: the instances asked for, in `syntax`, every
  // attribute as stored, the reference's pixels.
  static void expectDecoded(const std::vector<fs::path>& received, const char* corpus, const char* syntax) {
    std::set<std::string> uids;
    for (const auto& f : received) {
      const std::string uid = attribute(f, DCM_SOPInstanceUID);
      SCOPED_TRACE(uid);
      uids.insert(uid);
      EXPECT_EQ(transferSyntaxOf(f), syntax);
      ASSERT_EQ(reference_.count(uid), 1u) << "the reference has this instance";
      EXPECT_EQ(attributesBesidesPixels(f), attributesBesidesPixels(stored_.at(uid)));
      const auto decoded = pixels(f);
      EXPECT_FALSE(decoded.empty());
      EXPECT_EQ(decoded, pixels(reference_.at(uid))) << "pixels differ from the generator's";
    }
    EXPECT_EQ(uids, uidsOf(corpus));
  }

  // What a peer that took JPEG 2000 got: the stored data sets, byte for byte.
  static void expectStoredBytes(const std::vector<fs::path>& received, const char* corpus) {
    const auto byUid = bySopInstanceUid(received);
    EXPECT_EQ(byUid.size(), uidsOf(corpus).size());
    for (const auto& [uid, file] : byUid) {
      EXPECT_EQ(transferSyntaxOf(file), UID_JPEG2000LosslessOnlyTransferSyntax) << uid;
      EXPECT_EQ(datasetBytes(file), datasetBytes(stored_.at(uid))) << uid;
    }
  }

  static std::set<std::string> uidsOf(const char* corpus) {
    std::set<std::string> uids;
    for (const auto& f : filesUnder(testData(corpus))) uids.insert(attribute(f, DCM_SOPInstanceUID));
    return uids;
  }
  static std::string studyOf(const char* corpus) {
    return attribute(filesUnder(testData(corpus)).front(), DCM_StudyInstanceUID);
  }

  static RunResult getscu(const char* corpus, const std::string& proposal, const fs::path& out) {
    // +B: written as received, so each file's transfer syntax is the one the node sent in.
    return node_->dcmtk("getscu", {"-S", "+B", proposal, "-k", "QueryRetrieveLevel=STUDY", "-k",
                                   "StudyInstanceUID=" + studyOf(corpus), "-od", out.string()});
  }
  static RunResult movescu(const char* corpus, const std::string& destination) {
    return node_->dcmtk("movescu", {"-S", "-aem", destination, "-k", "QueryRetrieveLevel=STUDY", "-k",
                                    "StudyInstanceUID=" + studyOf(corpus)});
  }

  static NodeUnderTest* node_;
  static StorescpPeer* plain_;
  static StorescpPeer* j2kPeer_;
  static TempDir* references_;
  static std::map<std::string, fs::path> stored_;     // SOP Instance UID -> the file sent
  static std::map<std::string, fs::path> reference_;  // SOP Instance UID -> uncompressed reference
};

NodeUnderTest* RetrieveTranscode::node_ = nullptr;
StorescpPeer* RetrieveTranscode::plain_ = nullptr;
StorescpPeer* RetrieveTranscode::j2kPeer_ = nullptr;
TempDir* RetrieveTranscode::references_ = nullptr;
std::map<std::string, fs::path> RetrieveTranscode::stored_;
std::map<std::string, fs::path> RetrieveTranscode::reference_;

TEST_F(RetrieveTranscode, GetPeersWithoutJpeg2000GetItDecodedOthersTheStoredBytes) {
  for (const Corpus& c : kJpeg2000Corpora) {
    SCOPED_TRACE(c.name);
    // Stock getscu proposes explicit VR little endian only for its storage contexts.
    TempDir out("get");
    const RunResult r = getscu(c.name, "+x=", out.path());
    ASSERT_EQ(r.exitCode, 0) << r.output;
    expectDecoded(filesUnder(out.path()), c.name, UID_LittleEndianExplicitTransferSyntax);
  }
  TempDir implicitOnly("get");
  const std::string ctClass = attribute(filesUnder(testData("ct-j2k")).front(), DCM_SOPClassUID);
  ASSERT_EQ(
      getProposing(*node_, studyOf("ct-j2k"), ctClass, UID_LittleEndianImplicitTransferSyntax, implicitOnly.path()),
      0x0000);
  expectDecoded(filesUnder(implicitOnly.path()), "ct-j2k", UID_LittleEndianImplicitTransferSyntax);

  TempDir j2k("get");
  const RunResult r = getscu("ct-j2k", "+xv", j2k.path());  // proposes JPEG 2000 lossless too
  ASSERT_EQ(r.exitCode, 0) << r.output;
  expectStoredBytes(filesUnder(j2k.path()), "ct-j2k");
}

TEST_F(RetrieveTranscode, MoveDestinationsWithoutJpeg2000GetItDecodedOthersTheStoredBytes) {
  RunResult r = movescu("ct-j2k", "PLAIN");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  expectDecoded(plain_->received(), "ct-j2k", UID_LittleEndianExplicitTransferSyntax);

  r = movescu("cr-j2k", "J2KPEER");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  expectStoredBytes(j2kPeer_->received(), "cr-j2k");
}

}  // namespace
