// Hostile bytes on the DICOM port: PDUs built by hand (PS3.8 section 9) over raw TCP, no DCMTK on
// the client side. Each test checks what the peer sees (A-ASSOCIATE-RJ, A-ABORT, a closed
// connection) where the standard fixes it, then that the node still serves echoscu and is alive.
// The CVE classes behind these cases: docs/security-tests.md.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dicom_files.h"
#include "node_under_test.h"
#include "raw_peer.h"

namespace fs = std::filesystem;
using namespace medvqa::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// ---------------------------------------------------------------------------------------------
// Upper-layer PDUs (PS3.8 9.3): big endian lengths.

constexpr std::uint8_t kAssociateRq = 0x01, kAssociateAc = 0x02, kAssociateRj = 0x03, kPData = 0x04,
                       kReleaseRq = 0x05, kReleaseRp = 0x06, kAbort = 0x07;
constexpr char kApplicationContext[] = "1.2.840.10008.3.1.1.1";
constexpr char kImplicitLittleEndian[] = "1.2.840.10008.1.2";
constexpr std::uint8_t kVerificationPc = 1, kCtStoragePc = 3, kFindPc = 5;

Bytes presentationContext(std::uint8_t id, const std::string& abstractSyntax) {
  return item(0x20, cat({{id, 0, 0, 0}, item(0x30, text(abstractSyntax)), item(0x40, text(kImplicitLittleEndian))}));
}
Bytes maxLength(std::uint32_t bytes) { return item(0x51, be32(bytes)); }

struct AssociateRq {
  std::string called = "MEDVQA";
  std::string calling = "HOSTILE";
  std::uint16_t protocolVersion = 1;
  Bytes contexts = presentationContext(kVerificationPc, UID_VerificationSOPClass);
  Bytes userInfo = maxLength(16384);  // the sub-items of the 0x50 item
};

Bytes encode(const AssociateRq& rq) {
  return pdu(kAssociateRq, cat({be16(rq.protocolVersion), be16(0), aeField(rq.called), aeField(rq.calling),
                                Bytes(32, 0), item(0x10, text(kApplicationContext)), rq.contexts,
                                item(0x50, rq.userInfo)}));
}

// Verification, CT Image Storage and Study Root C-FIND, implicit VR little endian each.
AssociateRq threeServices() {
  AssociateRq rq;
  rq.contexts = cat({presentationContext(kVerificationPc, UID_VerificationSOPClass),
                     presentationContext(kCtStoragePc, UID_CTImageStorage),
                     presentationContext(kFindPc, UID_FINDStudyRootQueryRetrieveInformationModel)});
  return rq;
}

// PDV: 4-byte length (context ID + control header + data unless `declaredLength`), then those.
Bytes pdv(std::uint8_t contextId, std::uint8_t control, const Bytes& data,
          std::optional<std::uint32_t> declaredLength = std::nullopt) {
  const auto length = declaredLength ? *declaredLength : static_cast<std::uint32_t>(data.size() + 2);
  return cat({be32(length), {contextId, control}, data});
}
constexpr std::uint8_t kCommandLast = 0x03, kDataLast = 0x02, kDataMore = 0x00;

Bytes releaseRq() { return pdu(kReleaseRq, Bytes(4, 0)); }
Bytes abortPdu() { return pdu(kAbort, Bytes(4, 0)); }

// ---------------------------------------------------------------------------------------------
// DIMSE command sets (PS3.7 9.3 / E.1): implicit VR little endian, group 0000.

Bytes element(std::uint16_t group, std::uint16_t tag, Bytes value) {
  if (value.size() % 2) value.push_back(0);
  return cat({le16(group), le16(tag), le32(static_cast<std::uint32_t>(value.size())), value});
}
Bytes us(std::uint16_t tag, std::uint16_t v) { return element(0x0000, tag, le16(v)); }
Bytes uid(std::uint16_t tag, const std::string& v) { return element(0x0000, tag, text(v)); }

// Prefixes CommandGroupLength (0000,0000).
Bytes commandSet(std::initializer_list<Bytes> elements) {
  const Bytes body = cat(elements);
  return cat({element(0x0000, 0x0000, le32(static_cast<std::uint32_t>(body.size()))), body});
}
constexpr std::uint16_t kAffectedSopClass = 0x0002, kCommandField = 0x0100, kMessageId = 0x0110,
                        kPriority = 0x0700, kDataSetType = 0x0800, kStatus = 0x0900, kAffectedSopInstance = 0x1000;
