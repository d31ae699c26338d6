// Who may call what on the node's HTTP API: the role order (auth/roles.h), the route table
// (scp/route_roles.h), and the "http" config section with its flags.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/roles.h"
#include "cli.h"
#include "common/error.h"
#include "config/node_config.h"
#include "node_config_error.h"
#include "route_roles.h"

using medvqa::auth::Role;
using medvqa::scp::routeAccess;
using medvqa::test::nodeConfigError;
using nlohmann::json;

namespace {

TEST(Roles, NestAdminOverRadiologistOverReader) {
  using medvqa::auth::grants;
  EXPECT_TRUE(grants({Role::Admin}, Role::Reader));
  EXPECT_TRUE(grants({Role::Admin}, Role::Radiologist));
  EXPECT_TRUE(grants({Role::Radiologist}, Role::Reader));
  EXPECT_FALSE(grants({Role::Radiologist}, Role::Admin));
  EXPECT_FALSE(grants({Role::Reader}, Role::Radiologist));
  EXPECT_FALSE(grants({}, Role::Reader));
  EXPECT_TRUE(grants({Role::Reader, Role::Admin}, Role::Admin));
}

TEST(Roles, ParseOnlyTheExactNames) {
  EXPECT_EQ(medvqa::auth::parseRole("reader"), Role::Reader);
  EXPECT_EQ(medvqa::auth::parseRole("radiologist"), Role::Radiologist);
  EXPECT_EQ(medvqa::auth::parseRole("admin"), Role::Admin);
  EXPECT_FALSE(medvqa::auth::parseRole("Admin"));
  EXPECT_FALSE(medvqa::auth::parseRole("administrator"));
  EXPECT_FALSE(medvqa::auth::parseRole(""));
}

TEST(RouteAccess, ProbesAndMetricsAreOpenEverythingElseNeedsItsRole) {
  for (const char* path : {"/healthz", "/readyz", "/metrics"}) EXPECT_TRUE(routeAccess("GET", path).open) << path;
  const auto role = [](const char* method, const char* path) {
    const auto access = routeAccess(method, path);
    EXPECT_FALSE(access.open) << method << " " << path;
    return access.role;
  };
  EXPECT_EQ(role("GET", "/studies"), Role::Reader);
  EXPECT_EQ(role("GET", "/studies/1.2.3"), Role::Reader);
  EXPECT_EQ(role("HEAD", "/studies/1.2.3"), Role::Reader);
  EXPECT_EQ(role("GET", "/studies/1.2.3/answers"), Role::Reader);
  EXPECT_EQ(role("POST", "/studies/1.2.3/questions"), Role::Radiologist);
  EXPECT_EQ(role("POST", "/studies/1.2.3/answer"), Role::Admin);
  EXPECT_EQ(role("GET", "/jobs"), Role::Admin);
  EXPECT_EQ(role("GET", "/jobs/42"), Role::Admin);
  EXPECT_EQ(role("GET", "/deliveries"), Role::Admin);
}

TEST(RouteAccess, UnlistedRoutesAndMethodsNeedAdmin) {
  for (const auto& [method, path] : std::vector<std::pair<const char*, const char*>>{
           {"POST", "/healthz"}, {"GET", "/studies/1.2.3/questions"}, {"DELETE", "/studies/1.2.3"},
           {"GET", "/config"}, {"GET", "/studies/1.2.3/answers/extra"}, {"GET", "/healthz/../studies"},
           {"OPTIONS", "/studies"}}) {
    const auto access = routeAccess(method, path);
    EXPECT_FALSE(access.open) << method << " " << path;
    EXPECT_EQ(access.role, Role::Admin) << method << " " << path;
  }
}

TEST(HttpSecurityConfig, DefaultsToAuthOnWithoutKeysAndPlainHttp) {
  const medvqa::config::NodeConfig c;
  EXPECT_FALSE(c.http.authOff);
  EXPECT_FALSE(c.http.hasBearerKey());
  EXPECT_FALSE(c.http.https());
}

TEST(HttpSecurityConfig, ReadsTheHttpSection) {
  const auto c = medvqa::config::nodeConfigFromJson(json::parse(R"({"http": {
      "auth": "on", "jwtHs256SecretFile": "/etc/medvqa/secret", "jwtRs256PublicKey": "/etc/medvqa/issuer.pem",
      "httpsCert": "/etc/medvqa/cert.pem", "httpsKey": "/etc/medvqa/key.pem"}})"));
  EXPECT_EQ(c.http.jwtHs256SecretFile, "/etc/medvqa/secret");
  EXPECT_EQ(c.http.jwtRs256PublicKey, "/etc/medvqa/issuer.pem");
  EXPECT_EQ(c.http.httpsCert, "/etc/medvqa/cert.pem");
  EXPECT_EQ(c.http.httpsKey, "/etc/medvqa/key.pem");
  EXPECT_TRUE(medvqa::config::nodeConfigFromJson(json::parse(R"({"http": {"auth": "off"}})")).http.authOff);
}

TEST(HttpSecurityConfig, RefusesUnknownKeysWrongValuesAndContradictions) {
  EXPECT_NE(nodeConfigError(json::parse(R"({"http": {"auth": "no"}})")).find("'http.auth'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"http": {"auth": false}})")).find("'http.auth'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"http": {"jwtSecret": "x"}})")).find("'http.jwtSecret': unknown key"),
            std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"http": {"jwtHs256SecretFile": ""}})")).find("must be a file path"),
            std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"http": {"httpsCert": "/c.pem"}})")).find("'http.httpsKey'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"http": {"httpsKey": "/k.pem"}})")).find("'http.httpsCert'"), std::string::npos);
  EXPECT_NE(nodeConfigError(json::parse(R"({"http": {"auth": "off", "jwtHs256SecretFile": "/s"}})")).find("contradicts"),
            std::string::npos);
}

TEST(HttpSecurityConfig, FlagsSetTheSameKeys) {
  const auto request = medvqa::scp::parseCommandLine(
      {"--jwt-hs256-secret-file", "/s", "--jwt-rs256-public-key", "/p.pem", "--https-cert", "/c.pem", "--https-key",
       "/k.pem"});
  EXPECT_EQ(request.config.http.jwtHs256SecretFile, "/s");
  EXPECT_EQ(request.config.http.jwtRs256PublicKey, "/p.pem");
  EXPECT_EQ(request.config.http.httpsCert, "/c.pem");
  EXPECT_EQ(request.config.http.httpsKey, "/k.pem");
  EXPECT_TRUE(medvqa::scp::parseCommandLine({"--http-auth", "off"}).config.http.authOff);
  EXPECT_FALSE(medvqa::scp::parseCommandLine({"--http-auth", "on"}).config.http.authOff);
  EXPECT_THROW(medvqa::scp::parseCommandLine({"--http-auth", "maybe"}), medvqa::Error);
  EXPECT_THROW(medvqa::scp::parseCommandLine({"--http-auth", "off", "--jwt-hs256-secret-file", "/s"}), medvqa::Error);
}

}  // namespace
