// The HTTP API behind bearer tokens, through a real medvqa-scp: tokens minted by the test as an
// issuer would (libjwt, HS256 and RS256), refusals as JSON with 401 + WWW-Authenticate or 403,
// roles nested reader < radiologist < admin, HTTPS with a self-signed certificate the client
// trusts as its CA, and the two ways the API runs without tokens (explicit off: open and loud;
// nothing configured: protected routes refused).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "dicom_files.h"
#include "jwt_tokens.h"
#include "node_under_test.h"
#include "process.h"

namespace fs = std::filesystem;
using medvqa::test::mintJwt;
using medvqa::test::NodeUnderTest;
using medvqa::test::TempDir;
using medvqa::test::tokenClaims;
using nlohmann::json;

namespace {

const std::string kSecret = "integration-test-secret-0123456789abcdef";

struct Reply {
  int status = -1;
  json body;
  std::string challenge;  // WWW-Authenticate
};

Reply send(httplib::Client& client, const std::string& method, const std::string& path, const std::string& token,
           const std::string& body = {}) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  const auto res = method == "POST" ? client.Post(path.c_str(), headers, body, "application/json")
                                    : client.Get(path.c_str(), headers);
  if (!res) return {-1, json{{"client_error", httplib::to_string(res.error())}}, ""};
  return {res->status, json::parse(res->body, nullptr, false), res->get_header_value("WWW-Authenticate")};
}

fs::path writeFile(const fs::path& file, const std::string& content) {
  std::ofstream(file, std::ios::binary) << content;
  ::chmod(file.c_str(), 0600);
  return file;
}

std::string token(const std::vector<std::string>& roles) { return mintJwt("HS256", kSecret, tokenClaims(roles)); }

fs::path oneCrInstance() {
  for (const auto& f : medvqa::test::corpusFiles()) {
    if (f.string().find("cr-explicit") != std::string::npos) return f;
  }
  throw std::runtime_error("no cr-explicit instance in the test corpus");
}

// Sends `parts` as they are on one TCP connection, 300 ms apart (as separate segments reach a
// server), and returns all the node wrote back until it closed the connection (or 10 s passed).
// The test's side stays open: httplib answers nothing on a half-closed connection.
std::string rawExchange(std::uint16_t port, const std::vector<std::string>& parts) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string reply;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
    for (const auto& part : parts) {
      ::send(fd, part.data(), part.size(), MSG_NOSIGNAL);  // the node may have closed already
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return reply;
}

void expectUnauthorized(const Reply& r, const std::string& problem) {
  EXPECT_EQ(r.status, 401) << r.body.dump();
  EXPECT_EQ(r.challenge.rfind("Bearer realm=\"medvqa\"", 0), 0u) << r.challenge;
  ASSERT_TRUE(r.body.is_object() && r.body["error"].is_string()) << r.body.dump();
  EXPECT_NE(r.body["error"].get<std::string>().find(problem), std::string::npos) << r.body.dump();
}