constexpr std::uint16_t kNoDataSet = 0x0101, kDataSetPresent = 0x0000;

Bytes echoRq(std::uint16_t messageId = 1) {
  return commandSet({uid(kAffectedSopClass, UID_VerificationSOPClass), us(kCommandField, 0x0030),
                     us(kMessageId, messageId), us(kDataSetType, kNoDataSet)});
}
Bytes storeRq(const std::string& sopInstanceUid) {
  return commandSet({uid(kAffectedSopClass, UID_CTImageStorage), us(kCommandField, 0x0001), us(kMessageId, 7),
                     us(kPriority, 0), us(kDataSetType, kDataSetPresent),
                     uid(kAffectedSopInstance, sopInstanceUid)});
}

// ---------------------------------------------------------------------------------------------
// A raw TCP peer that reads whole PDUs back.

std::string printable(const std::string& s) {
  std::string out;
  for (const char c : s) out += c == '\0' ? std::string("\\0") : std::string(1, c);
  return out;
}

std::string describe(const Reply& r) {
  std::ostringstream out;
  switch (r.kind) {
    case Reply::Kind::Closed: out << "connection closed"; break;
    case Reply::Kind::Timeout: out << "nothing (neither a PDU nor a close)"; break;
    case Reply::Kind::Pdu:
      out << "PDU type 0x" << std::hex << int(r.type) << std::dec << " (" << r.body.size() << " bytes";
      if (r.type == kAssociateRj || r.type == kAbort) {
        out << ", result/source/reason";
        for (std::size_t i = 1; i < 4 && i < r.body.size(); ++i) out << ' ' << int(r.body[i]);
      }
      out << ")";
  }
  out << " after " << r.after.count() << " ms";
  return out.str();
}


// ---------------------------------------------------------------------------------------------
// Reading replies

// Result per presentation context ID in an A-ASSOCIATE-AC body (0 = acceptance).
std::map<int, int> contextResults(const Reply& ac) {
  std::map<int, int> results;
  for (std::size_t pos = 68; pos + 4 <= ac.body.size();) {
    const std::size_t length = (ac.body[pos + 2] << 8) | ac.body[pos + 3];
    if (ac.body[pos] == 0x21 && length >= 4 && pos + 4 + length <= ac.body.size()) {
      results[ac.body[pos + 4]] = ac.body[pos + 6];
    }
    pos += 4 + length;
  }
  return results;
}

// Status (0000,0900) of the command carried by a P-DATA-TF reply, if it carries one.
std::optional<std::uint16_t> commandStatus(const Reply& r) {
  if (r.kind != Reply::Kind::Pdu || r.type != kPData || r.body.size() < 6 || !(r.body[5] & 0x01)) return {};
  const Bytes& b = r.body;
  for (std::size_t pos = 6; pos + 8 <= b.size();) {
    const std::uint16_t group = b[pos] | (b[pos + 1] << 8), tag = b[pos + 2] | (b[pos + 3] << 8);
    const std::uint32_t length = b[pos + 4] | (b[pos + 5] << 8) | (b[pos + 6] << 16) | (std::uint32_t(b[pos + 7]) << 24);
    if (group == 0 && tag == kStatus && length == 2 && pos + 10 <= b.size()) return b[pos + 8] | (b[pos + 9] << 8);
    pos += 8 + length;
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// The node and what the operator checks

constexpr int kAcseTimeoutSeconds = 3;
// Every answer (or close) the node owes a peer is due within its ACSE timeout plus scheduling slack.
constexpr auto kAnswerWithin = std::chrono::milliseconds((kAcseTimeoutSeconds + 5) * 1000);

// Node arguments: a config file with short ACSE/DIMSE timeouts, written into `dir`.
std::vector<std::string> shortTimeouts(const TempDir& dir, std::vector<std::string> extra = {}) {
  const fs::path file = dir / "node.json";
  std::ofstream(file) << R"({"acseTimeoutSeconds": )" << kAcseTimeoutSeconds << R"(, "dimseTimeoutSeconds": 5})";
  extra.insert(extra.begin(), {"--config", file.string()});
  return extra;
}

bool processAlive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pidField, comm, state;
  if (!(stat >> pidField >> comm >> state)) return false;
  return state != "Z" && state != "X";
}

long statusKb(pid_t pid, const std::string& key) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
  }
  return -1;
}

