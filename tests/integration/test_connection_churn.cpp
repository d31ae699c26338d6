// Connection churn: what a port scanner, a flapping load balancer or a buggy modality does to the
// node over hours, compressed into seconds. Memory (VmRSS), threads and open files must come back
// to where they were: leaks per connection or per refused request are the DoS class of
// CVE-2021-41687 / CVE-2022-43272 (docs/security-tests.md). Raw sockets, no DCMTK client side.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcuid.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "node_under_test.h"
#include "raw_peer.h"

namespace fs = std::filesystem;
using namespace medvqa::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr long kMaxGrowthKb = 5 * 1024;

// A-ASSOCIATE-RQ (PS3.8 9.3.2) for Verification, implicit VR little endian.
Bytes associateRq() {
  const Bytes context = item(0x20, cat({{1, 0, 0, 0}, item(0x30, text(UID_VerificationSOPClass)),
                                        item(0x40, text(UID_LittleEndianImplicitTransferSyntax))}));
  return pdu(0x01, cat({be16(1), be16(0), aeField("MEDVQA"), aeField("CHURN"), Bytes(32, 0),
                        item(0x10, text(UID_StandardApplicationContext)), context,
                        item(0x50, item(0x51, be32(16384)))}));
}
// The same request with the application context item claiming 0xFFF0 bytes (past the PDU's end).
Bytes overrunningAssociateRq() {
  Bytes rq = associateRq();
  rq[6 + 68 + 2] = 0xFF;
  rq[6 + 68 + 3] = 0xF0;
  return rq;
}
// P-DATA-TF whose one PDV claims 0xFFFFFFFF bytes (the DCMTK PR #87 overflow).
Bytes overflowingPData() { return pdu(0x04, cat({be32(0xFFFFFFFF), {1, 0x03}, Bytes(20, 0)})); }
const Bytes kReleaseRq = pdu(0x05, Bytes(4, 0));

// The type of the next PDU (its body is consumed), or -1 when the connection ends or 10 s pass.
int readPduType(RawPeer& peer) {
  const Reply reply = peer.read(std::chrono::seconds(10));
  return reply.kind == Reply::Kind::Pdu ? reply.type : -1;
}

// A-ASSOCIATE-RQ, -AC, A-RELEASE-RQ, -RP: the cheapest complete association.
bool fullAssociation(std::uint16_t port) {
  RawPeer peer(port);
  return peer.send(associateRq()) && readPduType(peer) == 0x02 && peer.send(kReleaseRq) && readPduType(peer) == 0x06;
}

// An association opened and then hit with a malformed P-DATA-TF; true when the node aborts it.
bool abortedAssociation(std::uint16_t port) {
  RawPeer peer(port);
  return peer.send(associateRq()) && readPduType(peer) == 0x02 && peer.send(overflowingPData()) &&
         readPduType(peer) == 0x07;
}

// `count` connections, alternately closed at once and closed after a partial A-ASSOCIATE-RQ
// header. The node's listen backlog is small (DCMTK: 50) and its accept loop reads each request
// before taking the next, so a client that outruns it sees dropped SYNs and 1 s retransmits.
// Every 40 connections a full association paces the loop: the node answers it only after
// accepting everything queued before it. Returns how many of those pacing associations failed.
int churn(std::uint16_t port, int count) {
  const Bytes partialHeader = {0x01, 0x00, 0x00, 0x00, 0x00, 0xC8, 0x00, 0x01};  // a 200-byte RQ, 2 bytes of it
  int failures = 0;
  for (int i = 0; i < count; ++i) {
    {
      RawPeer peer(port);
      if (!peer.connected()) ++failures;
      if (i % 2) peer.send(partialHeader);
    }
    if (i % 40 == 39 && !fullAssociation(port)) ++failures;
  }
  return fullAssociation(port) ? failures : failures + 1;
}

long statusKb(pid_t pid, const std::string& key) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
  }
  return -1;
}
long rssKb(pid_t pid) { return statusKb(pid, "VmRSS"); }
std::size_t entries(const fs::path& dir) {
  std::error_code ec;
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir, ec), fs::directory_iterator()));
}
std::size_t threads(pid_t pid) { return entries("/proc/" + std::to_string(pid) + "/task"); }
std::size_t openFiles(pid_t pid) { return entries("/proc/" + std::to_string(pid) + "/fd"); }

