#include "dicom_server.h"

#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/dul.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>
#include <optional>

#include "association.h"
#include "audit/audit_trail.h"
#include "audit/dicom_events.h"
#include "common/error.h"
#include "common/log.h"
#include "metrics/metrics.h"
#include "net/quick_ack_transport.h"
#include "net/tls_transport.h"
#include "presentation_contexts.h"

namespace medvqa::scp {

namespace {
constexpr int kAcceptPollSeconds = 1;  // how often the accept loop looks at stop()
constexpr std::chrono::milliseconds kSlotGrace{500};

// The port DCMTK's listening socket is bound to (ASC_initializeNetwork binds and listens at once).
std::optional<std::uint16_t> boundPort(T_ASC_Network* network) {
  const DcmNativeSocketType fd = DUL_networkSocket(network->network);
  sockaddr_in address{};
  socklen_t length = sizeof address;
  if (fd < 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      address.sin_family != AF_INET) {
    return std::nullopt;
  }
  return ntohs(address.sin_port);
}

}  // namespace

DicomListener plainListener(const config::NodeConfig& config) {
  return {"DICOM", config.port.value(), std::make_unique<net::QuickAckTransportLayer>()};
}

DicomListener tlsListener(NodeServices& services) {
  auto onRefused = [&services](const std::string& peer, const std::string& reason) {
    services.metrics.associationRejected();
    if (services.audit) services.audit->record(audit::nodeAuthenticationFailed(peer, services.config.aet, reason));
  };
  return {"DICOM TLS", services.config.tls.port.value(),
          std::make_unique<net::TlsTransportLayer>(services.config.tls, std::move(onRefused))};
}

DicomServer::DicomServer(NodeServices& services, DicomListener listener, NodeAssociations& associations)
    : services_(services), listener_(std::move(listener)), associations_(associations) {
  const auto& c = services_.config;
  DcmSCPConfig& cfg = *sharedConfig_;
  cfg.setAETitle(c.aet.c_str());
  cfg.setPort(listener_.port);
  cfg.setMaxReceivePDULength(c.maxPduBytes);
  cfg.setACSETimeout(c.acseTimeoutSeconds);
  cfg.setDIMSETimeout(c.dimseTimeoutSeconds);
  cfg.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  cfg.setRespondWithCalledAETitle(OFFalse);
  addNodePresentationContexts(cfg);
}

DicomServer::~DicomServer() {
  stop();
  reapFinished(true);
  if (network_) ASC_dropNetwork(&network_);
}

void DicomServer::open() {
  dcmDisableGethostbyaddr.set(OFTrue);  // no reverse DNS per association: slow, and leaks intent
  // The A-ASSOCIATE-RQ is read on the listener thread; a peer that sends part of it and then
  // nothing would hold every other peer for DCMTK's default 60 s. Bound each read by the ACSE
  // timeout (an accepted association raises it to the DIMSE timeout: NodeAssociation).
  dcmSocketReceiveTimeout.set(static_cast<Sint32>(services_.config.acseTimeoutSeconds));
  const OFCondition cond = ASC_initializeNetwork(NET_ACCEPTOR, listener_.port,
                                                 static_cast<int>(services_.config.acseTimeoutSeconds), &network_);
  if (cond.bad()) {
    network_ = nullptr;
    throw Error(ErrorCode::Network, "cannot listen on " + describe() + ": " + cond.text());
  }
  const auto bound = boundPort(network_);
  if (!bound) throw Error(ErrorCode::Network, "cannot tell which port " + describe() + " listens on");
  listener_.port = *bound;  // differs from the configured one where that is 0
  // Every accepted socket goes through our transport (TCP_NODELAY + quick ACKs, and TLS on the
  // TLS listener). The listener keeps ownership: the layer outlives the network it is set on.
  ASC_setTransportLayer(network_, listener_.transport.get(), OFFalse);
}

void DicomServer::run() {
  if (!network_) open();
  while (!stopping_) {
    T_ASC_Association* assoc = nullptr;
    // "Secure layer" asks DUL to take the connection from our transport layer: the quick-ACK
    // connection on the plain listener (which ignores the flag), a TLS one on the TLS listener,
    // whose handshake runs here, on this thread (a refused one is logged by net::TlsTransportLayer).
    const OFCondition cond = ASC_receiveAssociation(network_, &assoc, services_.config.maxPduBytes, nullptr, nullptr,
                                                    OFTrue, DUL_NOBLOCK, kAcceptPollSeconds);
    if (cond.good()) {
      accept(assoc);
    } else {
      // A timeout, or a peer that connected and sent garbage or nothing: drop it, keep serving.
      if (cond != DUL_NOASSOCIATIONREQUEST) {
        log::debug(listener_.label + " association request failed: " + cond.text());
      }
      if (assoc) {
        ASC_dropAssociation(assoc);
        ASC_destroyAssociation(&assoc);
      }
    }
    reapFinished(false);
  }
  log::info(listener_.label + " listener stopped; waiting for " + std::to_string(workers_.size()) + " association(s)");
  reapFinished(true);
}

void DicomServer::accept(T_ASC_Association* assoc) {
  if (!waitForFreeSlot()) {
    refuse(assoc, ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED,
           "maxAssociations (" + std::to_string(services_.config.maxAssociations) + ") reached");
    return;
  }
  const std::uint64_t id = associations_.nextId++;
  try {
    auto done = std::make_shared<std::atomic<bool>>(false);
    workers_.push_back({std::thread(), done});  // before the thread: a running one is never lost
    workers_.back().thread = std::thread([this, assoc, id, done] {
      try {
        NodeAssociation association(services_, id);  // its destructor frees `assoc`
        association.setSharedConfig(sharedConfig_);
        association.run(assoc);
      } catch (const std::exception& e) {
        log::error("association #" + std::to_string(id) + " ended on an unexpected error: " + e.what());
      }
      --associations_.inProgress;
      *done = true;
    });
  } catch (const std::exception& e) {
    // No thread or memory for it: refused as a passing condition, and the listener goes on.
    if (!workers_.empty() && !workers_.back().thread.joinable()) workers_.pop_back();
    --associations_.inProgress;
    refuse(assoc, ASC_REASON_SP_PRES_TEMPORARYCONGESTION,
           "association #" + std::to_string(id) + " cannot be served: " + e.what());
  }
}

void DicomServer::refuse(T_ASC_Association* assoc, T_ASC_RejectParametersReason reason, const std::string& why) {
  log::warn("association refused: " + why);
  services_.metrics.associationRejected();
  if (services_.audit) {
    const audit::Peer caller{assoc->params->DULparams.callingAPTitle,
                             assoc->params->DULparams.callingPresentationAddress};
    services_.audit->record(audit::associationRefused(caller, services_.config.aet, why));
  }
  T_ASC_RejectParameters rej{ASC_RESULT_REJECTEDTRANSIENT, ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED, reason};
  ASC_rejectAssociation(assoc, &rej);
  ASC_dropAssociation(assoc);
  ASC_destroyAssociation(&assoc);
}

bool DicomServer::waitForFreeSlot() {
  // An SCU that releases and at once associates again must not be refused because the thread of
  // its previous association is still winding down: give running associations a moment.
  const auto deadline = std::chrono::steady_clock::now() + kSlotGrace;
  for (;;) {
    reapFinished(false);
    if (takeSlot()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// The other listener's thread takes slots from the same count: reserve one atomically.
bool DicomServer::takeSlot() {
  unsigned n = associations_.inProgress.load();
  while (n < services_.config.maxAssociations) {
    if (associations_.inProgress.compare_exchange_weak(n, n + 1)) return true;
  }
  return false;
}

void DicomServer::reapFinished(bool waitForAll) {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (waitForAll || *it->done) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace medvqa::scp