RunResult echoscu(const NodeUnderTest& node) { return node.dcmtk("echoscu", {"-to", "10", "-ta", "10", "-td", "10"}); }

void expectStillServing(const NodeUnderTest& node) {
  EXPECT_TRUE(processAlive(node.pid())) << node.log();
  const RunResult r = echoscu(node);
  EXPECT_EQ(r.exitCode, 0) << r.output << "\nnode log:\n" << node.log();
}

// The node turned the connection down: closed it, or answered A-ASSOCIATE-RJ or A-ABORT; never AC.
void expectTurnedDown(const Reply& r) {
  EXPECT_NE(r.kind, Reply::Kind::Timeout) << describe(r);
  if (r.kind == Reply::Kind::Pdu) {
    EXPECT_TRUE(r.type == kAssociateRj || r.type == kAbort) << describe(r);
  }
}

void expectAbort(const Reply& r) {
  EXPECT_EQ(r.kind, Reply::Kind::Pdu) << describe(r);
  EXPECT_EQ(r.type, kAbort) << describe(r);
}

// A-ASSOCIATE-RQ, expecting A-ASSOCIATE-AC with every proposed context accepted.
std::unique_ptr<RawPeer> associate(const NodeUnderTest& node, const AssociateRq& rq = threeServices()) {
  auto peer = std::make_unique<RawPeer>(node.port());
  peer->send(encode(rq));
  const Reply ac = peer->read(kAnswerWithin);
  if (ac.kind != Reply::Kind::Pdu || ac.type != kAssociateAc) {
    ADD_FAILURE() << "expected A-ASSOCIATE-AC, got " << describe(ac);
    return nullptr;
  }
  for (const auto& [id, result] : contextResults(ac)) EXPECT_EQ(result, 0) << "presentation context " << id;
  return peer;
}

// A-RELEASE-RQ answered by A-RELEASE-RP.
void expectOrderlyRelease(RawPeer& peer) {
  ASSERT_TRUE(peer.send(releaseRq()));
  const Reply rp = peer.read(kAnswerWithin);
  EXPECT_EQ(rp.kind, Reply::Kind::Pdu) << describe(rp);
  EXPECT_EQ(rp.type, kReleaseRp) << describe(rp);
}

std::vector<fs::path> filesIn(const fs::path& dir) { return fs::exists(dir) ? filesUnder(dir) : std::vector<fs::path>{}; }

