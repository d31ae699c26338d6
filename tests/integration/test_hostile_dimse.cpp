// C-STORE data sets that a stock SCU would never send but a broken or hostile one does: cut
// short, encoded in another transfer syntax than negotiated, carrying their own File Meta
// Information. Sent with DCMTK's lowest layer (raw PDVs) on a real association; the node must
// answer a failure status, store nothing, and keep serving.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dimse.h>

#include "dicom_files.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {

constexpr T_ASC_PresentationContextID kContext = 1;

// A data set or command set encoded as it would travel in a PDV.
std::string encode(DcmItem& item, E_TransferSyntax ts, E_GrpLenEncoding groupLength = EGL_noChange) {
  item.computeGroupLengthAndPadding(groupLength, EPD_noChange, ts);
  std::string buffer(item.calcElementLength(ts, EET_ExplicitLength) + 4096, '\0');
  DcmOutputBufferStream out(buffer.data(), buffer.size());
  item.transferInit();
  item.write(out, ts, EET_ExplicitLength, nullptr);
  item.transferEnd();
  void* written = nullptr;
  offile_off_t size = 0;
  out.flushBuffer(written, size);
  return buffer.substr(0, static_cast<std::size_t>(size));
}

// An association with one CT Image Storage context in `transferSyntax`.
class RawStoreAssociation {
 public:
  RawStoreAssociation(const NodeUnderTest& node, const char* transferSyntax) {
    EXPECT_TRUE(ASC_initializeNetwork(NET_REQUESTOR, 0, 30, &net_).good());
    T_ASC_Parameters* params = nullptr;
    ASC_createAssociationParameters(&params, ASC_DEFAULTMAXPDU);
    ASC_setAPTitles(params, "RAWSCU", node.aet().c_str(), nullptr);
    ASC_setPresentationAddresses(params, "localhost", ("127.0.0.1:" + std::to_string(node.port())).c_str());
    const char* syntaxes[] = {transferSyntax};
    ASC_addPresentationContext(params, kContext, UID_CTImageStorage, syntaxes, 1);
    const OFCondition cond = ASC_requestAssociation(net_, params, &assoc_);
    EXPECT_TRUE(cond.good()) << cond.text();
    EXPECT_EQ(ASC_countAcceptedPresentationContexts(assoc_->params), 1);
  }
  ~RawStoreAssociation() {
    ASC_releaseAssociation(assoc_);
    ASC_destroyAssociation(&assoc_);
    ASC_dropNetwork(&net_);
  }

  // Sends a C-STORE-RQ command, then `datasetBytes` as they are; returns the response status.
  Uint16 store(const std::string& sopInstanceUid, const std::string& datasetBytes) {
    writePdvs(commandBytes(sopInstanceUid), DUL_COMMANDPDV);
    writePdvs(datasetBytes, DUL_DATASETPDV);
    T_DIMSE_Message response;
    T_ASC_PresentationContextID presId = 0;
    DcmDataset* detail = nullptr;
    const OFCondition cond = DIMSE_receiveCommand(assoc_, DIMSE_BLOCKING, 0, &presId, &response, &detail);
    delete detail;
    EXPECT_TRUE(cond.good()) << cond.text();
    return cond.good() ? response.msg.CStoreRSP.DimseStatus : 0xFFFF;
  }

 private:
  static std::string commandBytes(const std::string& sopInstanceUid) {
    DcmDataset command;
    command.putAndInsertString(DCM_AffectedSOPClassUID, UID_CTImageStorage);
    command.putAndInsertUint16(DCM_CommandField, 0x0001);  // C-STORE-RQ
    command.putAndInsertUint16(DCM_MessageID, 1);
    command.putAndInsertUint16(DCM_Priority, 0);
    command.putAndInsertUint16(DCM_CommandDataSetType, 0x0000);  // a data set follows
    command.putAndInsertString(DCM_AffectedSOPInstanceUID, sopInstanceUid.c_str());
    return encode(command, EXS_LittleEndianImplicit, EGL_withGL);
  }

