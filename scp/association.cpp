#include "association.h"

#include <dcmtk/dcmnet/diutil.h>

#include <algorithm>

#include "common/log.h"
#include "node/study_activity.h"

namespace medvqa::scp {

NodeAssociation::NodeAssociation(NodeServices& services, std::uint64_t id) : services_(services), id_(id) {}

NodeAssociation::~NodeAssociation() = default;

OFCondition NodeAssociation::run(T_ASC_Association* assoc) {
  assoc_ = assoc;
  return DcmThreadSCP::run(assoc);
}

OFBool NodeAssociation::checkCalledAETitleAccepted(const OFString& calledAE) {
  if (!services_.config.checkCalledAet || calledAE == services_.config.aet.c_str()) return OFTrue;
  log::warn("association #" + std::to_string(id_) + " refused: called AE '" + calledAE.c_str() +
            "' is not this node's AE title '" + services_.config.aet + "'");
  return OFFalse;
}

OFBool NodeAssociation::checkCallingAETitleAccepted(const OFString& callingAE) {
  const auto& accepted = services_.config.acceptedCallingAets;
  if (accepted.empty() || std::find(accepted.begin(), accepted.end(), callingAE.c_str()) != accepted.end()) {
    return OFTrue;
  }
  log::warn("association #" + std::to_string(id_) + " refused: calling AE '" + callingAE.c_str() +
            "' is not in acceptedCallingAets");
  return OFFalse;
}

void NodeAssociation::notifyAssociationTermination() {
  services_.activity.associationEnded(id_);
  log::debug("association #" + std::to_string(id_) + " ended");
}

OFCondition NodeAssociation::handleIncomingCommand(T_DIMSE_Message* msg,
                                                   const DcmPresentationContextInfo& presInfo) {
  const T_ASC_PresentationContextID presId = presInfo.presentationContextID;
  switch (msg->CommandField) {
    case DIMSE_C_STORE_RQ: return handleStore(msg->msg.CStoreRQ, presId);
    case DIMSE_C_FIND_RQ: return handleFind(msg->msg.CFindRQ, presId);
    case DIMSE_C_GET_RQ: return handleGet(msg->msg.CGetRQ, presId);
    case DIMSE_C_MOVE_RQ: return handleMove(msg->msg.CMoveRQ, presId);
    default: return DcmThreadSCP::handleIncomingCommand(msg, presInfo);  // C-ECHO, or refusal
  }
}

}  // namespace medvqa::scp