// Polls until the node's temp folder is empty (the node cleans up after the association ends).
bool tempFolderEmpties(const NodeUnderTest& node) {
  const auto deadline = Clock::now() + kAnswerWithin;
  while (!filesIn(node.storage() / "tmp").empty()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

class HostilePdus : public ::testing::Test {
 protected:
  HostilePdus() : config_("pdu-config"), node_(shortTimeouts(config_)) {}
  void SetUp() override { node_.start(); }
  void TearDown() override { expectStillServing(node_); }

  // Sends `bytes` on a fresh connection and returns the first reply.
  Reply sendFresh(const Bytes& bytes) {
    RawPeer peer(node_.port());
    EXPECT_TRUE(peer.connected());
    peer.send(bytes);
    return peer.read(kAnswerWithin);
  }

  TempDir config_;
  NodeUnderTest node_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// The helpers speak correct DICOM: a well-formed exchange works end to end.

TEST_F(HostilePdus, RawEchoOverARawAssociationSucceeds) {
  auto peer = associate(node_);
  ASSERT_TRUE(peer);
  ASSERT_TRUE(peer->send(pdu(kPData, pdv(kVerificationPc, kCommandLast, echoRq()))));
  const Reply rsp = peer->read(kAnswerWithin);
  EXPECT_EQ(commandStatus(rsp), std::optional<std::uint16_t>(0x0000)) << describe(rsp);
  expectOrderlyRelease(*peer);
}

// ---------------------------------------------------------------------------------------------
// A-ASSOCIATE-RQ parsing (lengths)

TEST_F(HostilePdus, ItemLengthPastTheEndOfThePduIsNotAccepted) {
  Bytes rq = encode(AssociateRq{});
  const std::size_t applicationContext = 6 + 68;  // PDU header + fixed fields
  ASSERT_EQ(rq[applicationContext], 0x10);
  rq[applicationContext + 2] = 0xFF;  // item length 0xFFF0: far past the PDU's end
  rq[applicationContext + 3] = 0xF0;
  expectTurnedDown(sendFresh(rq));
}

TEST_F(HostilePdus, SubItemOverrunningItsPresentationContextIsNotAccepted) {
  AssociateRq rq;
  const Bytes abstractSyntax = cat({{0x30, 0}, be16(200), text(UID_VerificationSOPClass)});  // says 200, has 17
  rq.contexts = item(0x20, cat({{kVerificationPc, 0, 0, 0}, abstractSyntax, item(0x40, text(kImplicitLittleEndian))}));
  expectTurnedDown(sendFresh(encode(rq)));
}

TEST_F(HostilePdus, MalformedUserInformationSubItemsAreNotAccepted) {
  const std::vector<std::pair<std::string, Bytes>> cases = {
      {"max length item of 2 bytes", {0x51, 0, 0, 2, 0x40, 0}},
      {"user identity past the end", cat({maxLength(16384), {0x58, 0, 0xFF, 0xF0, 1, 0, 0xFF, 0xFF}, text("abc")})},
      {"user identity value overruns its item", cat({maxLength(16384), item(0x58, cat({{1, 0}, be16(0xFFFF), text("abc")}))})},
      {"role selection UID overruns its item", cat({maxLength(16384), item(0x54, cat({be16(500), text("1.2.3"), {1, 1}}))})},
      {"extended negotiation UID overruns its item", cat({maxLength(16384), item(0x56, cat({be16(500), text("1.2.3")}))})},
  };
  for (const auto& [name, userInfo] : cases) {
    SCOPED_TRACE(name);
    AssociateRq rq;
    rq.userInfo = userInfo;
    expectTurnedDown(sendFresh(encode(rq)));
  }
}

TEST_F(HostilePdus, HugePduLengthIsDroppedAtOnceWithoutAllocatingIt) {
  const long peakBefore = statusKb(node_.pid(), "VmHWM");
  RawPeer peer(node_.port());
  const Bytes rq = encode(AssociateRq{});
  peer.send(cat({{kAssociateRq, 0, 0xFF, 0xFF, 0xFF, 0xFF}, Bytes(rq.begin() + 6, rq.begin() + 40)}));
  const Reply r = peer.read(kAnswerWithin);  // the peer keeps the connection open
  expectTurnedDown(r);
  EXPECT_LT(r.after, 2s) << "a 4 GiB PDU length must be refused, not waited for";
  EXPECT_LT(statusKb(node_.pid(), "VmHWM") - peakBefore, 64 * 1024) << "peak RSS grew";
}

TEST_F(HostilePdus, HugePduLengthThenCloseLeavesTheListenerServing) {
  for (const std::uint32_t length : {0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u}) {
    RawPeer peer(node_.port());
    peer.send(cat({{kAssociateRq, 0}, be32(length), Bytes(20, 0x41)}));
    peer.close();
  }
  const auto start = Clock::now();
  const RunResult r = echoscu(node_);
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_LT(Clock::now() - start, kAnswerWithin);
}

// ---------------------------------------------------------------------------------------------
// Slow and silent peers: one connection must not stall everyone else.

TEST_F(HostilePdus, PartialAssociateRequestHeldOpenDoesNotStallOtherAssociations) {
  RawPeer slow(node_.port());
  const Bytes rq = encode(AssociateRq{});
  slow.send(Bytes(rq.begin(), rq.begin() + 20));  // header + 14 of the body's bytes, then nothing
  const auto start = Clock::now();
  const RunResult r = echoscu(node_);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  EXPECT_EQ(r.exitCode, 0) << "echoscu (10 s timeouts) failed after " << took.count() << " ms while another peer "
                           << "sat on a partial A-ASSOCIATE-RQ:\n" << r.output;
  EXPECT_LT(took, kAnswerWithin);
  expectTurnedDown(slow.read(kAnswerWithin));  // and the slow peer is dropped after the ACSE timeout
}

TEST_F(HostilePdus, SilentConnectionStallsOthersAtMostTheAcseTimeout) {
  RawPeer silent(node_.port());
  const auto start = Clock::now();
  const RunResult r = echoscu(node_);
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_LT(Clock::now() - start, kAnswerWithin);
  const Reply dropped = silent.read(kAnswerWithin);
  EXPECT_EQ(dropped.kind, Reply::Kind::Closed) << describe(dropped);
}

// ---------------------------------------------------------------------------------------------
// AE titles

TEST_F(HostilePdus, EmptyOrNulAeTitlesAreAnsweredNotLeftHanging) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "HOSTILE"}, {"MEDVQA", ""}, {"", ""}, {std::string(16, '\0'), "HOSTILE"}};
  for (const auto& [called, calling] : cases) {
    SCOPED_TRACE("called '" + printable(called) + "', calling '" + printable(calling) + "'");
    AssociateRq rq;
    rq.called = called;
    rq.calling = calling;
    RawPeer peer(node_.port());
    peer.send(encode(rq));
    const Reply r = peer.read(kAnswerWithin);
    EXPECT_NE(r.kind, Reply::Kind::Timeout) << "no A-ASSOCIATE-AC/RJ and no close: " << describe(r);
    if (r.kind == Reply::Kind::Pdu && r.type == kAssociateAc) {
      expectOrderlyRelease(peer);
    }
  }
}

