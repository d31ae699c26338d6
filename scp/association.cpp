#include "association.h"

#include <cxxabi.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/dul.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <new>
#include <system_error>
#include <typeinfo>

#include "common/error.h"
#include "common/log.h"
#include "dimse_status.h"
#include "extended_negotiation.h"
#include "index/index.h"
#include "metrics/metrics.h"
#include "net/quick_ack_transport.h"
#include "node/study_activity.h"
#include "query_model.h"

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
  refusal_ =
      "called AE '" + std::string(calledAE.c_str()) + "' is not this node's AE title '" + services_.config.aet + "'";
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

namespace {

// An exception that escaped a service, as the catch-all reports it.
struct Unexpected {
  bool outOfResources = false;  // out of memory, disk space, file descriptors or threads
  std::string what;             // its type and message, for the log
};

std::string typeName(const std::type_info& type) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  std::string name = status == 0 && demangled != nullptr ? demangled : type.name();
  std::free(demangled);
  return name;
}

bool isResourceShortage(const std::error_code& code) {
  if (code.category() != std::generic_category() && code.category() != std::system_category()) return false;
  switch (code.value()) {
    case ENOMEM:
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
    case EAGAIN: return true;
    default: return false;
  }
}

Unexpected describe(std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::bad_alloc& e) {
    return {true, typeName(typeid(e)) + ": out of memory"};
  } catch (const std::system_error& e) {
    return {isResourceShortage(e.code()), typeName(typeid(e)) + ": " + e.what()};
  } catch (const std::exception& e) {
    return {false, typeName(typeid(e)) + ": " + e.what()};
  } catch (...) {
    return {false, "an exception of a type that is not a std::exception"};
  }
}

// The final status for a command that ended on an unexpected exception. Short of resources, the
// service's "refused: out of resources" (PS3.4 B.2.3, C.4.1.1.4, C.4.2.1.5, C.4.3.1.4): A700 for
// C-STORE and C-FIND; A701 (no matches computed) or A702 (sub-operations under way) for C-GET and
// C-MOVE. Otherwise 0xC000: "unable to process" for C-FIND, C-GET and C-MOVE; for C-STORE, whose
// table has no other failure left (A900 says the data set is wrong), "cannot understand". C-ECHO
// has no C000 class: 0x0110, processing failure (PS3.7 C.4).
Uint16 unexpectedFailureStatus(T_DIMSE_Command command, bool outOfResources, bool subOperationsStarted) {
  switch (command) {
    case DIMSE_C_STORE_RQ:
    case DIMSE_C_FIND_RQ: return outOfResources ? status::kOutOfResources : status::kUnableToProcess;
    case DIMSE_C_GET_RQ:
    case DIMSE_C_MOVE_RQ:
      if (!outOfResources) return status::kUnableToProcess;
      return subOperationsStarted ? status::kUnableToPerformSubOperations : status::kCannotComputeMatches;
    default: return status::kProcessingFailure;
  }
}

const char* commandName(T_DIMSE_Command command) {
  switch (command) {
    case DIMSE_C_ECHO_RQ: return "C-ECHO-RQ";
    case DIMSE_C_STORE_RQ: return "C-STORE-RQ";
    case DIMSE_C_FIND_RQ: return "C-FIND-RQ";
    case DIMSE_C_GET_RQ: return "C-GET-RQ";
    case DIMSE_C_MOVE_RQ: return "C-MOVE-RQ";
    default: return "DIMSE command";
  }
}

Uint16 messageIdOf(const T_DIMSE_Message& msg) {
  switch (msg.CommandField) {
    case DIMSE_C_ECHO_RQ: return msg.msg.CEchoRQ.MessageID;
    case DIMSE_C_STORE_RQ: return msg.msg.CStoreRQ.MessageID;
    case DIMSE_C_FIND_RQ: return msg.msg.CFindRQ.MessageID;
    case DIMSE_C_GET_RQ: return msg.msg.CGetRQ.MessageID;
    case DIMSE_C_MOVE_RQ: return msg.msg.CMoveRQ.MessageID;
    default: return 0;
  }
}

// Whether the command set said a data set follows it on the wire.
bool announcesDataSet(const T_DIMSE_Message& msg) {
  switch (msg.CommandField) {
    case DIMSE_C_STORE_RQ: return msg.msg.CStoreRQ.DataSetType != DIMSE_DATASET_NULL;
    case DIMSE_C_FIND_RQ: return msg.msg.CFindRQ.DataSetType != DIMSE_DATASET_NULL;
    case DIMSE_C_GET_RQ: return msg.msg.CGetRQ.DataSetType != DIMSE_DATASET_NULL;
    case DIMSE_C_MOVE_RQ: return msg.msg.CMoveRQ.DataSetType != DIMSE_DATASET_NULL;
    default: return false;
  }
}

// Returned when even the failure response could not be built: DcmSCP then aborts the association,
// which the peer at least hears about.
const OFConditionConst kCannotAnswer(1024, 1, OF_error, "the node could not answer the DIMSE command");

}  // namespace

OFCondition NodeAssociation::handleIncomingCommand(T_DIMSE_Message* msg, const DcmPresentationContextInfo& presInfo) {
  dataSetOnTheWire_ = announcesDataSet(*msg);
  retrieve_.reset();
  auditOutcome_ = nullptr;
  std::exception_ptr failure;
  try {
    return dispatch(*msg, presInfo);
  } catch (...) {
    failure = std::current_exception();
  }
  try {
    const Unexpected unexpected = describe(failure);
    return answerUnexpected(*msg, presInfo.presentationContextID, unexpected.outOfResources, unexpected.what);
  } catch (...) {
    log::error("association #" + std::to_string(id_) + ": " + commandName(msg->CommandField) +
               " failed and could not be answered; aborting the association");
    return kCannotAnswer;
  }
}

