#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "node_under_test.h"
#include "process.h"

namespace medvqa::test {

// DCMTK's storescp as a DICOM peer of the tests (a PACS, a C-MOVE destination), on a loopback
// port the test holds from construction to destruction (LoopbackSocket): the port can be given
// to the node before the peer is up, and no other process can take it meanwhile. Each
// connection is accepted here and served by a storescp of its own, run as inetd would
// (`storescp --inetd`, the connection as its stdin), which writes what it receives into
// received() and ends with the association.
class StorescpPeer {
 public:
  // `options`: more storescp options (+xv, +B, +uf...). `up` false: connections are refused
  // until up() (a peer that is down).
  StorescpPeer(std::string aet, std::vector<std::string> options = {}, bool up = true);
  ~StorescpPeer();
  StorescpPeer(const StorescpPeer&) = delete;
  StorescpPeer& operator=(const StorescpPeer&) = delete;

  void up();  // from now on, connections are accepted and served
  std::uint16_t port() const { return socket_.port(); }
  const std::string& aet() const { return aet_; }
  std::string peer() const { return aet_ + "@127.0.0.1:" + std::to_string(port()); }  // for --destination
  std::filesystem::path folder() const { return dir_ / "received"; }
  std::vector<std::filesystem::path> received() const;  // the files written so far, sorted
  std::string log() const;                              // every storescp's output

 private:
  void serve();

  std::string aet_;
  std::vector<std::string> options_;
  TempDir dir_;
  LoopbackSocket socket_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::list<std::unique_ptr<Process>> served_;  // one per connection
  std::thread thread_;
};

}  // namespace medvqa::test
