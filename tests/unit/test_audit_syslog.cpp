// Audit messages to a syslog collector (core/audit/syslog_*): RFC 5424 header, RFC 6587/5425
// octet-counted frames over TCP and TLS, a bounded queue that drops (and counts) rather than
// blocks, reconnection after the collector hangs up. The collector is tests/support's listener.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>
#include <unistd.h>

#include "audit/audit_xml.h"
#include "audit/dicom_events.h"
#include "audit/syslog_format.h"
#include "audit/syslog_sink.h"
#include "audit_messages.h"
#include "common/error.h"
#include "syslog_listener.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::audit::SyslogSink;
using medvqa::test::SyslogListener;

std::string sampleXml(const std::string& aet) {
  auto event = medvqa::audit::associationOpened({aet, "127.0.0.1"}, "MEDVQA");
  event.source = {"", "MEDVQA", "4"};
  return medvqa::audit::toXml(event);
}

SyslogSink::Options optionsFor(std::uint16_t port) {
  SyslogSink::Options options;
  options.target.host = "127.0.0.1";
  options.target.port = port;
  options.firstBackoff = 20ms;
  options.maxBackoff = 100ms;
  options.ioTimeout = 2s;
  return options;
}

TEST(SyslogFormat, Rfc5424HeaderForIheAtna) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1714558272345));
  const std::string message = medvqa::audit::rfc5424Message({"node-1", "medvqa-scp", "4242"}, t, "<AuditMessage/>");
  EXPECT_EQ(message,
            "<85>1 2024-05-01T10:11:12.345Z node-1 medvqa-scp 4242 IHE+RFC-3881 - \xEF\xBB\xBF<AuditMessage/>");
  // Header fields are PRINTUSASCII without spaces, and '-' when empty.
  const std::string odd = medvqa::audit::rfc5424Message({"my host", "", "1"}, t, "x");
  EXPECT_EQ(odd.substr(0, odd.find('\xEF')), "<85>1 2024-05-01T10:11:12.345Z my_host - 1 IHE+RFC-3881 - ");
  EXPECT_EQ(medvqa::audit::rfc5424Message({std::string(300, 'h'), "a", "1"}, t, "").find(std::string(256, 'h')),
            std::string::npos);
}

TEST(SyslogFormat, OctetCountingCountsBytesNotCharacters) {
  EXPECT_EQ(medvqa::audit::octetCountingFrame("hello"), "5 hello");
  EXPECT_EQ(medvqa::audit::octetCountingFrame("\xC3\xBC"), "2 \xC3\xBC");
  EXPECT_EQ(medvqa::audit::octetCountingFrame(""), "0 ");
}

