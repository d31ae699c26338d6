#pragma once

#include <memory>
#include <string>
#include <thread>

#include "http_audit.h"
#include "http_probes.h"

namespace httplib {
class Server;
}
namespace medvqa {
class Index;
}
namespace medvqa::config {
struct HttpSecurityConfig;
}
namespace medvqa::pipeline {
class AnswerPipeline;
}

namespace medvqa::scp {

class HttpAuth;

// The node's small HTTP API (JSON): GET /healthz, /readyz, /metrics (http_probes.h), GET /studies,
// GET /studies/{StudyInstanceUID},
// and the answer routes (http_answers.cpp): answers, ad-hoc questions, jobs.
// Routes translate and hand over to the index; errors come back as {"error": ...} with a status.
// Over HTTP or HTTPS, behind the bearer-token check of http_auth.h (docs/security.md).
class HttpApi {
 public:
  // Reads the token keys and the TLS certificate of `security` (Error(Config) naming the file).
  // `pipeline` null: the answer routes reply 503 with `answeringUnavailable` as the reason.
  HttpApi(Index& index, std::string host, int port, const config::HttpSecurityConfig& security,
          pipeline::AnswerPipeline* pipeline = nullptr, std::string answeringUnavailable = {},
          NodeProbes probes = {}, HttpAudit audit = {});
  ~HttpApi();
  HttpApi(const HttpApi&) = delete;
  HttpApi& operator=(const HttpApi&) = delete;

  // Binds (throws Error(Network) if it cannot) and serves in a background thread.
  void start();
  void stop();

  // "https://0.0.0.0:8443, bearer tokens (RS256)": for the node's "ready" line.
  std::string describe() const;

 private:
  void addRoutes();

  Index& index_;
  pipeline::AnswerPipeline* pipeline_;
  std::string answeringUnavailable_;
  NodeProbes probes_;
  HttpAudit audit_;
  std::string host_;
  int port_;
  bool https_;
  std::unique_ptr<HttpAuth> auth_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace medvqa::scp
