#include "association.h"

#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/dul.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cctype>

#include "common/log.h"
#include "extended_negotiation.h"
#include "metrics/metrics.h"
#include "net/quick_ack_transport.h"
#include "node/study_activity.h"

namespace medvqa::scp {

NodeAssociation::NodeAssociation(NodeServices& services, std::uint64_t id) : services_(services), id_(id) {}

NodeAssociation::~NodeAssociation() = default;

OFCondition NodeAssociation::run(T_ASC_Association* assoc) {
  assoc_ = assoc;
  return DcmThreadSCP::run(assoc);
}

namespace {

// PS3.8 9.3.2: an AE title is 1-16 characters of the default repertoire, not all spaces. A peer
// that sends none (or NULs, or control characters) is misconfigured or hostile; either way it
// gets a clear A-ASSOCIATE-RJ rather than an AE title that later shows up in logs and paths.
bool isValidAeTitle(const OFString& title) {
  if (title.empty() || title.length() > 16) return false;
  bool allSpaces = true;
  for (const char c : std::string(title.c_str(), title.length())) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x5C || u >= 0x7F) return false;  // control, backslash, non-ASCII
    if (u != ' ') allSpaces = false;
  }
  return !allSpaces;
}

std::string printable(const OFString& title) {
  std::string out;
  for (const char c : std::string(title.c_str(), title.length())) {
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7F) ? std::string(1, c) : "\\x" + std::to_string(u);
  }
  return out;
}

DcmNativeSocketType socketOf(T_ASC_Association* assoc) {
  if (assoc == nullptr || assoc->DULassociation == nullptr) return -1;
  DcmTransportConnection* connection = DUL_getTransportConnection(assoc->DULassociation);
  return net::nativeSocket(connection);
}

void setReceiveTimeout(DcmNativeSocketType socket, unsigned seconds) {
  timeval tv{static_cast<time_t>(seconds), 0};
  ::setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace

OFBool NodeAssociation::checkCalledAETitleAccepted(const OFString& calledAE) {
  if (!isValidAeTitle(calledAE)) {
    refusal_ = "called AE '" + printable(calledAE) + "' is not a valid AE title";
    log::warn("association #" + std::to_string(id_) + " refused: " + refusal_);
    return OFFalse;
  }
  if (!services_.config.checkCalledAet || calledAE == services_.config.aet.c_str()) return OFTrue;
  refusal_ = "called AE '" + std::string(calledAE.c_str()) + "' is not this node's AE title '" + services_.config.aet + "'";
  log::warn("association #" + std::to_string(id_) + " refused: " + refusal_);
  return OFFalse;
}

OFBool NodeAssociation::checkCallingAETitleAccepted(const OFString& callingAE) {
  if (!isValidAeTitle(callingAE)) {
    refusal_ = "calling AE '" + printable(callingAE) + "' is not a valid AE title";
    log::warn("association #" + std::to_string(id_) + " refused: " + refusal_);
    return OFFalse;
  }
  const auto& accepted = services_.config.acceptedCallingAets;
  if (accepted.empty() || std::find(accepted.begin(), accepted.end(), callingAE.c_str()) != accepted.end()) {
    return OFTrue;
  }
  refusal_ = "calling AE '" + std::string(callingAE.c_str()) + "' is not in acceptedCallingAets";
  log::warn("association #" + std::to_string(id_) + " refused: " + refusal_);
  return OFFalse;
}

OFCondition NodeAssociation::negotiateAssociation() {
  const OFCondition cond = DcmThreadSCP::negotiateAssociation();
  if (cond.good() && assoc_ != nullptr) {
    combinedDateTimeMatching_ = answerQueryExtendedNegotiation(*assoc_);
    if (!combinedDateTimeMatching_.empty()) {
      log::debug("association #" + std::to_string(id_) + ": combined date-time matching negotiated");
    }
  }
  return cond;
}

void NodeAssociation::notifyAssociationAcknowledge() {
  acknowledged_ = true;
  services_.metrics.associationAccepted();
  auditOpened();
  // The listener bounded reads by the ACSE timeout; inside an association a stalled PDU is
  // bounded by the DIMSE timeout instead.
  const DcmNativeSocketType socket = socketOf(assoc_);
  if (socket >= 0) setReceiveTimeout(socket, services_.config.dimseTimeoutSeconds);
}

void NodeAssociation::notifyAssociationTermination() {
  // DCMTK drops the association next and waits up to 180 s for the peer to close (after an
  // A-ASSOCIATE-RJ, an A-RELEASE-RP or an abort). A peer that never closes would hold this
  // thread, its socket and an association slot; what we owe the peer is already sent, so close
  // our side now and let the drop return at once.
  const DcmNativeSocketType socket = socketOf(assoc_);
  if (socket >= 0) ::shutdown(socket, SHUT_RDWR);
  services_.activity.associationEnded(id_);
  if (acknowledged_) {
    services_.metrics.associationEnded();
  } else {
    services_.metrics.associationRejected();
  }
  auditEnded();
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
