#pragma once

#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dcmlayer.h>
#include <dcmtk/dcmnet/scpcfg.h>

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <thread>

#include "node_services.h"

struct T_ASC_Network;

namespace medvqa::scp {

// Where a DicomServer listens and what wraps the connections it accepts.
struct DicomListener {
  std::string label;  // "DICOM" or "DICOM TLS", for log lines
  std::uint16_t port = 0;  // 0: one the OS picks (DicomServer::port() says which, once open)
  std::unique_ptr<DcmTransportLayer> transport;
};

// The plain listener on config.port (set: not "off"): TCP with quick ACKs (net/quick_ack_transport.h).
DicomListener plainListener(const config::NodeConfig& config);
// The TLS listener on config.tls.port (set) (net/tls_transport.h). Throws Error(Config) when the
// certificate, key or CAs cannot be used.
// A refused handshake is counted as a rejected association and audited (Node Authentication).
DicomListener tlsListener(NodeServices& services);

// What all of a node's listeners share: maxAssociations is for the node, and an association's
// number is unique in its log.
struct NodeAssociations {
  std::atomic<unsigned> inProgress{0};
  std::atomic<std::uint64_t> nextId{1};
};

// One of the node's DICOM listeners: accepts TCP connections and runs each association in its
// own thread (a fresh NodeAssociation each). Not DcmSCPPool: in DCMTK 3.6.7 the pool deletes
// finished worker threads without joining them, which leaks a thread's resources per association.
class DicomServer {
 public:
  DicomServer(NodeServices& services, DicomListener listener, NodeAssociations& associations);
  ~DicomServer();
  DicomServer(const DicomServer&) = delete;
  DicomServer& operator=(const DicomServer&) = delete;

  // Binds the port; throws Error(Network) when it cannot.
  void open();
  // The port it listens on, once open(): the configured one, or the one the OS picked for 0.
  std::uint16_t port() const { return listener_.port; }
  // Accepts associations until stop(); then waits for in-flight associations to finish.
  void run();
  // Thread- and signal-safe: no new association is accepted after this.
  void stop() noexcept { stopping_ = true; }

  std::string describe() const { return listener_.label + " port " + std::to_string(listener_.port); }

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  // Serves `assoc` in a new thread, or refuses it (A-ASSOCIATE-RJ, transient) when the node is at
  // maxAssociations or cannot start a thread for it.
  void accept(struct T_ASC_Association* assoc);
  void refuse(struct T_ASC_Association* assoc, T_ASC_RejectParametersReason reason, const std::string& why);
  bool waitForFreeSlot();
  bool takeSlot();
  void reapFinished(bool waitForAll);

  NodeServices& services_;
  DcmSharedSCPConfig sharedConfig_;
  DicomListener listener_;  // before network_: DCMTK's network uses the transport until dropped
  NodeAssociations& associations_;
  T_ASC_Network* network_ = nullptr;
  std::atomic<bool> stopping_{false};
  std::list<Worker> workers_;  // touched only by the accept thread
};

}  // namespace medvqa::scp