TEST_F(HostilePdus, PathLikeAeTitlesWithNulsAreNeverUsedAsPaths) {
  for (const std::string& calling : {std::string("../../etc\0/x", 12), std::string("/tmp/\0\0..", 9), std::string("..\\..\\x")}) {
    AssociateRq rq;
    rq.calling = calling;
    RawPeer peer(node_.port());
    peer.send(encode(rq));
    const Reply r = peer.read(kAnswerWithin);
    ASSERT_EQ(r.kind, Reply::Kind::Pdu) << describe(r);
    ASSERT_TRUE(r.type == kAssociateAc || r.type == kAssociateRj) << describe(r);
    if (r.type != kAssociateAc) continue;
    peer.send(pdu(kPData, pdv(kVerificationPc, kCommandLast, echoRq())));
    EXPECT_EQ(commandStatus(peer.read(kAnswerWithin)), std::optional<std::uint16_t>(0x0000));
    expectOrderlyRelease(peer);
  }
  for (const auto& f : filesIn(node_.storage())) EXPECT_EQ(f.string().find(".."), std::string::npos) << f;
  EXPECT_FALSE(fs::exists(node_.storage().parent_path() / "etc"));
  EXPECT_FALSE(fs::exists(node_.storage() / "etc"));
}

// ---------------------------------------------------------------------------------------------
// PDU types and versions before an association exists (PS3.8 9.2, state Sta2)

TEST_F(HostilePdus, UnexpectedPduTypesBeforeAnAssociationAreDropped) {
  const std::vector<std::pair<std::string, Bytes>> cases = {
      {"type 0x00", pdu(0x00, Bytes(10, 0))},
      {"type 0x42", pdu(0x42, Bytes(10, 0))},
      {"type 0xFF", pdu(0xFF, Bytes(10, 0))},
      {"P-DATA-TF", pdu(kPData, pdv(1, kCommandLast, echoRq()))},
      {"A-RELEASE-RQ", releaseRq()},
      {"A-ASSOCIATE-AC", pdu(kAssociateAc, Bytes(4, 0))},
      {"A-ASSOCIATE-RQ of length 0", pdu(kAssociateRq, {})},
      {"A-ASSOCIATE-RQ of 4 bytes", pdu(kAssociateRq, {0, 1, 0, 0})},
  };
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    expectTurnedDown(sendFresh(bytes));
  }
}

TEST_F(HostilePdus, UnsupportedProtocolVersionIsRejectedWithReasonTwo) {
  AssociateRq rq;
  rq.protocolVersion = 2;  // bit 0 clear
  const Reply r = sendFresh(encode(rq));
  ASSERT_EQ(r.kind, Reply::Kind::Pdu) << describe(r);
  ASSERT_EQ(r.type, kAssociateRj) << describe(r);
  ASSERT_EQ(r.body.size(), 4u);
  EXPECT_EQ(r.body[1], 1) << "rejected-permanent";
  EXPECT_EQ(r.body[2], 2) << "source: service provider (ACSE related)";
  EXPECT_EQ(r.body[3], 2) << "reason: protocol version not supported";
}

// ---------------------------------------------------------------------------------------------
// Refused associations must free their connection and their association slot.

TEST_F(HostilePdus, RejectedAssociationIsClosedByTheNode) {
  AssociateRq rq;
  rq.contexts = {};  // no presentation context: nothing to accept
  RawPeer peer(node_.port());
  peer.send(encode(rq));
  const Reply rj = peer.read(kAnswerWithin);
  ASSERT_EQ(rj.kind, Reply::Kind::Pdu) << describe(rj);
  EXPECT_EQ(rj.type, kAssociateRj) << describe(rj);
  // PS3.8 9.2 (Sta13): after A-ASSOCIATE-RJ the acceptor closes once the ARTIM timer expires.
  const Reply after = peer.read(kAnswerWithin);
  EXPECT_EQ(after.kind, Reply::Kind::Closed) << "after A-ASSOCIATE-RJ: " << describe(after);
}