OFCondition NodeAssociation::dispatch(T_DIMSE_Message& msg, const DcmPresentationContextInfo& presInfo) {
  const T_ASC_PresentationContextID presId = presInfo.presentationContextID;
  switch (msg.CommandField) {
    case DIMSE_C_STORE_RQ: return handleStore(msg.msg.CStoreRQ, presId);
    case DIMSE_C_FIND_RQ: return handleFind(msg.msg.CFindRQ, presId);
    case DIMSE_C_GET_RQ: return handleGet(msg.msg.CGetRQ, presId);
    case DIMSE_C_MOVE_RQ: return handleMove(msg.msg.CMoveRQ, presId);
    default: return DcmThreadSCP::handleIncomingCommand(&msg, presInfo);  // C-ECHO, or refusal
  }
}

OFCondition NodeAssociation::answerUnexpected(T_DIMSE_Message& msg, T_ASC_PresentationContextID presId,
                                              bool outOfResources, const std::string& what) {
  const Uint16 code = unexpectedFailureStatus(msg.CommandField, outOfResources, retrieve_.has_value());
  log::error("association #" + std::to_string(id_) + ": " + commandName(msg.CommandField) + " (message ID " +
             std::to_string(messageIdOf(msg)) + ") from " + getPeerAETitle().c_str() +
             " failed on an unexpected error, answered " + hexStatus(code) + ": " + what);
  if (dataSetOnTheWire_) {
    // The service gave up before reading the data set: read past it, or its PDVs would be taken
    // for the next command.
    DIC_UL bytes = 0;
    DIC_UL pdvs = 0;
    const OFCondition drained = DIMSE_ignoreDataSet(
        assoc_, DIMSE_NONBLOCKING, static_cast<int>(services_.config.dimseTimeoutSeconds), &bytes, &pdvs);
    dataSetReceived();
    if (drained.bad()) return drained;  // the peer broke off: DcmSCP aborts the association
  }
  // Error Comment (PS3.7 C.4): for the peer's operator; the details stay in the node's log.
  DcmDataset detail;
  detail.putAndInsertString(
      DCM_ErrorComment, outOfResources ? "MedVQA node out of resources" : "MedVQA node internal error, see its log");
  OFCondition cond;
  switch (msg.CommandField) {
    case DIMSE_C_STORE_RQ: {
      const T_DIMSE_C_StoreRQ& request = msg.msg.CStoreRQ;
      services_.metrics.instanceRefused();
      cond = sendSTOREResponse(presId, request.MessageID, request.AffectedSOPClassUID, request.AffectedSOPInstanceUID,
                               code, &detail);
      break;
    }
    case DIMSE_C_FIND_RQ: {
      const T_DIMSE_C_FindRQ& request = msg.msg.CFindRQ;
      cond = sendFINDResponse(presId, request.MessageID, request.AffectedSOPClassUID, nullptr, code, &detail);
      break;
    }
    case DIMSE_C_GET_RQ: {
      const auto failedList = retrieve_ ? retrieve_->ops.failedIdentifier() : nullptr;
      cond = sendGetResponse(presId, msg.msg.CGetRQ, code, failedList.get(), &detail);
      break;
    }
    case DIMSE_C_MOVE_RQ: {
      const auto failedList = retrieve_ ? retrieve_->ops.failedIdentifier() : nullptr;
      cond = sendMoveResponse(presId, msg.msg.CMoveRQ, code, failedList.get(), &detail);
      break;
    }
    case DIMSE_C_ECHO_RQ: cond = DIMSE_sendEchoResponse(assoc_, presId, &msg.msg.CEchoRQ, code, &detail); break;
    default: return DIMSE_BADCOMMANDTYPE;  // no response of its kind: DcmSCP ends the association
  }
  auditOutcome(code, what);
  return cond;
}

void NodeAssociation::auditOutcome(Uint16 finalStatus, const std::string& problem) noexcept {
  auto record = std::move(auditOutcome_);
  auditOutcome_ = nullptr;
  if (!record) return;
  try {
    record(finalStatus, problem);
  } catch (const std::exception& e) {
    log::error("association #" + std::to_string(id_) + ": audit record not written: " + e.what());
  } catch (...) {
    log::error("association #" + std::to_string(id_) + ": audit record not written");
  }
}

std::optional<std::vector<StoredInstance>> NodeAssociation::instancesToRetrieve(const char* service,
                                                                                const char* sopClassUid,
                                                                                DcmDataset& identifier) {
  try {
    const auto model = queryModelFor(sopClassUid);
    if (!model) throw Error(ErrorCode::InvalidArgument, std::string("not a ") + service + " SOP class");
    return services_.index.instancesFor(*model, identifier);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::InvalidArgument) throw;  // not the identifier's fault: the catch-all's
    log::warn(std::string(service) + " from " + getPeerAETitle().c_str() + " refused: " + e.what());
    return std::nullopt;
  }
}

NodeAssociation::Retrieve& NodeAssociation::startRetrieve(const std::vector<StoredInstance>& instances,
                                                          audit::Peer destination) {
  Retrieve& retrieve = retrieve_.emplace(Retrieve{SubOperations(instances.size()), std::move(destination)});
  auditOutcome_ = [this](Uint16, const std::string&) { auditSent(retrieve_->ops.sent(), retrieve_->destination); };
  return retrieve;
}

}  // namespace medvqa::scp
