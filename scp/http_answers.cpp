#include "http_answers.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "audit/api_events.h"
#include "dicom/uid.h"
#include "http_auth.h"
#include "index/index.h"
#include "pipeline/answer_pipeline.h"
#include "pipeline/api_json.h"

namespace medvqa::scp {
namespace {

using nlohmann::json;

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

std::string studyParam(const httplib::Request& req) {
  return dicom::requireUid(req.matches[1].str(), "Study Instance UID");
}

// Runs `handle` (which replies) and records who asked what about the study and how it ended:
// a 2xx reply is a success, another reply a minor failure (an unknown study), an exception a
// serious failure (and goes on to the API's exception handler).
template <typename Handle>
void audited(const AnswerRoutesAudit& a, const httplib::Request& req, httplib::Response& res, Index& index,
             const std::string& studyUid, audit::Action action, const std::string& question, Handle handle) {
  if (!a.audit) return handle();
  const auto record = [&](audit::Outcome outcome, const std::string& why) {
    audit::StudyRef study{studyUid, {}, {}, {}};
    if (const auto summary = index.study(studyUid)) {
      study.patientId = summary->patientId;
      study.patientName = summary->patientName;
      study.accession = summary->accession;
    }
    const audit::HttpClient client{a.auth ? a.auth->subjectOf(req) : std::string(), req.remote_addr};
    a.audit.record(audit::studyQuestioned(client, a.audit.nodeAet, study, action, question, outcome, why));
  };
  try {
    handle();
  } catch (const std::exception& e) {
    record(audit::Outcome::SeriousFailure, e.what());
    throw;
  }
  const bool ok = res.status >= 200 && res.status < 300;
  record(ok ? audit::Outcome::Success : audit::Outcome::MinorFailure, ok ? "" : "HTTP " + std::to_string(res.status));
}

}  // namespace

void addAnswerRoutes(httplib::Server& server, Index& index, pipeline::AnswerPipeline* pipeline,
                     const std::string& unavailable, AnswerRoutesAudit audit) {
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
    reply(res, 200, pipeline::studyAnswersJson(uid, p.answersFor(uid)));
  }));
  server.Post(R"(/studies/([^/]+)/questions)", guarded([&index, audit](pipeline::AnswerPipeline& p,
                                                                       const httplib::Request& req,
                                                                       httplib::Response& res) {
    const std::string uid = studyParam(req);
    // The plugin's parse: one question length limit (pipeline::kMaxQuestionChars) for both doors.
    const auto asked = pipeline::parseQuestionRequest(req.body);
    const std::string& question = asked.question;
    const bool writeSr = asked.writeSr;
    audited(audit, req, res, index, uid, audit::Action::Read, question, [&] {
      if (!index.study(uid)) return reply(res, 404, json{{"error", "no study " + uid}});
      reply(res, 200, pipeline::adHocAnswerJson(p.ask(uid, question, writeSr), writeSr));
    });
  }));
  server.Post(R"(/studies/([^/]+)/answer)", guarded([&index, audit](pipeline::AnswerPipeline& p,
                                                                    const httplib::Request& req,
                                                                    httplib::Response& res) {
    const std::string uid = studyParam(req);
    audited(audit, req, res, index, uid, audit::Action::Execute, {}, [&] {
      if (!index.study(uid)) return reply(res, 404, json{{"error", "no study " + uid}});
      reply(res, 202, json{{"study_uid", uid}, {"decision", pipeline::toString(p.answerNow(uid))}});
    });
  }));
  server.Get("/jobs", guarded([](pipeline::AnswerPipeline& p, const httplib::Request& req, httplib::Response& res) {
    std::optional<pipeline::JobState> state;
    if (req.has_param("state")) state = pipeline::parseJobState(req.get_param_value("state"));
    json jobs = json::array();
    for (const auto& job : p.jobs().jobs(state, 100, 0)) jobs.push_back(pipeline::jobJson(job));
    reply(res, 200, json{{"jobs", jobs}});
  }));
  server.Get("/deliveries", guarded([](pipeline::AnswerPipeline& p, const httplib::Request&, httplib::Response& res) {
    json out = json::array();
    if (p.outbox()) {
      for (const auto& d : p.outbox()->all(200)) out.push_back(pipeline::deliveryJson(d));
    }
    reply(res, 200, json{{"deliveries", out}});
  }));
  server.Get(R"(/jobs/(\d{1,18}))", guarded([](pipeline::AnswerPipeline& p, const httplib::Request& req,
                                              httplib::Response& res) {
    const auto job = p.jobs().job(std::stoll(req.matches[1].str()));
    if (!job) return reply(res, 404, json{{"error", "no job " + req.matches[1].str()}});
    json body = pipeline::jobJson(*job);
    if (job->state == pipeline::JobState::Done) body["answers"] = json::parse(job->resultJson)["answers"];
    reply(res, 200, body);
  }));
}

}  // namespace medvqa::scp
