// C-MOVE SCP: the matching instances go to a destination known by its AE title (config
// "destinations"), over a new association that this node opens as a C-STORE SCU.
#include <dcmtk/dcmnet/diutil.h>

#include <set>

#include "association.h"
#include "common/log.h"
#include "index/index.h"
#include "metrics/metrics.h"
#include "net/store_client.h"
#include "query_model.h"
#include "store/file_store.h"
#include "sub_operations.h"

namespace medvqa::scp {

OFCondition NodeAssociation::handleMove(T_DIMSE_C_MoveRQ& request, T_ASC_PresentationContextID presId) {
  DcmDataset* received = nullptr;
  OFString destinationAet;
  OFCondition cond = receiveMOVERequest(request, presId, received, destinationAet);
  if (cond.bad()) return cond;
  const std::unique_ptr<DcmDataset> identifier(received);
  const OFString sopClass = request.AffectedSOPClassUID;
  const std::string peerAet = getPeerAETitle().c_str();

  const auto destination = services_.config.destinations.find(destinationAet.c_str());
  if (destination == services_.config.destinations.end()) {
    log::warn("C-MOVE from " + peerAet + " refused: unknown move destination '" + destinationAet.c_str() + "'");
    return sendMOVEResponse(presId, request.MessageID, sopClass, nullptr, status::kMoveDestinationUnknown);
  }

  std::vector<StoredInstance> instances;
  const auto model = queryModelFor(sopClass.c_str());
  try {
    if (!model) throw Error(ErrorCode::InvalidArgument, "not a C-MOVE SOP class");
    instances = services_.index.instancesFor(*model, *identifier);
  } catch (const Error& e) {
    log::warn("C-MOVE from " + peerAet + " refused: " + e.what());
    return sendMOVEResponse(presId, request.MessageID, sopClass, nullptr, status::kIdentifierDoesNotMatch);
  }

  SubOperations ops(instances.size());
  audit::StudyTally sent;
  const audit::Peer auditDestination{destinationAet.c_str(), destination->second.host};
  if (!instances.empty()) {
    net::StoreClient client(destination->second, services_.config.aet, services_.config.dimseTimeoutSeconds);
    try {
      std::set<net::SyntaxPair> pairs;
      for (const auto& i : instances) pairs.emplace(i.sopClassUid, i.transferSyntaxUid);
      client.connect(pairs);
    } catch (const Error& e) {
      log::warn("C-MOVE from " + peerAet + " to " + destinationAet.c_str() + " failed: " + e.what());
      cond = sendMOVEResponse(presId, request.MessageID, sopClass, nullptr, status::kUnableToPerformSubOperations,
                              nullptr, 0, 0, static_cast<Uint16>(instances.size()), 0);
      for (const auto& instance : instances) sent.add(instance.studyUid, instance.sopClassUid, false);
      auditSent(sent, auditDestination);
      return cond;
    }
    for (const auto& instance : instances) {
      if (checkForCANCEL(presId, request.MessageID).good()) {
        ops.cancel();
        break;
      }
      Uint16 storeStatus = status::kUnableToPerformSubOperations;
      try {
        storeStatus = client.send(services_.files.absolute(instance.relPath),
                                  {instance.sopClassUid, instance.transferSyntaxUid}, peerAet, request.MessageID);
      } catch (const Error& e) {
        log::warn("C-MOVE sub-operation for " + instance.sopInstanceUid + " failed: " + e.what());
      }
      ops.record(instance.sopInstanceUid, storeStatus);
      sent.add(instance.studyUid, instance.sopClassUid, SubOperations::wentThrough(storeStatus));
      if (ops.remaining() > 0) {
        cond = sendMOVEResponse(presId, request.MessageID, sopClass, nullptr, status::kPending, nullptr,
                                static_cast<Uint16>(ops.remaining()), static_cast<Uint16>(ops.completed()),
                                static_cast<Uint16>(ops.failed()), static_cast<Uint16>(ops.warning()));
        if (cond.bad()) return cond;
      }
    }
  }
  services_.metrics.instancesRetrieved("C-MOVE", ops.completed());
  log::info("C-MOVE from " + peerAet + " to " + destinationAet.c_str() + ": " + std::to_string(ops.completed()) +
            " sent, " + std::to_string(ops.failed()) + " failed");
  const auto failedList = ops.failedIdentifier();
  cond = sendMOVEResponse(presId, request.MessageID, sopClass, failedList.get(), ops.finalStatus(), nullptr,
                          static_cast<Uint16>(ops.remaining()), static_cast<Uint16>(ops.completed()),
                          static_cast<Uint16>(ops.failed()), static_cast<Uint16>(ops.warning()));
  auditSent(sent, auditDestination);
  return cond;
}

}  // namespace medvqa::scp
