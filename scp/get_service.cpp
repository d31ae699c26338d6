// C-GET SCP: the matching instances go back over the requesting association itself, as C-STORE
// sub-operations on the storage contexts the SCU offered with the SCP role.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/diutil.h>

#include <cstring>
#include <memory>

#include "association.h"
#include "common/error.h"
#include "common/log.h"
#include "dicom/transcode.h"
#include "index/index.h"
#include "metrics/metrics.h"
#include "query_model.h"
#include "store/file_store.h"
#include "sub_operations.h"

namespace medvqa::scp {

OFCondition NodeAssociation::sendGetResponse(T_ASC_PresentationContextID presId, const T_DIMSE_C_GetRQ& request,
                                             Uint16 code, DcmDataset* identifier, DcmDataset* statusDetail) {
  T_DIMSE_Message response;
  std::memset(&response, 0, sizeof response);
  response.CommandField = DIMSE_C_GET_RSP;
  T_DIMSE_C_GetRSP& rsp = response.msg.CGetRSP;
  rsp.MessageIDBeingRespondedTo = request.MessageID;
  rsp.DimseStatus = code;
  rsp.DataSetType = identifier ? DIMSE_DATASET_PRESENT : DIMSE_DATASET_NULL;
  OFStandard::strlcpy(rsp.AffectedSOPClassUID, request.AffectedSOPClassUID, sizeof rsp.AffectedSOPClassUID);
  rsp.opts = O_GET_AFFECTEDSOPCLASSUID | O_GET_NUMBEROFCOMPLETEDSUBOPERATIONS | O_GET_NUMBEROFFAILEDSUBOPERATIONS |
             O_GET_NUMBEROFWARNINGSUBOPERATIONS;
  if (code == status::kPending || code == status::kCancel) rsp.opts |= O_GET_NUMBEROFREMAININGSUBOPERATIONS;
  if (retrieve_) {
    const SubOperations& ops = retrieve_->ops;
    rsp.NumberOfRemainingSubOperations = static_cast<DIC_US>(ops.remaining());
    rsp.NumberOfCompletedSubOperations = static_cast<DIC_US>(ops.completed());
    rsp.NumberOfFailedSubOperations = static_cast<DIC_US>(ops.failed());
    rsp.NumberOfWarningSubOperations = static_cast<DIC_US>(ops.warning());
  }
  return sendDIMSEMessage(presId, &response, identifier, statusDetail);
}

namespace {

// The storage context a sub-operation goes on: one in the stored syntax (the file goes as
// stored), else an uncompressed one (the node can decode into those), else any for the class.
T_ASC_PresentationContextID contextFor(T_ASC_Association* assoc, const StoredInstance& instance) {
  for (const char* ts : {instance.transferSyntaxUid.c_str(), UID_LittleEndianExplicitTransferSyntax,
                         UID_LittleEndianImplicitTransferSyntax, UID_BigEndianExplicitTransferSyntax}) {
    const T_ASC_PresentationContextID id =
        ASC_findAcceptedPresentationContextID(assoc, instance.sopClassUid.c_str(), ts);
    if (id != 0) return id;
  }
  return ASC_findAcceptedPresentationContextID(assoc, instance.sopClassUid.c_str());
}

T_DIMSE_C_StoreRQ storeRequestFor(T_ASC_Association* assoc, const StoredInstance& instance) {
  T_DIMSE_C_StoreRQ request;
  std::memset(&request, 0, sizeof request);
  request.MessageID = assoc->nextMsgID++;
  request.Priority = DIMSE_PRIORITY_MEDIUM;
  request.DataSetType = DIMSE_DATASET_PRESENT;
  OFStandard::strlcpy(request.AffectedSOPClassUID, instance.sopClassUid.c_str(), sizeof request.AffectedSOPClassUID);
  OFStandard::strlcpy(request.AffectedSOPInstanceUID, instance.sopInstanceUid.c_str(),
                      sizeof request.AffectedSOPInstanceUID);
  return request;
}

// Sends the stored file bit for bit when the SCU took its syntax; else its data set decoded into
// the syntax the SCU took (DIMSE encodes it anew). Throws Error(Dicom) when it cannot be decoded.
OFCondition sendInstance(T_ASC_Association* assoc, T_ASC_PresentationContextID presId, const StoredInstance& instance,
                         const std::string& path, T_DIMSE_C_StoreRSP& response) {
  T_DIMSE_C_StoreRQ request = storeRequestFor(assoc, instance);
  T_ASC_PresentationContext accepted;
  ASC_findAcceptedPresentationContext(assoc->params, presId, &accepted);
  DcmDataset* detail = nullptr;
  OFCondition cond;
  if (instance.transferSyntaxUid == accepted.acceptedTransferSyntax) {
    cond = DIMSE_storeUser(assoc, presId, &request, path.c_str(), nullptr, nullptr, nullptr, DIMSE_BLOCKING, 0,
                           &response, &detail);
  } else {
    DcmFileFormat file;
    cond = file.loadFile(path.c_str());
    if (cond.good()) {
      dicom::transcodeForPeer(*file.getDataset(), DcmXfer(accepted.acceptedTransferSyntax).getXfer());
      log::debug("C-GET: " + instance.sopInstanceUid + " decoded from " + instance.transferSyntaxUid + " to " +
                 accepted.acceptedTransferSyntax + ", the syntax the SCU accepted");
      cond = DIMSE_storeUser(assoc, presId, &request, nullptr, file.getDataset(), nullptr, nullptr, DIMSE_BLOCKING, 0,
                             &response, &detail);
    }
  }
  const std::unique_ptr<DcmDataset> statusDetail(detail);  // not used: the status says enough
  return cond;
}

}  // namespace

Uint16 NodeAssociation::storeOverThisAssociation(const StoredInstance& instance) {
  const T_ASC_PresentationContextID presId = contextFor(assoc_, instance);
  if (presId == 0) {
    log::warn("C-GET: the SCU offered no storage context for SOP class " + instance.sopClassUid);
    return status::kUnableToPerformSubOperations;
  }
  T_DIMSE_C_StoreRSP response;
  std::memset(&response, 0, sizeof response);
  OFCondition cond;
  try {
    cond = sendInstance(assoc_, presId, instance, services_.files.absolute(instance.relPath).string(), response);
  } catch (const Error& e) {  // the instance cannot be decoded for the SCU: this sub-operation failed
    log::warn("C-GET sub-operation for " + instance.sopInstanceUid + " failed: " + e.what());
    return status::kUnableToPerformSubOperations;
  }
  if (cond.bad()) {
    log::warn("C-GET sub-operation for " + instance.sopInstanceUid + " failed: " + cond.text());
    return status::kUnableToPerformSubOperations;
  }
  return response.DimseStatus;
}

OFCondition NodeAssociation::handleGet(T_DIMSE_C_GetRQ& request, T_ASC_PresentationContextID presId) {
  T_ASC_PresentationContextID dataPresId = presId;
  DcmDataset* received = nullptr;
  OFCondition cond = receiveDIMSEDataset(&dataPresId, &received);
  dataSetReceived();
  if (cond.bad()) return cond;
  const std::unique_ptr<DcmDataset> identifier(received);

  const auto instances = instancesToRetrieve("C-GET", request.AffectedSOPClassUID, *identifier);
  if (!instances) return sendGetResponse(presId, request, status::kIdentifierDoesNotMatch);
  SubOperations& ops = startRetrieve(*instances, caller()).ops;  // C-GET: the requestor is the destination
  for (const auto& instance : *instances) {
    if (DIMSE_checkForCancelRQ(assoc_, presId, request.MessageID).good()) {
      ops.cancel();
      break;
    }
    ops.record(instance, storeOverThisAssociation(instance));
    if (ops.remaining() > 0) {
      cond = sendGetResponse(presId, request, status::kPending);
      if (cond.bad()) return cond;
    }
  }
  services_.metrics.instancesRetrieved("C-GET", ops.completed());
  log::info(std::string("C-GET from ") + getPeerAETitle().c_str() + ": " + ops.summary());
  const auto failedList = ops.failedIdentifier();
  const Uint16 finalStatus = ops.finalStatus();
  cond = sendGetResponse(presId, request, finalStatus, failedList.get());
  auditOutcome(finalStatus, {});
  return cond;
}

}  // namespace medvqa::scp