void expectDelivered(const std::vector<std::string>& frames, const std::vector<std::string>& xml) {
  ASSERT_GE(frames.size(), xml.size());
  for (std::size_t i = 0; i < xml.size(); ++i) {
    const auto m = medvqa::test::parseSyslog(frames[i]);
    EXPECT_EQ(m.pri, "85");
    EXPECT_EQ(m.version, "1");
    EXPECT_TRUE(std::regex_match(m.timestamp, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"))) << m.timestamp;
    EXPECT_EQ(m.appName, "medvqa-scp");
    EXPECT_EQ(m.procId, std::to_string(::getpid()));
    EXPECT_EQ(m.msgId, "IHE+RFC-3881");
    EXPECT_EQ(m.structuredData, "-");
    EXPECT_TRUE(m.bom);
    EXPECT_EQ(m.msg, xml[i]);
    const medvqa::test::AuditMessage parsed(m.msg);
    EXPECT_EQ(parsed.schemaErrors(), "");
  }
}

TEST(SyslogSink, SendsOctetCountedFramesOverTcp) {
  SyslogListener collector;
  std::vector<std::string> sent;
  {
    SyslogSink sink(optionsFor(collector.port()));
    for (int i = 0; i < 3; ++i) {
      sent.push_back(sampleXml("SCU" + std::to_string(i)));
      sink.write(sent.back());
    }
    const auto frames = collector.waitForFrames(3, 10s);
    expectDelivered(frames, sent);
    // The sink counts a message once its write returned, which may be after the collector read
    // the frame: wait for the count rather than read it at once.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (sink.sent() < 3u && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(sink.sent(), 3u);
    EXPECT_EQ(sink.dropped(), 0u);
  }
  EXPECT_EQ(collector.framingError(), "");
}

TEST(SyslogSink, ReconnectsWhenTheCollectorHangsUp) {
  SyslogListener collector(nullptr, 1);  // hangs up after each frame
  SyslogSink sink(optionsFor(collector.port()));
  std::vector<std::string> sent;
  for (std::size_t i = 0; i < 4; ++i) {
    sent.push_back(sampleXml("RESTART" + std::to_string(i)));
    sink.write(sent.back());
    // The next message only once the collector has taken this one and hung up: the sink must
    // find the connection closed and connect again.
    ASSERT_GE(collector.waitForFrames(i + 1, 10s).size(), i + 1);
    ASSERT_TRUE(collector.waitForHangUps(i + 1, 10s)) << "the collector did not hang up after frame " << i + 1;
  }
  const auto frames = collector.waitForFrames(4, 10s);
  ASSERT_GE(frames.size(), 4u);
  // Each message arrives (a message written into a dying connection may arrive twice).
  for (const auto& xml : sent) {
    EXPECT_TRUE(std::any_of(frames.begin(), frames.end(),
                            [&](const std::string& f) { return medvqa::test::parseSyslog(f).msg == xml; }));
  }
  EXPECT_GE(collector.connections(), 4u);
}

TEST(SyslogSink, AFullQueueDropsAndCountsInsteadOfBlocking) {
  // Nothing listens on port 1 of loopback: every connect fails and the queue only fills.
  auto options = optionsFor(1);
  options.queueLimit = 5;
  options.drainOnStop = 100ms;
  SyslogSink sink(options);
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) sink.write(sampleXml("LOST"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
  EXPECT_EQ(sink.dropped(), 15u);
  EXPECT_EQ(sink.sent(), 0u);
}

// A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made with the
// openssl command line in a fresh folder.
class SyslogTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/medvqa-syslog-tls-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::ofstream(dir_ / "san.ext") << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
    const std::string d = dir_.string();
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes ";
    const std::string script =
        "set -e; cd '" + d + "'; " +
        "openssl req -x509" + ec + "-keyout ca.key -out ca.pem -subj /CN=audit-test-ca -days 2; " +
        "openssl req -x509" + ec + "-keyout other-ca.key -out other-ca.pem -subj /CN=other-ca -days 2; " +
        "openssl req" + ec + "-keyout server.key -out server.csr -subj /CN=localhost; " +
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 "
        "-extfile san.ext; " +
        "openssl req" + ec + "-keyout client.key -out client.csr -subj /CN=medvqa-node; " +
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2";
    ASSERT_EQ(std::system(("bash -c \"" + script + "\" >/dev/null 2>&1").c_str()), 0) << "openssl CLI failed";
    server_ = SSL_CTX_new(TLS_server_method());
    ASSERT_EQ(SSL_CTX_use_certificate_chain_file(server_, (dir_ / "server.pem").c_str()), 1);
    ASSERT_EQ(SSL_CTX_use_PrivateKey_file(server_, (dir_ / "server.key").c_str(), SSL_FILETYPE_PEM), 1);
  }
  void TearDown() override {
    SSL_CTX_free(server_);
    fs::remove_all(dir_);
  }
  void requireClientCertificates() {
    ASSERT_EQ(SSL_CTX_load_verify_locations(server_, (dir_ / "ca.pem").c_str(), nullptr), 1);
    SSL_CTX_set_verify(server_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  SyslogSink::Options tlsOptions(std::uint16_t port, const std::string& ca) {
    auto options = optionsFor(port);
    options.target.tls = true;
    options.target.ca = dir_ / ca;
    return options;
  }

  fs::path dir_;
  SSL_CTX* server_ = nullptr;
};

TEST_F(SyslogTlsTest, SendsOverTlsToAVerifiedCollectorWithAClientCertificate) {
  requireClientCertificates();
  SyslogListener collector(server_);
  auto options = tlsOptions(collector.port(), "ca.pem");
  options.target.certificate = dir_ / "client.pem";
  options.target.privateKey = dir_ / "client.key";
  SyslogSink sink(options);
  const std::vector<std::string> sent{sampleXml("TLS1"), sampleXml("TLS2")};
  for (const auto& xml : sent) sink.write(xml);
  expectDelivered(collector.waitForFrames(2, 10s), sent);
  EXPECT_EQ(collector.framingError(), "");
}

TEST_F(SyslogTlsTest, NeverSendsToACollectorItCannotVerify) {
  SyslogListener collector(server_);
  SyslogSink sink(tlsOptions(collector.port(), "other-ca.pem"));
  sink.write(sampleXml("SECRET"));
  EXPECT_TRUE(collector.waitForFrames(1, 1500ms).empty());
  EXPECT_EQ(sink.sent(), 0u);
}

TEST_F(SyslogTlsTest, AnUnusableCaFileIsAConfigErrorNamingTheKey) {
  auto options = tlsOptions(6514, "missing.pem");
  try {
    SyslogSink sink(options);
    FAIL() << "started with a CA file that does not exist";
  } catch (const medvqa::Error& e) {
    EXPECT_EQ(e.code(), medvqa::ErrorCode::Config);
    EXPECT_NE(std::string(e.what()).find("'audit.syslog.ca'"), std::string::npos) << e.what();
  }
}

}  // namespace
