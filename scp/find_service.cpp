// C-FIND SCP (Patient Root and Study Root): the core's index does the matching; this file only
// streams each match back as a Pending response and honours C-CANCEL between them.
#include <dcmtk/dcmdata/dcdeftag.h>

#include <memory>

#include "association.h"
#include "common/log.h"
#include "dimse_status.h"
#include "index/index.h"
#include "query_model.h"

namespace medvqa::scp {

OFCondition NodeAssociation::handleFind(T_DIMSE_C_FindRQ& request, T_ASC_PresentationContextID presId) {
  DcmDataset* received = nullptr;
  OFCondition cond = receiveFINDRequest(request, presId, received);
  if (cond.bad()) return cond;
  const std::unique_ptr<DcmDataset> identifier(received);
  const OFString sopClass = request.AffectedSOPClassUID;

  const auto model = queryModelFor(sopClass.c_str());
  if (!model) return sendFINDResponse(presId, request.MessageID, sopClass, nullptr, status::kIdentifierDoesNotMatch);

  Uint16 finalStatus = status::kSuccess;
  unsigned matches = 0;
  try {
    services_.index.find(*model, *identifier, [&](DcmDataset& match) {
      if (checkForCANCEL(presId, request.MessageID).good()) {
        finalStatus = status::kCancel;
        return false;
      }
      match.putAndInsertString(DCM_RetrieveAETitle, services_.config.aet.c_str());
      cond = sendFINDResponse(presId, request.MessageID, sopClass, &match, status::kPending);
      ++matches;
      return cond.good();
    });
  } catch (const Error& e) {
    finalStatus = e.code() == ErrorCode::InvalidArgument ? status::kIdentifierDoesNotMatch
                                                         : status::kProcessingFailure;
    log::warn("C-FIND from " + std::string(getPeerAETitle().c_str()) + " failed (" + hexStatus(finalStatus) +
              "): " + e.what());
  }
  if (cond.bad()) return cond;
  log::debug("C-FIND from " + std::string(getPeerAETitle().c_str()) + ": " + std::to_string(matches) +
             " matches" + (finalStatus == status::kCancel ? " (cancelled)" : ""));
  return sendFINDResponse(presId, request.MessageID, sopClass, nullptr, finalStatus);
}

}  // namespace medvqa::scp
