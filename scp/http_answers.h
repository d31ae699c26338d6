#pragma once

#include <string>

#include "http_audit.h"

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

class HttpAuth;

// What the question routes need to audit who asked what about which study.
struct AnswerRoutesAudit {
  HttpAudit audit;
  const HttpAuth* auth = nullptr;  // the token's subject names the user; null: "anonymous"
};

// GET /studies/{uid}/answers, POST /studies/{uid}/questions, POST /studies/{uid}/answer,
// GET /jobs, GET /jobs/{id}, GET /deliveries. With no pipeline every route answers 503 with `unavailable`.
// The two POST routes are audited (DICOM Instances Accessed) when `audit` has a trail.
void addAnswerRoutes(httplib::Server& server, Index& index, pipeline::AnswerPipeline* pipeline,
                     const std::string& unavailable, AnswerRoutesAudit audit = {});

}  // namespace medvqa::scp
