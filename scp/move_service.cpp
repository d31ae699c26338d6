// C-MOVE SCP: the matching instances go to a destination known by its AE title (config
// "destinations"), over a new association that this node opens as a C-STORE SCU. In steps:
// resolve the destination, open the sub-association, send, answer.
#include <dcmtk/dcmnet/diutil.h>

#include <set>

#include "association.h"
#include "common/error.h"
#include "common/log.h"
#include "index/index.h"
#include "metrics/metrics.h"
#include "net/store_client.h"
#include "store/file_store.h"
#include "sub_operations.h"

namespace medvqa::scp {
namespace {

// The destination's address from config "destinations"; null when the AE title is not there.
const auto* destinationFor(const auto& destinations, const std::string& aet) {
  const auto found = destinations.find(aet);
  return found == destinations.end() ? nullptr : &found->second;
}

}  // namespace

OFCondition NodeAssociation::handleMove(T_DIMSE_C_MoveRQ& request, T_ASC_PresentationContextID presId) {
  DcmDataset* received = nullptr;
  OFString destinationAet;
  OFCondition cond = receiveMOVERequest(request, presId, received, destinationAet);
  dataSetReceived();
  if (cond.bad()) return cond;
  const std::unique_ptr<DcmDataset> identifier(received);

  const auto* destination = destinationFor(services_.config.destinations, destinationAet.c_str());
  if (destination == nullptr) {
    log::warn(std::string("C-MOVE from ") + getPeerAETitle().c_str() + " refused: unknown move destination '" +
              destinationAet.c_str() + "'");
    return sendMoveResponse(presId, request, status::kMoveDestinationUnknown);
  }
  const auto instances = instancesToRetrieve("C-MOVE", request.AffectedSOPClassUID, *identifier);
  if (!instances) return sendMoveResponse(presId, request, status::kIdentifierDoesNotMatch);
  startRetrieve(*instances, {destinationAet.c_str(), destination->host});
  if (!instances->empty()) {
    net::StoreClient client(*destination, services_.config.aet, services_.config.dimseTimeoutSeconds);
    if (openSubAssociation(client, *instances)) {
      cond = sendOverSubAssociation(client, presId, request, *instances);
      if (cond.bad()) return cond;
    }
  }
  return finishMove(presId, request);
}

// Proposes a context for every (SOP class, transfer syntax) the instances need and associates.
// A destination that cannot be reached or refuses fails every sub-operation.
bool NodeAssociation::openSubAssociation(net::StoreClient& client, const std::vector<StoredInstance>& instances) {
  std::set<net::SyntaxPair> pairs;
  for (const auto& i : instances) pairs.emplace(i.sopClassUid, i.transferSyntaxUid);
  try {
    client.connect(pairs);
    return true;
  } catch (const Error& e) {
    log::warn(std::string("C-MOVE from ") + getPeerAETitle().c_str() + " to " + retrieve_->destination.aet +
              " failed: " + e.what());
    for (const auto& instance : instances) retrieve_->ops.record(instance, status::kUnableToPerformSubOperations);
    return false;
  }
}

// One C-STORE per instance, a Pending response after each but the last, until done or cancelled.
OFCondition NodeAssociation::sendOverSubAssociation(net::StoreClient& client, T_ASC_PresentationContextID presId,
                                                    const T_DIMSE_C_MoveRQ& request,
                                                    const std::vector<StoredInstance>& instances) {
  SubOperations& ops = retrieve_->ops;
  const std::string originator = getPeerAETitle().c_str();
  for (const auto& instance : instances) {
    if (checkForCANCEL(presId, request.MessageID).good()) {
      ops.cancel();
      break;
    }
    Uint16 storeStatus = status::kUnableToPerformSubOperations;
    try {
      storeStatus = client.send(services_.files.absolute(instance.relPath),
                                {instance.sopClassUid, instance.transferSyntaxUid}, originator, request.MessageID);
    } catch (const Error& e) {  // the destination broke off, or the instance cannot be decoded for it
      log::warn("C-MOVE sub-operation for " + instance.sopInstanceUid + " failed: " + e.what());
    }
    ops.record(instance, storeStatus);
    if (ops.remaining() > 0) {
      const OFCondition cond = sendMoveResponse(presId, request, status::kPending);
      if (cond.bad()) return cond;
    }
  }
  return EC_Normal;
}

// The final response: success, B000 when any sub-operation failed or warned, A702 when all
// failed, cancel; with the failed UIDs. Audited once sent.
OFCondition NodeAssociation::finishMove(T_ASC_PresentationContextID presId, const T_DIMSE_C_MoveRQ& request) {
  const SubOperations& ops = retrieve_->ops;
  services_.metrics.instancesRetrieved("C-MOVE", ops.completed());
  log::info(std::string("C-MOVE from ") + getPeerAETitle().c_str() + " to " + retrieve_->destination.aet + ": " +
            ops.summary());
  const auto failedList = ops.failedIdentifier();
  const Uint16 finalStatus = ops.finalStatus();
  const OFCondition cond = sendMoveResponse(presId, request, finalStatus, failedList.get());
  auditOutcome(finalStatus, {});
  return cond;
}

OFCondition NodeAssociation::sendMoveResponse(T_ASC_PresentationContextID presId, const T_DIMSE_C_MoveRQ& request,
                                              Uint16 code, DcmDataset* identifier, DcmDataset* statusDetail) {
  if (!retrieve_) {
    return sendMOVEResponse(presId, request.MessageID, request.AffectedSOPClassUID, identifier, code, statusDetail);
  }
  const SubOperations& ops = retrieve_->ops;
  return sendMOVEResponse(presId, request.MessageID, request.AffectedSOPClassUID, identifier, code, statusDetail,
                          static_cast<Uint16>(ops.remaining()), static_cast<Uint16>(ops.completed()),
                          static_cast<Uint16>(ops.failed()), static_cast<Uint16>(ops.warning()));
}

}  // namespace medvqa::scp
