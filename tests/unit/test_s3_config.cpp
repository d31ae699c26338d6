// The "s3" destinations of the answering section (node and Orthanc plugin alike), the object key
// layout, the endpoint URL and S3's XML error body: what an operator sees when the config is
// right, and the key named when it is not.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "config/answering_config.h"
#include "s3/endpoint.h"
#include "s3/object_key.h"
#include "config/s3_config.h"
#include "s3/s3_error.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A secret file that exists for the test's duration.
class SecretFile {
 public:
  explicit SecretFile(const std::string& content)
      : path_(fs::temp_directory_path() / ("medvqa-s3-secret-" + std::to_string(::getpid()))) {
    std::ofstream(path_) << content;
  }
  ~SecretFile() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

json destination(const SecretFile& secret) {
  return {{"endpoint", "http://127.0.0.1:9000"}, {"bucket", "medvqa"}, {"accessKeyId", "AKID"},
          {"secretAccessKeyFile", secret.path()}};
}

// The Error(Config) message of parsing `j` as answering.s3.
std::string configError(const json& j) {
  try {
    medvqa::config::answeringConfigFromJson(json{{"s3", j}}, "answering");
  } catch (const medvqa::Error& e) {
    EXPECT_EQ(e.code(), medvqa::ErrorCode::Config);
    return e.what();
  }
  ADD_FAILURE() << "no error for " << j.dump();
  return {};
}

TEST(S3Config, TheAnsweringSectionReadsBucketsWithTheSecretFromAFile) {
  SecretFile secret("s3cr3t/key\n");
  json j = destination(secret);
  j["prefix"] = "medvqa/";
  j["uploadSourceStudy"] = true;
  const auto c = medvqa::config::answeringConfigFromJson(json{{"s3", json::array({j})}}, "answering");
  ASSERT_EQ(c.s3.size(), 1u);
  const auto& d = c.s3.front();
  EXPECT_EQ(d.name, "medvqa") << "the bucket names the destination by default";
  EXPECT_EQ(d.outboxDestination(), "s3:medvqa");
  EXPECT_EQ(d.endpoint.host, "127.0.0.1");
  EXPECT_EQ(d.endpoint.port, 9000);
  EXPECT_FALSE(d.endpoint.https);
  EXPECT_EQ(d.region, "us-east-1");
  EXPECT_EQ(d.prefix, "medvqa/");
  EXPECT_EQ(d.credentials.accessKeyId, "AKID");
  EXPECT_EQ(d.credentials.secretAccessKey, "s3cr3t/key") << "the file's trailing newline is not part of the secret";
  EXPECT_TRUE(d.uploadSourceStudy);
}

TEST(S3Config, TheSecretMayComeFromAnEnvironmentVariable) {
  ::setenv("MEDVQA_TEST_S3_SECRET", "from-env", 1);
  const json j = {{"name", "archive"}, {"endpoint", "https://s3.example.org"}, {"bucket", "medvqa"},
                  {"accessKeyId", "AKID"}, {"secretAccessKeyEnv", "MEDVQA_TEST_S3_SECRET"}};
  const auto d = medvqa::config::s3DestinationsFromJson(json::array({j}), "s3");
  ::unsetenv("MEDVQA_TEST_S3_SECRET");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].credentials.secretAccessKey, "from-env");
  EXPECT_EQ(d[0].outboxDestination(), "s3:archive");
  EXPECT_TRUE(d[0].endpoint.https);
  EXPECT_EQ(d[0].endpoint.port, 443);
  EXPECT_EQ(d[0].endpoint.hostHeader(), "s3.example.org");
}

TEST(S3Config, ASecretInClearIsRefused) {
  SecretFile secret("x");
  json j = destination(secret);
  j.erase("secretAccessKeyFile");
  j["secretAccessKey"] = "in clear";
  const std::string error = configError(json::array({j}));
  EXPECT_NE(error.find("'answering.s3[0].secretAccessKey'"), std::string::npos) << error;
  EXPECT_NE(error.find("secretAccessKeyFile"), std::string::npos) << error;
}