TEST(HttpAuth, Hs256TokensOpenEachRouteToItsRolesOnly) {
  TempDir dir("http-auth-hs256");
  const fs::path secret = writeFile(dir / "jwt-secret", kSecret + "\n");
  // The format-1 tiny model: unscreened questions, so the built-in rules start with it.
  NodeUnderTest node({"--jwt-hs256-secret-file", secret.string(), "--model",
                      (fs::path(MEDVQA_BUILD_DIR) / "testmodels" / "tiny-model-v1").string()});
  node.start();
  ASSERT_EQ(node.storeFiles({oneCrInstance()}).exitCode, 0);
  httplib::Client client("127.0.0.1", node.httpPort());
  client.set_read_timeout(60, 0);

  EXPECT_EQ(send(client, "GET", "/healthz", "").status, 200);  // probes stay open

  const Reply anonymous = send(client, "GET", "/studies", "");
  expectUnauthorized(anonymous, "bearer token required");
  EXPECT_EQ(anonymous.challenge, "Bearer realm=\"medvqa\"");
  expectUnauthorized(send(client, "GET", "/studies", mintJwt("HS256", kSecret + "-other", tokenClaims({"admin"}))),
                     "signature does not verify");
  expectUnauthorized(send(client, "GET", "/studies", mintJwt("HS256", kSecret, tokenClaims({"admin"}, std::chrono::hours(-1)))),
                     "token expired");
  const Reply none = send(client, "GET", "/jobs", mintJwt("none", "", tokenClaims({"admin"})));
  expectUnauthorized(none, "algorithm none not accepted");
  EXPECT_NE(none.challenge.find("error=\"invalid_token\""), std::string::npos) << none.challenge;

  const Reply studies = send(client, "GET", "/studies", token({"reader"}));
  ASSERT_EQ(studies.status, 200) << studies.body.dump();
  ASSERT_EQ(studies.body["studies"].size(), 1u);
  const std::string questions = "/studies/" + studies.body["studies"][0]["study_uid"].get<std::string>() + "/questions";
  const std::string ask = R"({"question": "What is the modality?"})";

  const Reply readerAsks = send(client, "POST", questions, token({"reader"}), ask);
  EXPECT_EQ(readerAsks.status, 403) << readerAsks.body.dump();
  EXPECT_NE(readerAsks.body.value("error", "").find("role radiologist required"), std::string::npos);
  EXPECT_EQ(send(client, "GET", "/studies", token({"billing"})).status, 403);  // valid, but no role of ours

  const Reply radiologistAsks = send(client, "POST", questions, token({"radiologist"}), ask);
  ASSERT_EQ(radiologistAsks.status, 200) << radiologistAsks.body.dump();
  EXPECT_EQ(radiologistAsks.body["source"], "header");
  EXPECT_EQ(send(client, "GET", "/jobs", token({"radiologist"})).status, 403);

  const Reply jobs = send(client, "GET", "/jobs", token({"admin"}));
  EXPECT_EQ(jobs.status, 200) << jobs.body.dump();
  EXPECT_TRUE(jobs.body["jobs"].is_array());
  EXPECT_EQ(send(client, "GET", "/deliveries", token({"admin"})).status, 200);
  EXPECT_EQ(send(client, "POST", questions, token({"admin"}), ask).status, 200);  // admin includes radiologist

  const std::string log = node.log();
  EXPECT_NE(log.find("bearer tokens (HS256)"), std::string::npos) << log;
  EXPECT_NE(log.find("HTTP 401 GET /studies from 127.0.0.1: no bearer token"), std::string::npos) << log;
  EXPECT_NE(log.find("HTTP 403 POST " + questions), std::string::npos) << log;
  EXPECT_EQ(log.find("eyJhbGciOi"), std::string::npos) << "a token reached the log";  // base64url of {"alg":
  EXPECT_EQ(log.find("AUTHENTICATION IS OFF"), std::string::npos);
}

// A refusal comes before the body is read. Were the connection kept open, that unread body,
// arriving after the headers, would be parsed as the next request: a body crafted as a request
// (here with a token of its own) must never get a second response.
TEST(HttpAuth, ARefusedRequestsUnreadBodyIsNeverTakenForTheNextRequest) {
  TempDir dir("http-auth-smuggle");
  const fs::path secret = writeFile(dir / "jwt-secret", kSecret);
  NodeUnderTest node({"--jwt-hs256-secret-file", secret.string(), "--answering", "off"});
  node.start();
  const std::string smuggled = "GET /studies HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer " + token({"admin"}) +
                               "\r\n\r\n";
  const std::string reply = rawExchange(
      node.httpPort(), {"POST /studies/1.2.3/questions HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\n"
                        "Content-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n",
                        smuggled});
  EXPECT_EQ(reply.rfind("HTTP/1.1 401", 0), 0u) << reply;
  EXPECT_EQ(reply.find("HTTP/1.1", 1), std::string::npos) << reply;
}

