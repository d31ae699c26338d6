#pragma once

#include <dcmtk/dcmnet/scpcfg.h>

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <thread>

#include "net/quick_ack_transport.h"
#include "node_services.h"

struct T_ASC_Network;

namespace medvqa::scp {

// The node's DICOM listener: accepts TCP connections and runs each association in its own thread
// (a fresh NodeAssociation each). Not DcmSCPPool: in DCMTK 3.6.7 the pool deletes finished
// worker threads without joining them, which leaks a thread's resources per association.
class DicomServer {
 public:
  explicit DicomServer(NodeServices& services);
  ~DicomServer();
  DicomServer(const DicomServer&) = delete;
  DicomServer& operator=(const DicomServer&) = delete;

  // Binds the port; throws Error(Network) when it cannot.
  void open();
  // Accepts associations until stop(); then waits for in-flight associations to finish.
  void run();
  // Thread- and signal-safe: no new association is accepted after this.
  void stop() noexcept { stopping_ = true; }

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void accept(struct T_ASC_Association* assoc);
  bool waitForFreeSlot();
  void reapFinished(bool waitForAll);

  NodeServices& services_;
  DcmSharedSCPConfig sharedConfig_;
  net::QuickAckTransportLayer transport_;
  T_ASC_Network* network_ = nullptr;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> nextAssociationId_{1};
  std::list<Worker> workers_;  // touched only by the accept thread
};

}  // namespace medvqa::scp