TEST(HostileAssociationLimit, RejectedAssociationsDoNotUseUpTheAssociationLimit) {
  TempDir config("pdu-config");
  NodeUnderTest node(shortTimeouts(config, {"--max-associations", "2"}));
  node.start();
  AssociateRq rq;
  rq.contexts = {};
  std::vector<std::unique_ptr<RawPeer>> refused;
  for (int i = 0; i < 2; ++i) {
    refused.push_back(std::make_unique<RawPeer>(node.port()));
    refused.back()->send(encode(rq));
    const Reply rj = refused.back()->read(kAnswerWithin);
    EXPECT_EQ(rj.type, kAssociateRj) << describe(rj);
  }
  // The refused peers keep their sockets open; a legitimate SCU must get through within the bound.
  const auto deadline = Clock::now() + kAnswerWithin;
  RunResult r;
  for (r = node.dcmtk("echoscu", {"-to", "5", "-ta", "5"}); r.exitCode != 0 && Clock::now() < deadline;) {
    std::this_thread::sleep_for(100ms);
    r = node.dcmtk("echoscu", {"-to", "5", "-ta", "5"});
  }
  EXPECT_EQ(r.exitCode, 0) << "two refused associations still hold both association slots:\n" << r.output;
  refused.clear();
  expectStillServing(node);
}

// ---------------------------------------------------------------------------------------------
// The maximum PDU length the node offers (maxPduBytes, --max-pdu-bytes) binds the peer (PS3.8
// D.1): a P-DATA-TF one byte longer is answered by A-ABORT, one of exactly that length is taken.

namespace {

constexpr std::uint32_t kMaxPdu = 4096;

// C-STORE-RQ then the data set in P-DATA-TFs whose first PDU is `firstPduLength` long (PDU length
// field: the PDV's 4-byte length, its 2-byte header, the data), the rest in PDUs of kMaxPdu.
Bytes storeInPdus(const std::string& sopInstanceUid, const Bytes& dataset, std::size_t firstPduLength) {
  Bytes out = pdu(kPData, pdv(kCtStoragePc, kCommandLast, storeRq(sopInstanceUid)));
  for (std::size_t at = 0, room = firstPduLength - 6; at < dataset.size(); at += room, room = kMaxPdu - 6) {
    const std::size_t n = std::min(room, dataset.size() - at);
    const Bytes fragment(dataset.begin() + at, dataset.begin() + at + n);
    const Bytes one = pdu(kPData, pdv(kCtStoragePc, at + n == dataset.size() ? kDataLast : kDataMore, fragment));
    out.insert(out.end(), one.begin(), one.end());
  }
  return out;
}

}  // namespace

TEST(HostilePduLimit, PduLongerThanTheOfferedMaximumIsAbortedAndOneOfExactlyThatLengthIsTaken) {
  TempDir config("pdu-config");
  NodeUnderTest node(shortTimeouts(config, {"--max-pdu-bytes", std::to_string(kMaxPdu)}));
  node.start();
  // ct-implicit is in implicit VR little endian, the syntax of the raw peer's storage context.
  const fs::path file = filesUnder(testData("ct-implicit")).front();
  const std::string bytes = datasetBytes(file);
  const Bytes dataset(bytes.begin(), bytes.end());
  ASSERT_GT(dataset.size(), 2 * kMaxPdu);
  const std::string sop = attribute(file, DCM_SOPInstanceUID);

  auto over = associate(node);
  ASSERT_TRUE(over);
  over->send(storeInPdus(sop, dataset, kMaxPdu + 1));
  const Reply abort = over->read(kAnswerWithin);
  expectAbort(abort);
  EXPECT_TRUE(tempFolderEmpties(node)) << "an aborted transfer left a temp file";
  EXPECT_FALSE(fs::exists(storedPath(node.storage(), sop)));

  auto within = associate(node);
  ASSERT_TRUE(within);
  within->send(storeInPdus(sop, dataset, kMaxPdu));
  const Reply rsp = within->read(kAnswerWithin);
  EXPECT_EQ(commandStatus(rsp), std::optional<std::uint16_t>(0x0000)) << describe(rsp) << "\n" << node.log();
  expectOrderlyRelease(*within);
  EXPECT_TRUE(fs::exists(storedPath(node.storage(), sop)));
  expectStillServing(node);
}

