// S3 export end to end: a real medvqa-scp answers a study and its delivery outbox uploads the SR
// (and, when configured, every instance of the study) to real S3-compatible servers on loopback
// ports, keyed {prefix}{study}/{series}/{sop}.dcm, read back with a signed GET.
//
// - npm's s3rver (tests/s3/package-lock.json, installed by the s3rver_install fixture): stores and
//   serves objects and refuses an unknown access key id, but does not verify SigV4 signatures.
// - moto's S3 server with IAM authentication (tests/s3/moto_server.py), where the Python on PATH
//   has moto: it recomputes every signature with botocore and, like AWS and MinIO, refuses a body
//   whose SHA-256 is not the signed x-amz-content-sha256 (and UNSIGNED-PAYLOAD), so it proves that
//   the node's requests are signed right, payload included, and that a wrong secret is refused.
#include <gtest/gtest.h>
#include <httplib.h>

#include <dcmtk/dcmdata/dcdeftag.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/error.h"
#include "audit_messages.h"
#include "dicom_files.h"
#include "node_http.h"
#include "node_under_test.h"
#include "process.h"
#include "s3rver.h"
#include "s3/object_key.h"
#include "s3/s3_client.h"
#include "config/s3_config.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::test::answeringModelFolder;
using medvqa::test::buildBin;
using medvqa::test::getJson;
using medvqa::test::NodeUnderTest;
using medvqa::test::Process;
using medvqa::test::RunResult;
using medvqa::test::S3rver;
using medvqa::test::TempDir;
using medvqa::test::waitUntil;
using nlohmann::json;

namespace {

// The answered study's SR SOP Instance UID, once its job is done.
std::string waitForSr(const NodeUnderTest& node, const std::string& studyUid) {
  json answers;
  waitUntil([&] {
    answers = getJson(node.httpPort(), "/studies/" + studyUid + "/answers");
    return answers.value("state", "") == "done" || answers.value("state", "") == "failed";
  }, 90s);
  EXPECT_EQ(answers.value("state", ""), "done") << answers.dump(2) << "\nnode log:\n" << node.log();
  return answers.value("sr_sop_instance_uid", "");
}

// GET /deliveries, the entries for one outbox destination, keyed by SOP Instance UID.
std::map<std::string, json> deliveriesTo(const NodeUnderTest& node, const std::string& destination) {
  std::map<std::string, json> out;
  for (const auto& d : getJson(node.httpPort(), "/deliveries").value("deliveries", json::array())) {
    if (d["destination"] == destination) out[d["sop_instance_uid"]] = d;
  }
  return out;
}

// One instance's entry for one destination; an empty object while there is none.
json deliveryOf(const NodeUnderTest& node, const std::string& destination, const std::string& sopInstanceUid) {
  const auto all = deliveriesTo(node, destination);
  const auto it = all.find(sopInstanceUid);
  return it == all.end() ? json::object() : it->second;
}

std::string readFile(const fs::path& file) { return medvqa::test::readFile(file); }

fs::path writeFile(const fs::path& file, const std::string& content) {
  std::ofstream(file, std::ios::binary) << content;
  return file;
}

// The object key the node must have used for a stored instance, from the instance's own UIDs.
std::string keyOf(const std::string& prefix, const fs::path& file) {
  return medvqa::s3::objectKey(prefix, medvqa::test::attribute(file, DCM_StudyInstanceUID),
                               medvqa::test::attribute(file, DCM_SeriesInstanceUID),
                               medvqa::test::attribute(file, DCM_SOPInstanceUID));
}

// moto's S3 server with SigV4 verification on; `available()` false where Python lacks moto.
class MotoS3 {
 public:
  explicit MotoS3(std::string bucket) : bucket_(std::move(bucket)), dir_("moto") {}
  static bool available() {
    return medvqa::test::run({"python3", "-c", "import moto.server, boto3"}, 60s).exitCode == 0;
  }
  void start() {
    const fs::path ready = dir_ / "ready.json";
    process_ = std::make_unique<Process>(
        std::vector<std::string>{"python3", (fs::path(MEDVQA_SOURCE_DIR) / "tests" / "s3" / "moto_server.py").string(),
                                 "0", bucket_, ready.string()},
        dir_ / "moto.log");
    ASSERT_TRUE(waitUntil([&] { return fs::exists(ready); }, 60s)) << readFile(dir_ / "moto.log");
    const json keys = json::parse(readFile(ready));
    port_ = keys["port"];
    accessKeyId_ = keys["accessKeyId"];
    secretFile_ = writeFile(dir_ / "secret", keys["secretAccessKey"].get<std::string>());
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& accessKeyId() const { return accessKeyId_; }
  const fs::path& secretFile() const { return secretFile_; }

 private:
  std::uint16_t port_ = 0;  // moto's, once started (it binds one the OS picks)
  std::string bucket_;
  TempDir dir_;
  std::unique_ptr<Process> process_;
  std::string accessKeyId_;
  fs::path secretFile_;
};

class S3Export : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    studies_ = new TempDir("s3-studies");
    const RunResult r = medvqa::test::run({buildBin("medvqa").string(), "synth", "--out", (*studies_ / "set").string(),
                                           "--studies", "1", "--seed", "5150"});
    ASSERT_EQ(r.exitCode, 0) << r.output;
  }
  static void TearDownTestSuite() {
    delete studies_;
    studies_ = nullptr;
  }