// Polls until the node is back to (at most) its idle thread and file counts; finished
// association threads are reaped by the accept loop, which polls once a second.
void expectBackToIdle(pid_t pid, std::size_t idleThreads, std::size_t idleFiles) {
  const auto deadline = Clock::now() + 10s;
  while ((threads(pid) > idleThreads || openFiles(pid) > idleFiles) && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_LE(threads(pid), idleThreads) << "association threads left behind";
  EXPECT_LE(openFiles(pid), idleFiles) << "sockets or files left open";
}

// Thread and open-file counts once they have not changed for a while (the node starts some
// threads after its port opens; a finished association is reaped within the accept loop's 1 s poll).
std::pair<std::size_t, std::size_t> settledCounts(pid_t pid) {
  auto counts = std::make_pair(threads(pid), openFiles(pid));
  const auto deadline = Clock::now() + 10s;
  for (auto since = Clock::now(); Clock::now() - since < 1200ms && Clock::now() < deadline;) {
    std::this_thread::sleep_for(50ms);
    const auto now = std::make_pair(threads(pid), openFiles(pid));
    if (now != counts) since = Clock::now();
    counts = now;
  }
  return counts;
}

class ConnectionChurn : public ::testing::Test {
 protected:
  void SetUp() override {
    node_.start();
    ASSERT_TRUE(fullAssociation(node_.port()));  // whatever the first association sets up lazily
    std::tie(idleThreads_, idleFiles_) = settledCounts(node_.pid());
  }
  void TearDown() override {
    RecordProperty("threads_idle", std::to_string(idleThreads_));
    expectBackToIdle(node_.pid(), idleThreads_, idleFiles_);
    const RunResult echo = node_.dcmtk("echoscu", {"-to", "10", "-ta", "10"});
    EXPECT_EQ(echo.exitCode, 0) << echo.output << "\nnode log:\n" << node_.log();
  }

  NodeUnderTest node_;
  std::size_t idleThreads_ = 0;
  std::size_t idleFiles_ = 0;
};

}  // namespace

TEST_F(ConnectionChurn, TenThousandDroppedConnectionsKeepMemoryFlat) {
  const auto start = Clock::now();
  ASSERT_EQ(churn(node_.port(), 500), 0);  // warm-up: allocator arenas, DCMTK's lazy globals
  const long warm = rssKb(node_.pid());
  EXPECT_EQ(churn(node_.port(), 10000), 0) << "connections refused or pacing associations failed";
  const long after = rssKb(node_.pid());
  RecordProperty("vmrss_warm_kb", std::to_string(warm));
  RecordProperty("vmrss_after_kb", std::to_string(after));
  EXPECT_LT(after - warm, kMaxGrowthKb) << "VmRSS " << warm << " kB after warm-up, " << after << " kB after 10,000";
  EXPECT_LT(Clock::now() - start, 40s);
}

TEST_F(ConnectionChurn, TwoHundredFullAssociationsKeepMemoryFlat) {
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(fullAssociation(node_.port()));  // warm-up
  const long warm = rssKb(node_.pid());
  int failed = 0;
  for (int i = 0; i < 200; ++i) failed += fullAssociation(node_.port()) ? 0 : 1;
  EXPECT_EQ(failed, 0);
  const long after = rssKb(node_.pid());
  RecordProperty("vmrss_warm_kb", std::to_string(warm));
  RecordProperty("vmrss_after_kb", std::to_string(after));
  EXPECT_LT(after - warm, kMaxGrowthKb) << "VmRSS " << warm << " kB after warm-up, " << after << " kB after 200";
}

// CVE-2021-41687 class: memory allocated while parsing a malformed request and not freed on the
// error path. Both places where the node parses hostile bytes: the accept loop (A-ASSOCIATE-RQ)
// and an association's thread (P-DATA-TF).
TEST_F(ConnectionChurn, MalformedRequestsDoNotLeak) {
  const auto malformedRound = [this](int requests, int associations) {
    int failed = 0;
    for (int i = 0; i < requests; ++i) {
      RawPeer peer(node_.port());
      peer.send(overrunningAssociateRq());
      failed += readPduType(peer) == 0x02 ? 1 : 0;  // must never be accepted
      if (i % 40 == 39 && !fullAssociation(node_.port())) ++failed;
    }
    for (int i = 0; i < associations; ++i) failed += abortedAssociation(node_.port()) ? 0 : 1;
    return failed;
  };
  ASSERT_EQ(malformedRound(100, 30), 0);  // warm-up
  const long warm = rssKb(node_.pid());
  EXPECT_EQ(malformedRound(2000, 300), 0) << "a malformed request was accepted, or not aborted";
  const long after = rssKb(node_.pid());
  RecordProperty("vmrss_warm_kb", std::to_string(warm));
  RecordProperty("vmrss_after_kb", std::to_string(after));
  EXPECT_LT(after - warm, kMaxGrowthKb) << "VmRSS " << warm << " kB after warm-up, " << after << " kB after";
}
