#include "presentation_contexts.h"

#include <dcmtk/dcmdata/dcuid.h>

namespace medvqa::scp {
namespace {

OFList<OFString> list(std::initializer_list<const char*> uids) {
  OFList<OFString> out;
  for (const char* uid : uids) out.push_back(uid);
  return out;
}

OFList<OFString> storageTransferSyntaxes() {
  return list({UID_JPEG2000LosslessOnlyTransferSyntax, UID_JPEG2000TransferSyntax,
               UID_JPEGLSLosslessTransferSyntax, UID_JPEGLSLossyTransferSyntax,
               UID_JPEGProcess14SV1TransferSyntax, UID_JPEGProcess14TransferSyntax,
               UID_JPEGProcess1TransferSyntax, UID_JPEGProcess2_4TransferSyntax, UID_RLELosslessTransferSyntax,
               UID_DeflatedExplicitVRLittleEndianTransferSyntax, UID_LittleEndianExplicitTransferSyntax,
               UID_BigEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax});
}

OFList<OFString> commandTransferSyntaxes() {
  return list({UID_LittleEndianExplicitTransferSyntax, UID_BigEndianExplicitTransferSyntax,
               UID_LittleEndianImplicitTransferSyntax});
}

}  // namespace

void addNodePresentationContexts(DcmSCPConfig& config) {
  const OFList<OFString> plain = commandTransferSyntaxes();
  for (const char* sopClass :
       {UID_VerificationSOPClass, UID_FINDPatientRootQueryRetrieveInformationModel,
        UID_FINDStudyRootQueryRetrieveInformationModel, UID_GETPatientRootQueryRetrieveInformationModel,
        UID_GETStudyRootQueryRetrieveInformationModel, UID_MOVEPatientRootQueryRetrieveInformationModel,
        UID_MOVEStudyRootQueryRetrieveInformationModel}) {
    config.addPresentationContext(sopClass, plain);
  }
  const OFList<OFString> storage = storageTransferSyntaxes();
  for (int i = 0; i < numberOfDcmAllStorageSOPClassUIDs; ++i) {
    config.addPresentationContext(dcmAllStorageSOPClassUIDs[i], storage, ASC_SC_ROLE_SCUSCP);
  }
}

}  // namespace medvqa::scp