  // The one synthetic study: its UID and files.
  static std::pair<std::string, std::vector<fs::path>> study() {
    const auto files = medvqa::test::filesUnder(*studies_ / "set");
    std::vector<fs::path> dicom;
    for (const auto& f : files) {
      if (f.extension() == ".dcm") dicom.push_back(f);
    }
    EXPECT_FALSE(dicom.empty());
    return {medvqa::test::attribute(dicom.front(), DCM_StudyInstanceUID), dicom};
  }

  // A node whose "answering" section has these S3 destinations, answering stable studies at once.
  // Its HTTP API is read without tokens (--http-auth off, loopback only): these tests look at
  // GET /deliveries as an operator would; bearer-token access has its own tests.
  // Its audit trail goes to dir/audit.log.
  static std::unique_ptr<NodeUnderTest> nodeWith(const TempDir& dir, const json& s3) {
    const fs::path config = writeFile(dir / "config.json", json{{"answering", {{"s3", s3}}}}.dump(2));
    auto node = std::make_unique<NodeUnderTest>(std::vector<std::string>{
        "--config", config.string(), "--stable-age", "1", "--model", answeringModelFolder().string(), "--workers", "1",
        "--http-auth", "off", "--audit-file", (dir / "audit.log").string()});
    node->start();
    return node;
  }

  static inline TempDir* studies_ = nullptr;
};

TEST_F(S3Export, TheSrAndItsStudyReachTheBucketOnceItIsUpByteIdenticalAndKeyedByUid) {
  S3rver s3rver("medvqa");  // its port is held from here on: down (refused) until start()
  TempDir dir("s3-export");
  const fs::path secret = writeFile(dir / "s3rver-secret", "S3RVER\n");
  const json archive = {{"name", "archive"}, {"endpoint", s3rver.endpoint()}, {"bucket", "medvqa"},
                        {"prefix", "site-a/"}, {"accessKeyId", "S3RVER"}, {"secretAccessKeyFile", secret.string()},
                        {"uploadSourceStudy", true}, {"timeoutSeconds", 5}};
  const auto node = nodeWith(dir, json::array({archive}));
  const auto [studyUid, files] = study();
  ASSERT_EQ(node->storeFiles(files).exitCode, 0);
  const std::string srUid = waitForSr(*node, studyUid);
  ASSERT_FALSE(srUid.empty());

  // The bucket is down: the SR and the study stay queued with the connection error, not dropped.
  json sr;
  ASSERT_TRUE(waitUntil([&] {
    sr = deliveryOf(*node, "s3:archive", srUid);
    return sr.value("attempts", 0) >= 1;
  }, 30s)) << getJson(node->httpPort(), "/deliveries").dump(2);
  EXPECT_EQ(sr["state"], "pending");
  const std::string error = sr["error"];
  EXPECT_NE(error.find("S3 PUT " + s3rver.endpoint() + "/medvqa/site-a/" + studyUid + "/"), std::string::npos) << error;
  EXPECT_NE(error.find("cannot connect"), std::string::npos) << error;
  EXPECT_EQ(deliveriesTo(*node, "s3:archive").size(), files.size() + 1) << "the SR and every instance of the study";

  // Up again: every delivery goes on its next retry.
  s3rver.start();
  ASSERT_TRUE(waitUntil([&] {
    const auto all = deliveriesTo(*node, "s3:archive");
    return !all.empty() &&
           std::all_of(all.begin(), all.end(), [](const auto& d) { return d.second["state"] == "sent"; });
  }, 60s)) << getJson(node->httpPort(), "/deliveries").dump(2) << "\nnode log:\n" << node->log();

  auto reader = medvqa::test::s3Reader(s3rver.endpoint(), "medvqa", "S3RVER", secret);
  const fs::path storedSr = medvqa::test::storedPath(node->storage(), srUid);
  const std::string srKey = keyOf("site-a/", storedSr);
  EXPECT_EQ(srKey.rfind("site-a/" + studyUid + "/", 0), 0u) << srKey;
  EXPECT_EQ(reader.getObject(srKey), readFile(storedSr)) << "the SR in the bucket is the node's SR, byte for byte";
  for (const auto& file : files) {
    const fs::path stored = medvqa::test::storedPath(node->storage(), medvqa::test::attribute(file, DCM_SOPInstanceUID));
    EXPECT_EQ(reader.getObject(keyOf("site-a/", stored)), readFile(stored)) << file;
  }

  // The audit trail has the SR's creation and each export pass: failed while the bucket was
  // down (outcome 8), then done (0), to the bucket named as Destination Media.
  std::set<std::string> exportOutcomes;
  bool srCreated = false;
  for (const auto& m : medvqa::test::readAuditFile(dir / "audit.log")) {
    const std::string studyId =
        m.text("//ParticipantObjectIdentification[@ParticipantObjectTypeCodeRole='3']/@ParticipantObjectID");
    if (m.eventId() == "110103" && m.action() == "C" && studyId == studyUid) {
      srCreated = m.text("//SOPClass/Instance/@UID") == srUid;
    }
    if (m.eventId() != "110106" || studyId != studyUid) continue;
    EXPECT_EQ(m.schemaErrors(), "") << m.xml();
    EXPECT_EQ(m.text("//ActiveParticipant[RoleIDCode/@csd-code='110154']/@UserID"), "s3://medvqa/site-a/") << m.xml();
    exportOutcomes.insert(m.outcome());
  }
  EXPECT_TRUE(srCreated) << "no SR creation (110103, C) audited for " << srUid;
  EXPECT_EQ(exportOutcomes, (std::set<std::string>{"0", "8"}));
}