  void writePdvs(const std::string& bytes, DUL_DATAPDV type) {
    constexpr std::size_t kFragment = 8192;
    for (std::size_t offset = 0; offset < bytes.size() || offset == 0; offset += kFragment) {
      const std::size_t length = std::min(kFragment, bytes.size() - offset);
      DUL_PDV pdv{length, kContext, type, offset + length >= bytes.size(),
                  const_cast<char*>(bytes.data() + offset)};
      DUL_PDVLIST list{1, nullptr, 0, DUL_ABORTITEMS{}, &pdv};
      ASSERT_TRUE(DUL_WritePDVs(&assoc_->DULassociation, &list).good());
      if (bytes.empty()) break;
    }
  }

  T_ASC_Network* net_ = nullptr;
  T_ASC_Association* assoc_ = nullptr;

};

fs::path sample() { return filesUnder(testData("ct-explicit")).front(); }

void expectNothingStoredAndStillServing(const NodeUnderTest& node) {
  EXPECT_TRUE(!fs::exists(node.storage() / "instances") || filesUnder(node.storage() / "instances").empty());
  EXPECT_TRUE(filesUnder(node.storage() / "tmp").empty());
  EXPECT_EQ(node.dcmtk("echoscu", {}).exitCode, 0);
  EXPECT_EQ(node.storeFiles({sample()}).exitCode, 0);
}

}  // namespace

TEST(HostileDimse, ATruncatedDataSetIsRefusedWithCannotUnderstand) {
  NodeUnderTest node;
  node.start();
  const std::string whole = datasetBytes(sample());
  const std::string uid = attribute(sample(), DCM_SOPInstanceUID);
  {
    RawStoreAssociation association(node, UID_LittleEndianExplicitTransferSyntax);
    EXPECT_EQ(association.store(uid, whole.substr(0, whole.size() - 1000)), 0xC000);
  }
  EXPECT_NE(node.log().find("cannot be parsed"), std::string::npos) << node.log();
  expectNothingStoredAndStillServing(node);
}

TEST(HostileDimse, ADataSetInAnotherTransferSyntaxThanNegotiatedIsRefused) {
  NodeUnderTest node;
  node.start();
  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile(sample().c_str()).good());
  const std::string bigEndian = encode(*file.getDataset(), EXS_BigEndianExplicit);
  {
    RawStoreAssociation association(node, UID_LittleEndianExplicitTransferSyntax);
    const Uint16 status = association.store(attribute(sample(), DCM_SOPInstanceUID), bigEndian);
    EXPECT_TRUE(status == 0xC000 || status == 0xA900) << std::hex << status;
  }
  expectNothingStoredAndStillServing(node);
}

TEST(HostileDimse, AFileMetaHeaderInsideTheDataSetIsRefused) {
  NodeUnderTest node;
  node.start();
  // The whole Part 10 file after its preamble: File Meta (explicit LE) then the data set, sent
  // on an implicit VR context, as a broken gateway that forwards files verbatim does.
  const std::string file = readFile(sample()).substr(132);
  {
    RawStoreAssociation association(node, UID_LittleEndianImplicitTransferSyntax);
    const Uint16 status = association.store(attribute(sample(), DCM_SOPInstanceUID), file);
    EXPECT_TRUE(status == 0xC000 || status == 0xA900) << std::hex << status;
  }
  expectNothingStoredAndStillServing(node);
}

TEST(HostileDimse, AnEmptyDataSetIsRefused) {
  NodeUnderTest node;
  node.start();
  {
    RawStoreAssociation association(node, UID_LittleEndianExplicitTransferSyntax);
    const Uint16 status = association.store("1.2.3.4", "");
    EXPECT_EQ(status, 0xA900) << std::hex << status;  // no SOP Instance UID in it
  }
  expectNothingStoredAndStillServing(node);
}