// ---------------------------------------------------------------------------------------------
// Odd but parseable negotiation

TEST_F(HostilePdus, OddPresentationContextListsAreNegotiatedNotCrashedOn) {
  Bytes many;
  for (int i = 0; i < 300; ++i) {
    const Bytes pc = presentationContext(static_cast<std::uint8_t>((2 * i + 1) % 256), UID_CTImageStorage);
    many.insert(many.end(), pc.begin(), pc.end());
  }
  const std::vector<std::pair<std::string, Bytes>> cases = {
      {"duplicate IDs", cat({presentationContext(1, UID_VerificationSOPClass), presentationContext(1, UID_CTImageStorage)})},
      {"even IDs 0 and 2", cat({presentationContext(0, UID_VerificationSOPClass), presentationContext(2, UID_CTImageStorage)})},
      {"300 contexts", many},
      {"unknown abstract syntax", presentationContext(1, "1.2.3.4.5.6.7.8.9")},
  };
  for (const auto& [name, contexts] : cases) {
    SCOPED_TRACE(name);
    AssociateRq rq;
    rq.contexts = contexts;
    RawPeer peer(node_.port());
    peer.send(encode(rq));
    const Reply r = peer.read(kAnswerWithin);
    ASSERT_EQ(r.kind, Reply::Kind::Pdu) << describe(r);
    ASSERT_TRUE(r.type == kAssociateAc || r.type == kAssociateRj) << describe(r);
    if (r.type == kAssociateAc) expectOrderlyRelease(peer);
  }
}

TEST_F(HostilePdus, TinyPeerMaxPduLengthDoesNotMakeTheNodeSpin) {
  for (const std::uint32_t peerMax : {0u, 1u, 6u, 7u, 12u}) {
    SCOPED_TRACE("peer max PDU length " + std::to_string(peerMax));
    AssociateRq rq;
    rq.userInfo = maxLength(peerMax);
    auto peer = associate(node_, rq);
    ASSERT_TRUE(peer);
    peer->send(pdu(kPData, pdv(kVerificationPc, kCommandLast, echoRq())));
    const Reply r = peer->read(5s);  // the C-ECHO-RSP (in fragments the peer can take) or an abort
    ASSERT_EQ(r.kind, Reply::Kind::Pdu) << describe(r);
    EXPECT_TRUE(r.type == kPData || r.type == kAbort) << describe(r);
  }
}

// ---------------------------------------------------------------------------------------------
// P-DATA-TF and DIMSE on an established association

TEST_F(HostilePdus, CStoreWithoutAffectedSopInstanceUidIsAborted) {
  auto peer = associate(node_);
  ASSERT_TRUE(peer);
  const Bytes command = commandSet({uid(kAffectedSopClass, UID_CTImageStorage), us(kCommandField, 0x0001),
                                    us(kMessageId, 7), us(kPriority, 0), us(kDataSetType, kDataSetPresent)});
  peer->send(pdu(kPData, pdv(kCtStoragePc, kCommandLast, command)));
  const Reply r = peer->read(kAnswerWithin);
  expectAbort(r);
  EXPECT_TRUE(tempFolderEmpties(node_));
}

TEST_F(HostilePdus, CFindWithTruncatedIdentifierIsAbortedOrFailed) {
  auto peer = associate(node_);
  ASSERT_TRUE(peer);
  const Bytes command = commandSet({uid(kAffectedSopClass, UID_FINDStudyRootQueryRetrieveInformationModel),
                                    us(kCommandField, 0x0020), us(kMessageId, 9), us(kPriority, 0),
                                    us(kDataSetType, kDataSetPresent)});
  // (0008,0052) STUDY, then (0010,0010) declaring 400 bytes of which 4 follow.
  const Bytes identifier = cat({element(0x0008, 0x0052, text("STUDY")), le16(0x0010), le16(0x0010), le32(400), text("DOE^")});
  peer->send(cat({pdu(kPData, pdv(kFindPc, kCommandLast, command)), pdu(kPData, pdv(kFindPc, kDataLast, identifier))}));
  const Reply r = peer->read(kAnswerWithin);
  ASSERT_EQ(r.kind, Reply::Kind::Pdu) << describe(r);
  if (r.type == kPData) {
    const auto status = commandStatus(r);
    ASSERT_TRUE(status) << describe(r);
    EXPECT_TRUE(*status >= 0xA000) << "C-FIND-RSP status 0x" << std::hex << *status << " for a broken identifier";
  } else {
    EXPECT_EQ(r.type, kAbort) << describe(r);
  }
}