TEST_F(S3Export, AnUnknownAccessKeyStaysQueuedWithS3sErrorInDeliveries) {
  S3rver s3rver("medvqa");
  s3rver.start();
  TempDir dir("s3-wrong-key");
  const fs::path secret = writeFile(dir / "secret", "S3RVER\n");
  const json wrongKey = {{"name", "wrongkey"}, {"endpoint", s3rver.endpoint()}, {"bucket", "medvqa"},
                         {"accessKeyId", "NOT-A-KEY"}, {"secretAccessKeyFile", secret.string()}};
  const auto node = nodeWith(dir, json::array({wrongKey}));
  const auto [studyUid, files] = study();
  ASSERT_EQ(node->storeFiles(files).exitCode, 0);
  const std::string srUid = waitForSr(*node, studyUid);

  json sr;
  ASSERT_TRUE(waitUntil([&] {
    sr = deliveryOf(*node, "s3:wrongkey", srUid);
    return sr.value("attempts", 0) >= 2;
  }, 30s)) << getJson(node->httpPort(), "/deliveries").dump(2);
  EXPECT_EQ(sr["state"], "pending") << "retried with backoff, never dropped";
  const std::string error = sr["error"];
  EXPECT_NE(error.find("HTTP 403 InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records."),
            std::string::npos)
      << error;
  EXPECT_THROW(medvqa::test::s3Reader(s3rver.endpoint(), "medvqa", "S3RVER", secret)
                   .getObject(keyOf("", medvqa::test::storedPath(node->storage(), srUid))),
               medvqa::Error)
      << "nothing was stored under a refused key";
}

