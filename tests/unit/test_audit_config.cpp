// The "audit" config section and the --audit-* flags (core/config/audit_config.h, scp/cli.cpp).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "common/error.h"
#include "config/node_config.h"
#include "node_config_error.h"

namespace {

using namespace medvqa;
using medvqa::test::nodeConfigError;
using nlohmann::json;

std::string cliError(const std::vector<std::string>& args) {
  try {
    scp::parseCommandLine(args);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(AuditConfig, ReadsTheSection) {
  const auto c = config::nodeConfigFromJson(json::parse(R"({"audit": {
    "file": "/var/log/medvqa/audit.log", "enterpriseSiteId": "Hospital A",
    "syslog": {"host": "arr.example.org", "port": 6514, "tls": true, "ca": "ca.pem",
               "certificate": "node.pem", "privateKey": "node.key"}}})"));
  EXPECT_EQ(c.audit.file, "/var/log/medvqa/audit.log");
  EXPECT_EQ(c.audit.enterpriseSiteId, "Hospital A");
  EXPECT_EQ(c.audit.syslog.host, "arr.example.org");
  EXPECT_EQ(c.audit.syslog.port, 6514);
  EXPECT_TRUE(c.audit.syslog.tls);
  EXPECT_EQ(c.audit.syslog.ca, "ca.pem");
  EXPECT_EQ(c.audit.syslog.certificate, "node.pem");
  EXPECT_EQ(c.audit.syslog.privateKey, "node.key");
  EXPECT_NO_THROW(config::validate(c));
  EXPECT_FALSE(config::NodeConfig{}.audit.enabled());
}

TEST(AuditConfig, BadValuesNameTheirKey) {
  EXPECT_NE(nodeConfigError(json::parse(R"({"audit": {"file": 3}})")).find("'audit.file'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"audit": {"syslg": {}}})")).find("'audit.syslg'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"audit": {"syslog": {"host": "h"}}})")).find("'audit.syslog.port'"),
            std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"audit": {"syslog": {"host": "h", "port": 70000}}})")).find("'audit.syslog.port'"),
            std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"audit": {"syslog": {"host": "h", "port": 601, "ca": "x.pem"}}})"))
                .find("'audit.syslog.tls'"),
            std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"audit": {"syslog": {"tls": true}}})")).find("'audit.syslog.host'"),
            std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(
                            R"({"audit": {"syslog": {"host": "h", "port": 6514, "tls": true, "certificate": "c.pem"}}})"))
                .find("'audit.syslog.privateKey'"),
            std::string::npos);
}

TEST(AuditConfig, CommandLineFlags) {
  const auto c = scp::parseCommandLine({"--audit-file", "/tmp/a.log", "--audit-syslog", "[::1]:6514",
                                        "--audit-syslog-tls", "on", "--audit-syslog-ca", "ca.pem",
                                        "--audit-syslog-cert", "c.pem", "--audit-syslog-key", "k.pem"})
                     .config;
  EXPECT_EQ(c.audit.file, "/tmp/a.log");
  EXPECT_EQ(c.audit.syslog.host, "::1");
  EXPECT_EQ(c.audit.syslog.port, 6514);
  EXPECT_TRUE(c.audit.syslog.tls);
  EXPECT_EQ(c.audit.syslog.privateKey, "k.pem");
  EXPECT_NE(cliError({"--audit-syslog", "collector"}).find("--audit-syslog"), std::string::npos);
  EXPECT_NE(cliError({"--audit-syslog", "collector:port"}).find("HOST:PORT"), std::string::npos);
  EXPECT_NE(cliError({"--audit-syslog-tls", "yes"}).find("on or off"), std::string::npos);
  EXPECT_NE(cliError({"--audit-syslog-ca", "ca.pem"}), "");
}

}  // namespace