TEST_F(HostilePdus, PdvLongerThanItsPduIsAborted) {
  auto peer = associate(node_);
  ASSERT_TRUE(peer);
  peer->send(pdu(kPData, pdv(kVerificationPc, kCommandLast, echoRq(), 5000)));
  expectAbort(peer->read(kAnswerWithin));
}

// DCMTK pull request #87: "length -= 4 + pdvLength" wrapped for huge PDV lengths.
TEST_F(HostilePdus, PdvLengthOverflowIsAborted) {
  for (const std::uint32_t length : {0xFFFFFFFFu, 0xFFFFFFF0u, 0xFFFFFFFEu, 0x80000000u, 0u, 1u}) {
    SCOPED_TRACE("PDV length " + std::to_string(length));
    auto peer = associate(node_);
    ASSERT_TRUE(peer);
    peer->send(pdu(kPData, pdv(kVerificationPc, kCommandLast, echoRq(), length)));
    expectAbort(peer->read(kAnswerWithin));
  }
}

TEST_F(HostilePdus, PdvOnAnUnnegotiatedPresentationContextIsAborted) {
  auto peer = associate(node_);
  ASSERT_TRUE(peer);
  peer->send(pdu(kPData, pdv(9, kCommandLast, echoRq())));
  expectAbort(peer->read(kAnswerWithin));
}

TEST_F(HostilePdus, CommandElementLengthOverrunIsAborted) {
  auto peer = associate(node_);
  ASSERT_TRUE(peer);
  // (0000,0002) declaring 0xFFFFFFF0 bytes of which 4 follow.
  const Bytes command = cat({element(0, 0, le32(60)), le16(0), le16(kAffectedSopClass), le32(0xFFFFFFF0), text("1.2.")});
  peer->send(pdu(kPData, pdv(kVerificationPc, kCommandLast, command)));
  expectAbort(peer->read(kAnswerWithin));
}

// PS3.8 9.2 (Sta6, AA-8): a PDU out of sequence is answered by A-ABORT, source service provider,
// reason "unexpected PDU".
TEST_F(HostilePdus, OutOfSequencePduInsteadOfADataSetIsAborted) {
  const std::vector<std::pair<std::string, Bytes>> cases = {{"A-ASSOCIATE-AC", pdu(kAssociateAc, Bytes(4, 0))},
                                                            {"A-ASSOCIATE-RQ", encode(threeServices())}};
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    auto peer = associate(node_);
    ASSERT_TRUE(peer);
    peer->send(cat({pdu(kPData, pdv(kCtStoragePc, kCommandLast, storeRq("1.2.826.0.1.3680043.2.1143.99.1"))), bytes}));
    const Reply r = peer->read(kAnswerWithin);
    expectAbort(r);
    ASSERT_EQ(r.body.size(), 4u);
    EXPECT_EQ(r.body[2], 2) << "source: service provider";
    EXPECT_EQ(r.body[3], 2) << "reason: unexpected PDU";
  }
  EXPECT_TRUE(tempFolderEmpties(node_));
}

TEST_F(HostilePdus, StoreCutOffMidDataSetLeavesNoFileBehind) {
  const std::string sopInstanceUid = "1.2.826.0.1.3680043.2.1143.99.2";
  const Bytes partial = cat({element(0x0008, 0x0016, text(UID_CTImageStorage)), element(0x0008, 0x0018, text(sopInstanceUid)),
                             le16(0x7FE0), le16(0x0010), le32(100000), Bytes(1000, 0)});
  for (const bool viaAbort : {true, false}) {
    SCOPED_TRACE(viaAbort ? "A-ABORT" : "TCP close");
    auto peer = associate(node_);
    ASSERT_TRUE(peer);
    peer->send(cat({pdu(kPData, pdv(kCtStoragePc, kCommandLast, storeRq(sopInstanceUid))),
                    pdu(kPData, pdv(kCtStoragePc, kDataMore, partial))}));
    if (viaAbort) peer->send(abortPdu());
    peer->close();
    EXPECT_TRUE(tempFolderEmpties(node_)) << "a cut-off transfer left a temp file";
  }
  EXPECT_FALSE(fs::exists(storedPath(node_.storage(), sopInstanceUid)));
}
