#pragma once

#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}
namespace medvqa {
class Index;
}
namespace medvqa::pipeline {
class AnswerPipeline;
}

namespace medvqa::scp {

// The node's small HTTP API (JSON): GET /healthz, GET /studies, GET /studies/{StudyInstanceUID},
// and the answer routes (http_answers.cpp): answers, ad-hoc questions, jobs.
// Routes translate and hand over to the index; errors come back as {"error": ...} with a status.
class HttpApi {
 public:
  // `pipeline` null: the answer routes reply 503 with `answeringUnavailable` as the reason.
  HttpApi(Index& index, std::string host, int port, pipeline::AnswerPipeline* pipeline = nullptr,
          std::string answeringUnavailable = {});
  ~HttpApi();
  HttpApi(const HttpApi&) = delete;
  HttpApi& operator=(const HttpApi&) = delete;

  // Binds (throws Error(Network) if it cannot) and serves in a background thread.
  void start();
  void stop();

 private:
  void addRoutes();

  Index& index_;
  pipeline::AnswerPipeline* pipeline_;
  std::string answeringUnavailable_;
  std::string host_;
  int port_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace medvqa::scp
