#include "http_answers.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "dicom/uid.h"
#include "index/index.h"
#include "pipeline/answer_pipeline.h"

namespace medvqa::scp {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxQuestionChars = 500;

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

json jobJson(const pipeline::Job& job) {
  json j = {{"id", job.id},
            {"study_uid", job.key.studyUid},
            {"rule_set", job.key.ruleSet},
            {"model", job.key.modelVersion},
            {"state", pipeline::toString(job.state)},
            {"attempts", job.attempts},
            {"created_at_ms", job.createdAtMs},
            {"updated_at_ms", job.updatedAtMs},
            {"error", job.lastError.empty() ? json(nullptr) : json(job.lastError)},
            {"sr_sop_instance_uid", job.srSopInstanceUid.empty() ? json(nullptr) : json(job.srSopInstanceUid)}};
  if (job.state == pipeline::JobState::Pending && job.attempts > 0) j["next_attempt_at_ms"] = job.nextAttemptAtMs;
  return j;
}

std::string studyParam(const httplib::Request& req) {
  return dicom::requireUid(req.matches[1].str(), "Study Instance UID");
}

// {"question": "...", "sr": false}: 400 for anything else.
std::pair<std::string, bool> parseQuestionBody(const std::string& body) {
  json j;
  try {
    j = json::parse(body);
  } catch (const json::parse_error&) {
    throw Error(ErrorCode::InvalidArgument, "body must be JSON: {\"question\": \"...\", \"sr\": false}");
  }
  if (!j.is_object() || !j.contains("question") || !j["question"].is_string()) {
    throw Error(ErrorCode::InvalidArgument, "'question' must be a string");
  }
  const std::string question = j["question"].get<std::string>();
  if (question.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw Error(ErrorCode::InvalidArgument, "'question' is empty");
  }
  if (question.size() > kMaxQuestionChars) {
    throw Error(ErrorCode::InvalidArgument, "'question' is longer than " + std::to_string(kMaxQuestionChars) + " characters");
  }
  if (j.contains("sr") && !j["sr"].is_boolean()) throw Error(ErrorCode::InvalidArgument, "'sr' must be true or false");
  return {question, j.value("sr", false)};
}

}  // namespace

void addAnswerRoutes(httplib::Server& server, Index& index, pipeline::AnswerPipeline* pipeline,
                     const std::string& unavailable) {
  // Every route needs the pipeline; without one the node still stores and serves studies.
  auto guarded = [pipeline, unavailable](auto handler) {
    return [pipeline, unavailable, handler](const httplib::Request& req, httplib::Response& res) {
      if (!pipeline) return reply(res, 503, json{{"error", unavailable}});
      handler(*pipeline, req, res);
    };
  };
  server.Get(R"(/studies/([^/]+)/answers)", guarded([&index](pipeline::AnswerPipeline& p, const httplib::Request& req,
                                                             httplib::Response& res) {
    const std::string uid = studyParam(req);
    if (!index.study(uid)) return reply(res, 404, json{{"error", "no study " + uid}});
    const auto answers = p.answersFor(uid);
    json body = {{"study_uid", uid}, {"state", answers.state}, {"rule", answers.rule}, {"answers", answers.answers}};
    body["job"] = answers.job ? jobJson(*answers.job) : json(nullptr);
    body["sr_sop_instance_uid"] = answers.srSopInstanceUid.empty() ? json(nullptr) : json(answers.srSopInstanceUid);
    reply(res, 200, body);
  }));
  server.Post(R"(/studies/([^/]+)/questions)", guarded([&index](pipeline::AnswerPipeline& p, const httplib::Request& req,
                                                                httplib::Response& res) {
    const std::string uid = studyParam(req);
    const auto [question, writeSr] = parseQuestionBody(req.body);
    if (!index.study(uid)) return reply(res, 404, json{{"error", "no study " + uid}});
    const auto answer = p.ask(uid, question, writeSr);
    json body = answer.answer;
    if (writeSr) body["sr_sop_instance_uid"] = answer.srSopInstanceUid;
    reply(res, 200, body);
  }));
  server.Post(R"(/studies/([^/]+)/answer)", guarded([&index](pipeline::AnswerPipeline& p, const httplib::Request& req,
                                                             httplib::Response& res) {
    const std::string uid = studyParam(req);
    if (!index.study(uid)) return reply(res, 404, json{{"error", "no study " + uid}});
    reply(res, 202, json{{"study_uid", uid}, {"decision", pipeline::toString(p.answerNow(uid))}});
  }));
  server.Get("/jobs", guarded([](pipeline::AnswerPipeline& p, const httplib::Request& req, httplib::Response& res) {
    std::optional<pipeline::JobState> state;
    if (req.has_param("state")) state = pipeline::parseJobState(req.get_param_value("state"));
    json jobs = json::array();
    for (const auto& job : p.jobs().jobs(state, 100, 0)) jobs.push_back(jobJson(job));
    reply(res, 200, json{{"jobs", jobs}});
  }));
  server.Get("/deliveries", guarded([](pipeline::AnswerPipeline& p, const httplib::Request&, httplib::Response& res) {
    json out = json::array();
    if (p.outbox()) {
      for (const auto& d : p.outbox()->all(200)) {
        out.push_back({{"id", d.id},
                       {"sop_instance_uid", d.sopInstanceUid},
                       {"destination", d.destination},
                       {"state", pipeline::toString(d.state)},
                       {"attempts", d.attempts},
                       {"next_attempt_at_ms", d.nextAttemptAtMs},
                       {"error", d.lastError.empty() ? json(nullptr) : json(d.lastError)}});
      }
    }
    reply(res, 200, json{{"deliveries", out}});
  }));
  server.Get(R"(/jobs/(\d{1,18}))", guarded([](pipeline::AnswerPipeline& p, const httplib::Request& req,
                                              httplib::Response& res) {
    const auto job = p.jobs().job(std::stoll(req.matches[1].str()));
    if (!job) return reply(res, 404, json{{"error", "no job " + req.matches[1].str()}});
    json body = jobJson(*job);
    if (job->state == pipeline::JobState::Done) body["answers"] = json::parse(job->resultJson)["answers"];
    reply(res, 200, body);
  }));
}

}  // namespace medvqa::scp
