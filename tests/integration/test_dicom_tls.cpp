// DICOM TLS on the node as DCMTK's own tools see it (+tls): echo, store and find through the TLS
// port; clients with a certificate from the wrong CA, clients that do not trust the node, and
// clients without TLS are refused while the node keeps serving; certificate mistakes stop the
// start with the config key named. The PKI is made for the test with the openssl CLI.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include "audit_messages.h"
#include "dicom_files.h"
#include "node_under_test.h"
#include "prometheus_text.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {

// A throwaway PKI: "ca" signs the node's ("server") and a client's certificate; "wrongca", which
// the node does not know, signs an "intruder"'s. RSA 2048 / SHA-256, as BCP 195 asks.
class Pki {
 public:
  Pki() : dir_("tls-pki") {
    makeCa("ca");
    makeCa("wrongca");
    makeLeaf("server", "ca");
    makeLeaf("client", "ca");
    makeLeaf("intruder", "wrongca");
  }
  std::string pem(const std::string& name) const { return (dir_ / (name + ".pem")).string(); }
  std::string key(const std::string& name) const { return (dir_ / (name + ".key")).string(); }

 private:
  void openssl(std::vector<std::string> args) const {
    args.insert(args.begin(), "openssl");
    const RunResult r = run(args, std::chrono::seconds(60));
    if (r.exitCode != 0) throw std::runtime_error("openssl failed: " + r.output);
  }
  void makeCa(const std::string& name) const {
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2", "-subj", "/CN=" + name,
             "-keyout", key(name), "-out", pem(name)});
  }
  void makeLeaf(const std::string& name, const std::string& ca) const {
    const std::string request = (dir_ / (name + ".csr")).string();
    openssl({"req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", "/CN=" + name, "-keyout", key(name), "-out",
             request});
    openssl({"x509", "-req", "-in", request, "-CA", pem(ca), "-CAkey", key(ca), "-CAcreateserial", "-sha256", "-days",
             "2", "-out", pem(name)});
  }

  TempDir dir_;
};

double rejectedAssociations(const NodeUnderTest& node) {
  const auto res = httplib::Client("127.0.0.1", node.httpPort()).Get("/metrics");
  return res && res->status == 200 ? sampleValue(res->body, "medvqa_associations_total{result=\"rejected\"}") : -1;
}

}  // namespace

class DicomTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = std::make_unique<Pki>(); }
  static void TearDownTestSuite() { pki_.reset(); }

  // The node's TLS flags; `extra` adds to or overrides them (the last flag wins).
  static std::vector<std::string> tlsNodeArgs(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--answering", "off", "--tls-port", "0", "--tls-cert", pki_->pem("server"),
                                     "--tls-key", pki_->key("server"), "--tls-ca", pki_->pem("ca")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // DCMTK's client TLS options: present `who`'s certificate, trust `trusting` for the node's.
  static std::vector<std::string> tlsAs(const std::string& who, const std::string& trusting = "ca") {
    return {"+tls", pki_->key(who), pki_->pem(who), "+cf", pki_->pem(trusting)};
  }

  static RunResult echoTls(const NodeUnderTest& node, const std::vector<std::string>& options) {
    return node.dcmtkAt(node.tlsPort(), "echoscu", options);
  }

  static std::unique_ptr<Pki> pki_;
};

std::unique_ptr<Pki> DicomTls::pki_;

