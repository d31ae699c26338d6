#pragma once

#include <string>

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

// GET /studies/{uid}/answers, POST /studies/{uid}/questions, POST /studies/{uid}/answer,
// GET /jobs, GET /jobs/{id}, GET /deliveries. With no pipeline every route answers 503 with `unavailable`.
void addAnswerRoutes(httplib::Server& server, Index& index, pipeline::AnswerPipeline* pipeline,
                     const std::string& unavailable);

}  // namespace medvqa::scp
