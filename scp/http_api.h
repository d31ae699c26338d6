#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "api/answer_api.h"
#include "http_answers.h"
#include "http_audit.h"
#include "http_probes.h"
#include "node_routes.h"

namespace httplib {
class Server;
}
namespace medvqa {
class Index;
}
namespace medvqa::config {
struct HttpSecurityConfig;
}
namespace medvqa::metrics {
class Metrics;
}
namespace medvqa::pipeline {
class AnswerPipeline;
}

namespace medvqa::scp {

class HttpAuth;

// The node's HTTP API (JSON), over cpp-httplib: core's answer routes (api/answer_api.h: answers,
// ad-hoc questions, re-runs, jobs, deliveries, models) and the node's own (node_routes.h:
// /healthz, /readyz, /metrics, /studies, /studies/{StudyInstanceUID}). Routes translate and hand
// over to core; errors come back as {"error": ...} with a status. Over HTTP or HTTPS, behind the
// bearer-token check of http_auth.h (docs/security.md), which reads each route's role from the
// route tables.
class HttpApi {
 public:
  // Reads the token keys and the TLS certificate of `security` (Error(Config) naming the file).
  // `pipeline` null: the answer routes reply 503 with `answeringUnavailable` as the reason.
  // `modelFolder`: what GET /models names; `metrics`: questions asked and re-runs are counted.
  HttpApi(Index& index, std::string host, int port, const config::HttpSecurityConfig& security,
          pipeline::AnswerPipeline* pipeline = nullptr, std::string answeringUnavailable = {}, NodeProbes probes = {},
          HttpAudit audit = {}, std::filesystem::path modelFolder = {}, metrics::Metrics* metrics = nullptr);
  ~HttpApi();
  HttpApi(const HttpApi&) = delete;
  HttpApi& operator=(const HttpApi&) = delete;

  // Binds (throws Error(Network) if it cannot) and serves in a background thread.
  void start();
  void stop();
  // The port it listens on once started: the one given, or the one the OS picked for 0.
  int port() const { return port_; }

  // "https://0.0.0.0:8443, bearer tokens (RS256)": for the node's "ready" line.
  std::string describe() const;

 private:
  void addRoutes();

  HttpAudit audit_;
  NodeRoutes nodeRoutes_;
  IndexStudies studies_;
  api::AnswerApi answers_;
  std::string host_;
  int port_;
  bool https_;
  std::unique_ptr<HttpAuth> auth_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace medvqa::scp
