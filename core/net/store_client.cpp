#include "net/store_client.h"

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/scu.h>

#include <utility>

#include "common/error.h"
#include "dicom/transcode.h"

namespace medvqa::net {
namespace {

constexpr std::size_t kMaxPresentationContexts = 128;  // odd IDs 1..255

bool isUncompressed(const std::string& ts) {
  return ts == UID_LittleEndianImplicitTransferSyntax || ts == UID_LittleEndianExplicitTransferSyntax ||
         ts == UID_BigEndianExplicitTransferSyntax;
}

// The accepted context to send an instance on, with its transfer syntax: the stored syntax when
// the peer took it, else an uncompressed one (the instance is then decoded into it). {0, ""}: none.
std::pair<T_ASC_PresentationContextID, std::string> contextFor(DcmSCU& scu, const SyntaxPair& syntax) {
  for (const std::string& ts : {syntax.second, std::string(UID_LittleEndianExplicitTransferSyntax),
                                std::string(UID_LittleEndianImplicitTransferSyntax),
                                std::string(UID_BigEndianExplicitTransferSyntax)}) {
    const T_ASC_PresentationContextID id = scu.findPresentationContextID(syntax.first.c_str(), ts.c_str());
    if (id != 0) return {id, ts};
  }
  return {0, ""};
}

}  // namespace

StoreClient::StoreClient(DicomPeer peer, std::string callingAet, unsigned timeoutSeconds)
    : peer_(std::move(peer)), scu_(std::make_unique<DcmSCU>()) {
  scu_->setAETitle(callingAet.c_str());
  scu_->setPeerAETitle(peer_.aet.c_str());
  scu_->setPeerHostName(peer_.host.c_str());
  scu_->setPeerPort(peer_.port);
  scu_->setACSETimeout(timeoutSeconds);
  scu_->setDIMSETimeout(timeoutSeconds);
  scu_->setDIMSEBlockingMode(DIMSE_NONBLOCKING);
}

StoreClient::~StoreClient() {
  if (scu_->isConnected()) scu_->releaseAssociation();
}

void StoreClient::connect(const std::set<SyntaxPair>& pairs) {
  // One context per stored syntax, so a peer that takes it gets the instance bit for bit; and
  // one uncompressed context per SOP class, so a peer that does not still gets it (decoded by
  // DCMTK's registered codecs).
  std::set<std::string> sopClasses;
  std::size_t proposed = 0;
  const auto propose = [&](const std::string& sopClass, std::initializer_list<const char*> syntaxes) {
    if (proposed == kMaxPresentationContexts) return;
    OFList<OFString> list;
    for (const char* ts : syntaxes) list.push_back(ts);
    scu_->addPresentationContext(sopClass.c_str(), list);
    ++proposed;
  };
  for (const auto& [sopClass, ts] : pairs) {
    if (!isUncompressed(ts)) propose(sopClass, {ts.c_str()});
    sopClasses.insert(sopClass);
  }
  for (const auto& sopClass : sopClasses) {
    propose(sopClass, {UID_LittleEndianExplicitTransferSyntax, UID_BigEndianExplicitTransferSyntax,
                       UID_LittleEndianImplicitTransferSyntax});
  }
  const std::string who = peer_.aet + "@" + peer_.host + ":" + std::to_string(peer_.port);
  OFCondition cond = scu_->initNetwork();
  if (cond.good()) cond = scu_->negotiateAssociation();
  if (cond.bad()) throw Error(ErrorCode::Network, "cannot associate with " + who + ": " + cond.text());
}

std::uint16_t StoreClient::send(const std::filesystem::path& file, const SyntaxPair& syntax,
                                const std::string& moveOriginatorAet, std::uint16_t moveOriginatorMessageId) {
  const auto [presId, acceptedSyntax] = contextFor(*scu_, syntax);
  if (presId == 0) {
    throw Error(ErrorCode::Network, peer_.aet + " accepted no presentation context for SOP class " + syntax.first +
                                        " in transfer syntax " + syntax.second + " or an uncompressed one");
  }
  Uint16 status = 0;
  OFCondition cond;
  if (acceptedSyntax == syntax.second) {
    // The peer took the stored syntax: DCMTK sends the file's data set as it is.
    cond = scu_->sendSTORERequest(presId, file.c_str(), nullptr, status, moveOriginatorAet.c_str(),
                                  moveOriginatorMessageId);
  } else {
    // It did not: decode into the syntax it took (DcmSCU itself would send the compressed bytes).
    DcmFileFormat decoded;
    cond = decoded.loadFile(file.c_str());
    if (cond.good()) {
      dicom::transcodeForPeer(*decoded.getDataset(), DcmXfer(acceptedSyntax.c_str()).getXfer());
      cond = scu_->sendSTORERequest(presId, OFFilename(), decoded.getDataset(), status, moveOriginatorAet.c_str(),
                                    moveOriginatorMessageId);
    }
  }
  if (cond.bad()) throw Error(ErrorCode::Network, "C-STORE to " + peer_.aet + " failed: " + cond.text());
  return status;
}

}  // namespace medvqa::net