TEST_F(S3Export, HttpsVerifiesTheServerCertificateAgainstTheConfiguredCa) {
  TempDir dir("s3-tls");
  // A self-signed certificate for 127.0.0.1: trusted only where caFile names it.
  const RunResult made = medvqa::test::run(
      {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
       "subjectAltName=IP:127.0.0.1", "-keyout", (dir / "key.pem").string(), "-out", (dir / "cert.pem").string()});
  ASSERT_EQ(made.exitCode, 0) << made.output;
  S3rver s3rver("medvqa");
  s3rver.start(dir / "cert.pem", dir / "key.pem");
  const fs::path secret = writeFile(dir / "secret", "S3RVER\n");
  const json trusted = {{"name", "trusted"}, {"endpoint", s3rver.endpoint()}, {"bucket", "medvqa"},
                        {"accessKeyId", "S3RVER"}, {"secretAccessKeyFile", secret.string()},
                        {"caFile", (dir / "cert.pem").string()}};
  json systemCas = trusted;
  systemCas["name"] = "system-cas";
  systemCas.erase("caFile");
  const auto node = nodeWith(dir, json::array({trusted, systemCas}));
  const auto [studyUid, files] = study();
  ASSERT_EQ(node->storeFiles(files).exitCode, 0);
  const std::string srUid = waitForSr(*node, studyUid);

  json good, refused;
  ASSERT_TRUE(waitUntil([&] {
    good = deliveryOf(*node, "s3:trusted", srUid);
    refused = deliveryOf(*node, "s3:system-cas", srUid);
    return good.value("state", "") == "sent" && refused.value("attempts", 0) >= 1;
  }, 30s)) << getJson(node->httpPort(), "/deliveries").dump(2) << "\nnode log:\n" << node->log();
  EXPECT_EQ(refused["state"], "pending");
  EXPECT_NE(refused["error"].get<std::string>().find("server certificate refused: self-signed certificate"),
            std::string::npos)
      << refused.dump(2);
  const fs::path storedSr = medvqa::test::storedPath(node->storage(), srUid);
  const json readerConfig = {{"endpoint", s3rver.endpoint()}, {"bucket", "medvqa"}, {"accessKeyId", "S3RVER"},
                             {"secretAccessKeyFile", secret.string()}, {"caFile", (dir / "cert.pem").string()}};
  medvqa::s3::S3Client reader(medvqa::config::s3DestinationsFromJson(json::array({readerConfig}), "reader").front());
  EXPECT_EQ(reader.getObject(keyOf("", storedSr)), readFile(storedSr));
}

TEST_F(S3Export, AVerifyingServerAcceptsTheNodesSignaturesAndRefusesAWrongSecret) {
  if (!MotoS3::available()) {
    GTEST_SKIP() << "python3 has no moto: the SigV4-verifying server is not available here (s3rver does not verify "
                    "signatures; the signer is still checked against AWS's vectors in S3SigV4.*)";
  }
  MotoS3 moto("medvqa-verified");
  moto.start();
  TempDir dir("s3-moto");
  const fs::path wrongSecret = writeFile(dir / "wrong-secret", "not-the-secret");
  const json verified = {{"name", "verified"}, {"endpoint", moto.endpoint()}, {"bucket", "medvqa-verified"},
                         {"accessKeyId", moto.accessKeyId()}, {"secretAccessKeyFile", moto.secretFile().string()}};
  json wrong = verified;
  wrong["name"] = "wrongsecret";
  wrong["secretAccessKeyFile"] = wrongSecret.string();
  const auto node = nodeWith(dir, json::array({verified, wrong}));
  const auto [studyUid, files] = study();
  ASSERT_EQ(node->storeFiles(files).exitCode, 0);
  const std::string srUid = waitForSr(*node, studyUid);

  json good, bad;
  ASSERT_TRUE(waitUntil([&] {
    good = deliveryOf(*node, "s3:verified", srUid);
    bad = deliveryOf(*node, "s3:wrongsecret", srUid);
    return good.value("state", "") == "sent" && bad.value("attempts", 0) >= 1;
  }, 30s)) << getJson(node->httpPort(), "/deliveries").dump(2) << "\nnode log:\n" << node->log();
  EXPECT_EQ(bad["state"], "pending");
  EXPECT_NE(bad["error"].get<std::string>().find("HTTP 403 SignatureDoesNotMatch"), std::string::npos) << bad.dump(2);

  const fs::path storedSr = medvqa::test::storedPath(node->storage(), srUid);
  auto reader = medvqa::test::s3Reader(moto.endpoint(), "medvqa-verified", moto.accessKeyId(), moto.secretFile());
  EXPECT_EQ(reader.getObject(keyOf("", storedSr)), readFile(storedSr));
  auto wrongReader = medvqa::test::s3Reader(moto.endpoint(), "medvqa-verified", moto.accessKeyId(), wrongSecret);
  try {
    wrongReader.getObject(keyOf("", storedSr));
    ADD_FAILURE() << "a GET signed with a wrong secret was answered";
  } catch (const medvqa::Error& e) {
    EXPECT_NE(std::string(e.what()).find("SignatureDoesNotMatch"), std::string::npos) << e.what();
  }
}

}  // namespace