TEST_F(DicomTls, EchoStoreAndFindGoThroughTheTlsPort) {
  NodeUnderTest node(tlsNodeArgs());
  node.start();
  ASSERT_NE(node.tlsPort(), 0);
  const RunResult echo = echoTls(node, tlsAs("client"));
  ASSERT_EQ(echo.exitCode, 0) << echo.output << node.log();

  const auto files = filesUnder(filesUnder(testData("ct-explicit")).front().parent_path());
  ASSERT_FALSE(files.empty());
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(f.string());
  const RunResult store = node.dcmtkAt(node.tlsPort(), "storescu", tlsAs("client"), paths);
  ASSERT_EQ(store.exitCode, 0) << store.output << node.log();
  for (const auto& f : files) {
    const fs::path stored = storedPath(node.storage(), attribute(f, DCM_SOPInstanceUID));
    ASSERT_TRUE(fs::exists(stored)) << f;
    EXPECT_EQ(datasetBytes(stored), datasetBytes(f)) << f;
  }

  const std::string study = attribute(files.front(), DCM_StudyInstanceUID);
  auto findOptions = tlsAs("client");
  findOptions.insert(findOptions.end(), {"-v", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID"});
  const RunResult find = node.dcmtkAt(node.tlsPort(), "findscu", findOptions);
  ASSERT_EQ(find.exitCode, 0) << find.output;
  EXPECT_NE(find.output.find(study), std::string::npos) << find.output;
  EXPECT_NE(find.output.find("Find Response: 1 (Pending)"), std::string::npos) << find.output;
  EXPECT_EQ(node.log().find("handshake"), std::string::npos) << node.log();  // nothing was refused
}

TEST_F(DicomTls, ClientCertificateFromAnotherCaIsRefusedAndTheNextClientIsServed) {
  // TLS only: every rejected association counted below is one of the TLS port.
  TempDir auditDir("tls-audit");
  const fs::path auditFile = auditDir / "audit.log";
  NodeUnderTest node(tlsNodeArgs({"--port", "off", "--audit-file", auditFile.string()}));
  node.start();
  const RunResult intruder = echoTls(node, tlsAs("intruder"));
  EXPECT_NE(intruder.exitCode, 0) << intruder.output;
  const RunResult noCertificate = echoTls(node, {"+tla", "+cf", pki_->pem("ca")});
  EXPECT_NE(noCertificate.exitCode, 0) << noCertificate.output;

  const RunResult next = echoTls(node, tlsAs("client"));
  EXPECT_EQ(next.exitCode, 0) << next.output << node.log();
  const std::string log = node.log();
  EXPECT_NE(log.find("DICOM TLS handshake with 127.0.0.1:"), std::string::npos) << log;
  EXPECT_NE(log.find("unable to get local issuer certificate"), std::string::npos) << log;
  EXPECT_NE(log.find("peer did not return a certificate"), std::string::npos) << log;
  EXPECT_EQ(rejectedAssociations(node), 2) << log;

  // Each refusal is in the audit trail: Security Alert, Node Authentication, minor failure.
  int alerts = 0;
  for (const auto& m : readAuditFile(auditFile)) {
    if (m.eventId() != "110113") continue;
    ++alerts;
    EXPECT_EQ(m.schemaErrors(), "") << m.xml();
    EXPECT_EQ(m.eventType(), "110126") << m.xml();
    EXPECT_EQ(m.outcome(), "4") << m.xml();
    EXPECT_EQ(m.text("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@NetworkAccessPointID"), "127.0.0.1");
    EXPECT_NE(m.text("//EventOutcomeDescription"), "") << m.xml();
  }
  EXPECT_EQ(alerts, 2);
}

TEST_F(DicomTls, ClientThatDoesNotTrustTheNodesCertificateFails) {
  NodeUnderTest node(tlsNodeArgs());
  node.start();
  const RunResult distrusting = echoTls(node, tlsAs("client", "wrongca"));
  EXPECT_NE(distrusting.exitCode, 0) << distrusting.output;
  EXPECT_NE(distrusting.output.find("certificate verify failed"), std::string::npos) << distrusting.output;
  EXPECT_EQ(echoTls(node, tlsAs("client")).exitCode, 0) << node.log();
}

TEST_F(DicomTls, PlainDicomOnTheTlsPortIsRefusedAndBothPortsKeepServing) {
  NodeUnderTest node(tlsNodeArgs());
  node.start();
  const RunResult plain = echoTls(node, {});
  EXPECT_NE(plain.exitCode, 0) << plain.output;
  EXPECT_NE(node.log().find("refused"), std::string::npos) << node.log();

  EXPECT_EQ(echoTls(node, tlsAs("client")).exitCode, 0) << node.log();
  EXPECT_EQ(node.dcmtk("echoscu", {}).exitCode, 0) << node.log();  // the plain port, beside it
  EXPECT_NE(node.dcmtk("echoscu", tlsAs("client")).exitCode, 0);    // which speaks no TLS
  EXPECT_EQ(node.stop(), 0);
}

TEST_F(DicomTls, PortOffLeavesOnlyTheTlsListener) {
  NodeUnderTest node(tlsNodeArgs({"--port", "off"}));
  node.start();
  EXPECT_EQ(node.port(), 0);
  EXPECT_EQ(listeningPorts(node.pid()), (std::set<std::uint16_t>{node.tlsPort(), node.httpPort()}));
  EXPECT_NE(node.log().find("AE MEDVQA, DICOM TLS port " + std::to_string(node.tlsPort())), std::string::npos)
      << node.log();
  EXPECT_EQ(echoTls(node, tlsAs("client")).exitCode, 0) << node.log();
  EXPECT_EQ(node.stop(), 0);
}

// Port 0 for every listener (NodeUnderTest's --port 0 --http-port 0, and --tls-port 0): each
// listens on a port the OS picked, which the ready line and the ports file name.
TEST_F(DicomTls, PortZeroListensWhereTheOsPicksAndTheNodeSaysWhere) {
  NodeUnderTest node(tlsNodeArgs());
  node.start();
  const auto ports = nlohmann::json::parse(readFile(node.portsFile()));
  EXPECT_EQ(ports.size(), 3u) << ports.dump();
  const std::set<std::uint16_t> reported = {node.port(), node.tlsPort(), node.httpPort()};
  EXPECT_EQ(reported.size(), 3u) << ports.dump();
  EXPECT_EQ(reported.count(0), 0u) << ports.dump();
  EXPECT_EQ(listeningPorts(node.pid()), reported) << ports.dump();
  const std::string ready = "medvqa-scp ready: AE MEDVQA, DICOM port " + std::to_string(node.port()) +
                            ", DICOM TLS port " + std::to_string(node.tlsPort()) + " (";
  EXPECT_NE(node.log().find(ready), std::string::npos) << node.log();
  EXPECT_NE(node.log().find("HTTP http://127.0.0.1:" + std::to_string(node.httpPort()) + ","), std::string::npos)
      << node.log();
  EXPECT_EQ(node.dcmtk("echoscu", {}).exitCode, 0) << node.log();
  EXPECT_EQ(echoTls(node, tlsAs("client")).exitCode, 0) << node.log();
  EXPECT_EQ(node.stop(), 0);
  EXPECT_FALSE(fs::exists(node.portsFile())) << "a clean stop removes the ports file";
}

TEST_F(DicomTls, IfPresentedLetsClientsWithoutCertificateInButStillRefusesWrongOnes) {
  NodeUnderTest node(tlsNodeArgs({"--tls-verify-client", "if-presented", "--tls-profile", "bcp195"}));
  node.start();
  EXPECT_EQ(echoTls(node, {"+tla", "+cf", pki_->pem("ca"), "+px"}).exitCode, 0) << node.log();
  EXPECT_NE(echoTls(node, tlsAs("intruder")).exitCode, 0);
  EXPECT_EQ(echoTls(node, tlsAs("client")).exitCode, 0) << node.log();
}

TEST_F(DicomTls, ConfigMistakesStopTheStartNamingTheKey) {
  TempDir storage("tls-config");
  const auto start = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {buildBin("medvqa-scp").string(), "--storage", storage.path().string(), "--http-port",
                               "off", "--answering", "off", "--port", "0"});
    return run(args, std::chrono::seconds(60));
  };
  const std::string port = "0";

  RunResult r = start({"--tls-port", port, "--tls-key", pki_->key("server")});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("'tls.certificate'"), std::string::npos) << r.output;

  r = start({"--tls-port", port, "--tls-cert", pki_->pem("server"), "--tls-key", pki_->key("client")});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("'tls.privateKey'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("cannot start"), std::string::npos) << r.output;

  r = start({"--tls-port", port, "--tls-cert", (storage / "missing.pem").string(), "--tls-key", pki_->key("server")});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("'tls.certificate': cannot read"), std::string::npos) << r.output;

  r = start({"--tls-port", port, "--tls-cert", pki_->pem("server"), "--tls-key", pki_->key("server"),
             "--tls-verify-client", "require"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("'tls.verifyClient'"), std::string::npos) << r.output;

  r = start({"--port", "off"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("'port'"), std::string::npos) << r.output;
}
