#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "common/error.h"
#include "config/node_config.h"
#include "node_config_error.h"

using namespace medvqa::config;
using medvqa::test::nodeConfigError;
using nlohmann::json;

TEST(NodeConfig, EmbeddedDefaultsMatchTheDocs) {
  const NodeConfig c;
  EXPECT_EQ(c.aet, "MEDVQA");
  EXPECT_EQ(c.port, 11112);
  EXPECT_EQ(c.storage, "./medvqa-data");
  EXPECT_EQ(c.httpPort, 8080);
  EXPECT_EQ(c.stableAgeSeconds, 10u);
  EXPECT_NO_THROW(validate(c));
}

TEST(NodeConfig, ReadsEveryKey) {
  const auto c = nodeConfigFromJson(json::parse(R"({
    "aet": "NODE", "port": 104, "storage": "/data", "httpPort": 0, "httpHost": "0.0.0.0",
    "acceptedCallingAets": ["CT1"], "checkCalledAet": true,
    "destinations": {"PACS": {"host": "10.0.0.2", "port": 4242}},
    "duplicatePolicy": "keep", "maxDatasetBytes": 1000, "maxPduBytes": 16384, "maxAssociations": 4,
    "acseTimeoutSeconds": 5, "dimseTimeoutSeconds": 6, "stableAgeSeconds": 2, "logLevel": "debug"})"));
  EXPECT_EQ(c.aet, "NODE");
  EXPECT_EQ(c.port, 104);
  EXPECT_EQ(c.httpPort, 0);
  EXPECT_EQ(c.acceptedCallingAets, std::vector<std::string>{"CT1"});
  EXPECT_TRUE(c.checkCalledAet);
  EXPECT_EQ(c.destinations.at("PACS").port, 4242);
  EXPECT_EQ(c.duplicatePolicy, DuplicatePolicy::KeepExisting);
  EXPECT_EQ(c.maxDatasetBytes, 1000u);
  EXPECT_EQ(c.stableAgeSeconds, 2u);
}

TEST(NodeConfig, BadValuesNameTheirKey) {
  EXPECT_NE(nodeConfigError(json{{"prot", 1}}).find("'prot'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"port", "x"}}).find("'port'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"port", 70000}}).find("'port'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"aet", "WAY_TOO_LONG_AE_TITLE"}}).find("'aet'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"duplicatePolicy", "maybe"}}).find("duplicatePolicy"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"destinations", {{"PACS", {{"host", "h"}}}}}}).find("PACS"), std::string::npos);
}

TEST(NodeConfig, ParsesPeers) {
  const DicomPeer p = parsePeer("PACS@10.1.2.3:4242");
  EXPECT_EQ(p.aet, "PACS");
  EXPECT_EQ(p.host, "10.1.2.3");
  EXPECT_EQ(p.port, 4242);
  EXPECT_THROW(parsePeer("PACS:4242"), medvqa::Error);
  EXPECT_THROW(parsePeer("PACS@host:notaport"), medvqa::Error);
}

TEST(NodeConfig, LimitFlagsSetTheLimitKeysWithinTheirRanges) {
  const auto limits = medvqa::scp::parseCommandLine(
      {"--max-pdu-bytes", "4096", "--max-dataset-bytes", "1000", "--max-associations", "3"});
  EXPECT_EQ(limits.config.maxPduBytes, 4096u);
  EXPECT_EQ(limits.config.maxDatasetBytes, 1000u);
  EXPECT_EQ(limits.config.maxAssociations, 3u);
  // DCMTK receives PDUs of 4 KiB to 128 KiB (ASC_MINIMUMPDUSIZE, ASC_MAXIMUMPDUSIZE).
  EXPECT_THROW(medvqa::scp::parseCommandLine({"--max-pdu-bytes", "4095"}), medvqa::Error);
  EXPECT_THROW(medvqa::scp::parseCommandLine({"--max-pdu-bytes", "131073"}), medvqa::Error);
  EXPECT_THROW(medvqa::scp::parseCommandLine({"--max-associations", "0"}), medvqa::Error);
}
