// The HTTP API's size limits, each with the refusal a client sees: a body over 64 KiB (413), a
// body whose size is not declared up front (411: chunked, or no Content-Length), a question over
// pipeline::kMaxQuestionChars (400). Every refusal is JSON {"error": ...}, and the node serves on.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "node_under_test.h"
#include "pipeline/api_json.h"

using namespace medvqa::test;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxBodyBytes = 64 * 1024;  // scp/http_api.cpp
constexpr char kQuestions[] = "/studies/1.2.826.0.1.3680043.2.1143.404/questions";

// A body of exactly `bytes` bytes: {"question": "aaa..."}.
std::string questionBody(std::size_t bytes) {
  const std::string frame = R"({"question": ""})";
  return R"({"question": ")" + std::string(bytes - frame.size(), 'a') + R"("})";
}

struct RawReply {
  int status = 0;  // 0: no HTTP answer before the node closed or 10 s passed
  std::string body;
};

// Writes `request` on a fresh connection and reads what the node answers until it closes (one
// request per connection) or 10 s pass.
RawReply rawExchange(std::uint16_t port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  RawReply reply;
  const auto headerEnd = answer.find("\r\n\r\n");
  if (answer.rfind("HTTP/1.1 ", 0) == 0 && headerEnd != std::string::npos) {
    reply.status = std::atoi(answer.c_str() + 9);
    reply.body = answer.substr(headerEnd + 4);
  }
  return reply;
}

void expectJsonError(int status, const std::string& body, int expectedStatus, const std::string& says) {
  EXPECT_EQ(status, expectedStatus) << body;
  const json j = json::parse(body, nullptr, false);
  ASSERT_TRUE(j.is_object() && j.contains("error")) << body;
  EXPECT_NE(j["error"].get<std::string>().find(says), std::string::npos) << body;
}

class HttpLimits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    node_ = new NodeUnderTest();  // answering on: the question routes parse their bodies
    node_->start();
  }
  static void TearDownTestSuite() { delete node_; }
  void TearDown() override {
    const auto health = client().Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
  }
  static httplib::Client client() { return httplib::Client("127.0.0.1", node_->httpPort()); }

  static NodeUnderTest* node_;
};

NodeUnderTest* HttpLimits::node_ = nullptr;

}  // namespace

TEST_F(HttpLimits, BodyOverTheLimitIs413AndABodyAtTheLimitIsRead) {
  auto over = client().Post(kQuestions, questionBody(kMaxBodyBytes + 1), "application/json");
  ASSERT_TRUE(over);
  expectJsonError(over->status, over->body, 413, "larger than " + std::to_string(kMaxBodyBytes) + " bytes");
  // At the limit the body is read and parsed: its question is then too long.
  auto at = client().Post(kQuestions, questionBody(kMaxBodyBytes), "application/json");
  ASSERT_TRUE(at);
  expectJsonError(at->status, at->body, 400, "'question' is longer than");
}

TEST_F(HttpLimits, BodyWithoutADeclaredLengthIs411AnsweredBeforeTheBody) {
  const std::string head = std::string("POST ") + kQuestions + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
  const std::string body = questionBody(40);
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const std::vector<std::pair<std::string, std::string>> cases = {
      // The node must answer on the headers alone: it cannot know how much is coming.
      {"chunked, headers only", head + "Transfer-Encoding: chunked\r\n\r\n"},
      {"chunked, whole body", head + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n"},
      // Without a length httplib reads a request body until the client closes.
      {"no Content-Length", head + "\r\n" + body},
  };
  for (const auto& [name, request] : cases) {
    SCOPED_TRACE(name);
    const RawReply reply = rawExchange(node_->httpPort(), request);
    expectJsonError(reply.status, reply.body, 411, "Content-Length");
  }
}

TEST_F(HttpLimits, QuestionOverTheLimitIs400AndOneAtTheLimitIsAsked) {
  const auto ask = [](std::size_t chars) {
    return client().Post(kQuestions, json{{"question", std::string(chars, 'a')}}.dump(), "application/json");
  };
  auto over = ask(medvqa::pipeline::kMaxQuestionChars + 1);
  ASSERT_TRUE(over);
  expectJsonError(over->status, over->body, 400,
                  "longer than " + std::to_string(medvqa::pipeline::kMaxQuestionChars) + " characters");
  // At the limit the question passes the parse and the route looks for the (absent) study.
  auto at = ask(medvqa::pipeline::kMaxQuestionChars);
  ASSERT_TRUE(at);
  expectJsonError(at->status, at->body, 404, "no study");
}
