// The node's "tls" section and the port rules it changes: parsing, defaults, and the
// contradictions validate() refuses with the key named. Whether the files load is the
// integration test's business (test_dicom_tls.cpp).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "config/node_config.h"
#include "node_config_error.h"

using namespace medvqa::config;
using medvqa::net::ClientVerification;
using medvqa::net::TlsProfile;
using medvqa::test::nodeConfigError;
using nlohmann::json;

namespace {

const json kTls = {{"port", 2762}, {"certificate", "/etc/medvqa/node.pem"}, {"privateKey", "/etc/medvqa/node.key"}};

}  // namespace

TEST(TlsConfig, OffByDefault) {
  const NodeConfig c;
  EXPECT_FALSE(c.tls.enabled());
  EXPECT_EQ(c.tls.profile, TlsProfile::Bcp195NonDowngrading);
  EXPECT_EQ(c.tls.clientVerification(), ClientVerification::Ignore);
}

TEST(TlsConfig, ReadsEveryKey) {
  const auto c = nodeConfigFromJson(json::parse(R"({"tls": {
    "port": 2762, "certificate": "node.pem", "privateKey": "node.key",
    "trustedCertificates": ["ca1.pem", "ca2.pem"], "profile": "bcp195-ex", "verifyClient": "if-presented"}})"));
  EXPECT_EQ(c.tls.port, 2762);
  EXPECT_EQ(c.tls.certificate, "node.pem");
  EXPECT_EQ(c.tls.privateKey, "node.key");
  EXPECT_EQ(c.tls.trustedCas, (std::vector<std::filesystem::path>{"ca1.pem", "ca2.pem"}));
  EXPECT_EQ(c.tls.profile, TlsProfile::Bcp195Extended);
  EXPECT_EQ(c.tls.clientVerification(), ClientVerification::IfPresented);
  EXPECT_NO_THROW(validate(c));
}

TEST(TlsConfig, ClientCertificatesAreRequiredOnceACaIsNamed) {
  json j = {{"tls", kTls}};
  EXPECT_EQ(nodeConfigFromJson(j).tls.clientVerification(), ClientVerification::Ignore);
  j["tls"]["trustedCertificates"] = {"ca.pem"};
  EXPECT_EQ(nodeConfigFromJson(j).tls.clientVerification(), ClientVerification::Require);
  j["tls"]["verifyClient"] = "ignore";
  EXPECT_EQ(nodeConfigFromJson(j).tls.clientVerification(), ClientVerification::Ignore);
}

TEST(TlsConfig, BadValuesNameTheirKey) {
  EXPECT_NE(nodeConfigError(json{{"tls", {{"prot", 1}}}}).find("'tls.prot'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"tls", {{"port", -1}}}}).find("'tls.port'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"tls", {{"port", 70000}}}}).find("'tls.port'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"tls", {{"profile", "aes"}}}}).find("'tls.profile'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"tls", {{"verifyClient", "maybe"}}}}).find("'tls.verifyClient'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"tls", {{"trustedCertificates", "ca.pem"}}}}).find("'tls.trustedCertificates'"),
            std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"tls", {{"certificate", ""}}}}).find("'tls.certificate'"), std::string::npos);
}

TEST(TlsConfig, APortNeedsCertificateAndKey) {
  EXPECT_EQ(nodeConfigError(json{{"tls", kTls}}), "");
  json noCert = kTls;
  noCert.erase("certificate");
  EXPECT_NE(nodeConfigError(json{{"tls", noCert}}).find("'tls.certificate'"), std::string::npos);
  json noKey = kTls;
  noKey.erase("privateKey");
  EXPECT_NE(nodeConfigError(json{{"tls", noKey}}).find("'tls.privateKey'"), std::string::npos);
  // Certificate and key without a port are kept for later and need nothing else.
  EXPECT_EQ(nodeConfigError(json{{"tls", {{"certificate", "node.pem"}}}}), "");
}

TEST(TlsConfig, VerifyingClientsNeedsATrustedCa) {
  json tls = kTls;
  tls["verifyClient"] = "require";
  EXPECT_NE(nodeConfigError(json{{"tls", tls}}).find("'tls.verifyClient'"), std::string::npos);
  tls["verifyClient"] = "if-presented";
  EXPECT_NE(nodeConfigError(json{{"tls", tls}}).find("'tls.verifyClient'"), std::string::npos);
  tls["trustedCertificates"] = {"ca.pem"};
  EXPECT_EQ(nodeConfigError(json{{"tls", tls}}), "");
}

TEST(TlsConfig, PortOffTurnsThePlainListenerOffOnlyBesideATlsPort) {
  EXPECT_NE(nodeConfigError(json{{"port", "off"}}).find("'port'"), std::string::npos);
  EXPECT_EQ(nodeConfigError(json{{"port", "off"}, {"tls", kTls}}), "");
  EXPECT_NE(nodeConfigError(json{{"port", 2762}, {"tls", kTls}}).find("'tls.port'"), std::string::npos);
}

TEST(TlsConfig, PortZeroIsAPortTheOsPicksAndOffIsNone) {
  json tls = kTls;
  tls["port"] = 0;
  EXPECT_EQ(nodeConfigError(json{{"port", 0}, {"tls", tls}}), "") << "the OS picks two different ports";
  const auto c = nodeConfigFromJson(json{{"tls", tls}});
  EXPECT_TRUE(c.tls.enabled());
  EXPECT_EQ(c.tls.port, 0);
  tls["port"] = "off";
  EXPECT_FALSE(nodeConfigFromJson(json{{"tls", tls}}).tls.enabled());
  EXPECT_NE(nodeConfigError(json{{"tls", {{"port", "on"}}}}).find("'tls.port'"), std::string::npos);
}
