#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli.h"
#include "common/error.h"
#include "config/node_config.h"
#include "node_config_error.h"
#include "ports_file.h"

using namespace medvqa::config;
using medvqa::DuplicatePolicy;
using medvqa::net::DicomPeer;
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

TEST(NodeConfig, ListenerPortsAreANumberZeroForOneTheOsPicksOrOff) {
  const auto c = nodeConfigFromJson(json{{"port", 0}, {"httpPort", "off"}});
  EXPECT_EQ(c.port, 0);
  EXPECT_FALSE(c.httpPort.has_value());
  EXPECT_NE(nodeConfigError(json{{"httpPort", "none"}}).find("'httpPort'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json{{"httpPort", -1}}).find("'httpPort'"), std::string::npos);

  const auto request = medvqa::scp::parseCommandLine({"--port", "0", "--http-port", "off", "--tls-port", "0",
                                                      "--tls-cert", "node.pem", "--tls-key", "node.key",
                                                      "--ports-file", "/run/medvqa/ports.json"});
  EXPECT_EQ(request.config.port, 0);
  EXPECT_FALSE(request.config.httpPort.has_value());
  EXPECT_EQ(request.config.tls.port, 0);
  EXPECT_EQ(request.portsFile, "/run/medvqa/ports.json");
  EXPECT_FALSE(medvqa::scp::parseCommandLine({"--tls-port", "off"}).config.tls.enabled());
  EXPECT_THROW(medvqa::scp::parseCommandLine({"--http-port", "65536"}), medvqa::Error);
  EXPECT_THROW(medvqa::scp::parseCommandLine({"--port", "of"}), medvqa::Error);
  EXPECT_THROW(medvqa::scp::parseCommandLine({"--ports-file"}), medvqa::Error);
}

TEST(NodeConfig, ThePortsFileNamesEachListenerAndIsWrittenWhole) {
  using medvqa::scp::ListeningPorts;
  EXPECT_EQ(json::parse(medvqa::scp::portsJson(ListeningPorts{11112, std::nullopt, 8080})),
            (json{{"dicom", 11112}, {"http", 8080}}));
  EXPECT_EQ(json::parse(medvqa::scp::portsJson(ListeningPorts{std::nullopt, 2762, std::nullopt})),
            (json{{"tls", 2762}}));
  const auto dir = std::filesystem::temp_directory_path() / ("medvqa-ports-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "ports.json";
  medvqa::scp::writePortsFile(file, ListeningPorts{40001, 40002, 40003});
  std::ifstream in(file);
  EXPECT_EQ(json::parse(in), (json{{"dicom", 40001}, {"tls", 40002}, {"http", 40003}}));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1) << "no temporary file left";
  medvqa::scp::removePortsFile(file);
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_THROW(medvqa::scp::writePortsFile(dir / "missing" / "ports.json", {}), medvqa::Error);
  std::filesystem::remove_all(dir);
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