TEST(HttpAuth, Rs256TokensOverHttpsWithTheCertificateAsTheClientsCa) {
  TempDir dir("http-auth-rs256");
  const auto issuer = medvqa::test::makeRsaKeyPair();
  const fs::path publicKey = writeFile(dir / "issuer-public.pem", issuer.publicPem);
  const auto openssl = medvqa::test::run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                          "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                          "-keyout", (dir / "key.pem").string(), "-out", (dir / "cert.pem").string()});
  ASSERT_EQ(openssl.exitCode, 0) << openssl.output;
  NodeUnderTest node({"--jwt-rs256-public-key", publicKey.string(), "--https-cert", (dir / "cert.pem").string(),
                      "--https-key", (dir / "key.pem").string(), "--answering", "off"});
  node.start();
  const std::string origin = "https://127.0.0.1:" + std::to_string(node.httpPort());
  httplib::Client client(origin);
  client.set_ca_cert_path((dir / "cert.pem").c_str());
  client.enable_server_certificate_verification(true);

  const std::string reader = mintJwt("RS256", issuer.privatePem, tokenClaims({"reader"}));
  const Reply studies = send(client, "GET", "/studies", reader);
  EXPECT_EQ(studies.status, 200) << studies.body.dump();
  EXPECT_TRUE(studies.body["studies"].is_array());
  expectUnauthorized(send(client, "GET", "/studies", ""), "bearer token required");
  // The public key as an HMAC secret: the algorithm-confusion forgery.
  expectUnauthorized(send(client, "GET", "/studies", mintJwt("HS256", issuer.publicPem, tokenClaims({"admin"}))),
                     "algorithm HS256 not accepted");
  const auto stranger = medvqa::test::makeRsaKeyPair();
  expectUnauthorized(send(client, "GET", "/studies", mintJwt("RS256", stranger.privatePem, tokenClaims({"admin"}))),
                     "signature does not verify");

  httplib::Client untrusting(origin);  // the system CAs do not know the self-signed certificate
  untrusting.enable_server_certificate_verification(true);
  EXPECT_EQ(send(untrusting, "GET", "/healthz", "").status, -1);
  httplib::Client plain("127.0.0.1", node.httpPort());
  EXPECT_EQ(send(plain, "GET", "/healthz", "").status, -1);
  EXPECT_NE(node.log().find("HTTP " + origin + ", bearer tokens (RS256)"), std::string::npos) << node.log();
}

TEST(HttpAuth, ExplicitOffServesWithoutTokensAndWarnsAtEveryStart) {
  NodeUnderTest node({"--http-auth", "off", "--answering", "off"});
  node.start();
  httplib::Client client("127.0.0.1", node.httpPort());
  EXPECT_EQ(send(client, "GET", "/studies", "").status, 200);
  ASSERT_EQ(node.stop(), 0);
  node.start();
  httplib::Client again("127.0.0.1", node.httpPort());  // a restarted node listens on fresh ports
  EXPECT_EQ(send(again, "GET", "/studies", "").status, 200);
  const std::string log = node.log();
  std::size_t warnings = 0;
  for (auto at = log.find("WARN  HTTP API AUTHENTICATION IS OFF"); at != std::string::npos;
       at = log.find("WARN  HTTP API AUTHENTICATION IS OFF", at + 1)) {
    ++warnings;
  }
  EXPECT_EQ(warnings, 2u) << log;
}

TEST(HttpAuth, NoKeyAndNoExplicitOffRefusesEveryProtectedRoute) {
  NodeUnderTest node({"--http-auth", "on", "--answering", "off"});
  node.start();
  httplib::Client client("127.0.0.1", node.httpPort());
  EXPECT_EQ(send(client, "GET", "/healthz", "").status, 200);
  for (const char* path : {"/studies", "/jobs", "/studies/1.2.3/answers"}) {
    const Reply r = send(client, "GET", path, token({"admin"}));
    EXPECT_EQ(r.status, 503) << path;
    EXPECT_NE(r.body.value("error", "").find("--jwt-hs256-secret-file"), std::string::npos) << r.body.dump();
  }
  EXPECT_NE(node.log().find("WARN  HTTP API: no bearer-token key is configured"), std::string::npos) << node.log();
}

TEST(HttpAuth, AnUnusableKeyStopsTheNodeNamingTheFile) {
  TempDir dir("http-auth-badkey");
  const fs::path shortSecret = writeFile(dir / "short-secret", "short\n");
  const auto result = medvqa::test::run(
      {medvqa::test::buildBin("medvqa-scp").string(), "--jwt-hs256-secret-file", shortSecret.string(), "--answering",
       "off", "--port", "0", "--http-port", "0", "--storage", (dir / "storage").string()},
      std::chrono::seconds(30));
  EXPECT_EQ(result.exitCode, 1) << result.output;
  EXPECT_NE(result.output.find("JWT HS256 secret file " + shortSecret.string() + ": the secret has 5 bytes"),
            std::string::npos)
      << result.output;
}

}  // namespace