TEST(S3Config, EachMistakeNamesItsKey) {
  SecretFile secret("x");
  const auto with = [&](const std::string& key, const json& value) {
    json j = destination(secret);
    if (value.is_null()) j.erase(key); else j[key] = value;
    return json::array({j});
  };
  EXPECT_NE(configError(with("endpoint", "127.0.0.1:9000")).find("'answering.s3[0].endpoint'"), std::string::npos);
  EXPECT_NE(configError(with("endpoint", "http://h:9000/bucket")).find("no path"), std::string::npos);
  EXPECT_NE(configError(with("bucket", "Medvqa_Bucket")).find("'answering.s3[0].bucket'"), std::string::npos);
  EXPECT_NE(configError(with("bucket", nullptr)).find("'answering.s3[0].bucket': is required"), std::string::npos);
  EXPECT_NE(configError(with("secretAccessKeyFile", nullptr)).find("'answering.s3[0].secretAccessKeyFile'"),
            std::string::npos);
  EXPECT_NE(configError(with("secretAccessKeyFile", "/nonexistent/secret")).find("cannot read '/nonexistent/secret'"),
            std::string::npos);
  EXPECT_NE(configError(with("secretAccessKeyEnv", "MEDVQA_TEST_UNSET_VARIABLE")).find("not both"), std::string::npos);
  EXPECT_NE(configError(with("caFile", "/etc/ssl/certs/ca-certificates.crt")).find("only for an https://"),
            std::string::npos);
  EXPECT_NE(configError(with("uploadSourceStudy", "yes")).find("'answering.s3[0].uploadSourceStudy'"),
            std::string::npos);
  EXPECT_NE(configError(with("bukket", "x")).find("'answering.s3[0].bukket': unknown key"), std::string::npos);
  EXPECT_NE(configError(json::array({destination(secret), destination(secret)})).find("'answering.s3[1].name'"),
            std::string::npos)
      << "two destinations with one name";
  EXPECT_NE(configError(json::object()).find("'answering.s3': must be an array"), std::string::npos);
}

TEST(S3ObjectKey, LaysInstancesOutByStudySeriesAndInstance) {
  EXPECT_EQ(medvqa::s3::objectKey("", "1.2.3", "1.2.3.4", "1.2.3.4.5"), "1.2.3/1.2.3.4/1.2.3.4.5.dcm");
  EXPECT_EQ(medvqa::s3::objectKey("site-a/", "1.2", "1.3", "1.4"), "site-a/1.2/1.3/1.4.dcm");
  EXPECT_THROW(medvqa::s3::objectKey("", "1.2/..", "1.3", "1.4"), medvqa::Error);
  EXPECT_THROW(medvqa::s3::objectKey("", "1.2", "", "1.4"), medvqa::Error);
}

TEST(S3Endpoint, KeepsTheHostHeaderAsSentOnNonDefaultPorts) {
  const auto e = medvqa::s3::parseEndpoint("http://minio.local:9000/");
  EXPECT_EQ(e.url(), "http://minio.local:9000");
  EXPECT_EQ(e.hostHeader(), "minio.local:9000");
  EXPECT_EQ(medvqa::s3::parseEndpoint("http://minio.local").hostHeader(), "minio.local");
  EXPECT_THROW(medvqa::s3::parseEndpoint("ftp://minio.local"), medvqa::Error);
  EXPECT_THROW(medvqa::s3::parseEndpoint("http://minio.local:99999"), medvqa::Error);
  EXPECT_THROW(medvqa::s3::parseEndpoint("http://user@minio.local"), medvqa::Error);
}

TEST(S3Error, ReadsTheCodeAndMessageOfTheXmlErrorBody) {
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code>"
      "<Message>The request signature we calculated does not match the signature you provided. Check your key "
      "&amp; signing method.</Message><AWSAccessKeyId>AKID</AWSAccessKeyId><RequestId>1</RequestId></Error>";
  const auto error = medvqa::s3::parseServiceError(body);
  EXPECT_EQ(error.code, "SignatureDoesNotMatch");
  EXPECT_EQ(error.message,
            "The request signature we calculated does not match the signature you provided. Check your key & signing "
            "method.");
  EXPECT_EQ(medvqa::s3::describe(403, error), "HTTP 403 SignatureDoesNotMatch: " + error.message);
  EXPECT_EQ(medvqa::s3::describe(502, medvqa::s3::parseServiceError("<html>Bad Gateway</html>")), "HTTP 502");
}

}  // namespace
