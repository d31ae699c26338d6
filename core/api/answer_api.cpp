#include "api/answer_api.h"

#include <nlohmann/json.hpp>

#include "audit/api_events.h"
#include "audit/audit_trail.h"
#include "metrics/metrics.h"
#include "pipeline/answer_pipeline.h"
#include "pipeline/api_json.h"
#include "vqa/engine.h"
#include "vqa/manifest.h"
#include "vqa/model.h"

namespace medvqa::api {
namespace {

using nlohmann::json;

Reply noStudy(const std::string& uid) {
  return Reply::error(404, "no study " + uid);
}

const RouteIndex& answerRouteIndex() {
  static const RouteIndex index = RouteIndex().add(kAnswerRoutes);
  return index;
}

}  // namespace

void ApiAudit::record(const audit::AuditEvent& event) const noexcept {
  if (trail) trail->record(event);
}

AnswerApi::AnswerApi(Parts parts) : parts_(std::move(parts)) {
  if (!parts_.studies) throw Error(ErrorCode::Config, "the answer API needs a study directory");
}

// Runs `handle` (which replies) and records who asked what about the study and how it ended:
// a 2xx reply is a success, another reply a minor failure (an unknown study), an exception a
// serious failure (and goes on to be translated into the reply).
template <typename Handle>
Reply AnswerApi::audited(const Request& request, const StudyLookup& study, audit::Action action,
                         const std::string& question, Handle handle) const {
  if (!parts_.audit) return handle();
  const auto record = [&](audit::Outcome outcome, const std::string& why) {
    const audit::StudyRef ref = study.study ? *study.study : audit::StudyRef{study.uid, {}, {}, {}};
    const audit::HttpClient client{request.caller.subject, request.caller.remoteAddress};
    parts_.audit.record(audit::studyQuestioned(client, parts_.audit.nodeAet, ref, action, question, outcome, why));
  };
  Reply reply;
  try {
    reply = handle();
  } catch (const std::exception& e) {
    record(audit::Outcome::SeriousFailure, e.what());
    throw;
  }
  const bool ok = reply.status >= 200 && reply.status < 300;
  record(ok ? audit::Outcome::Success : audit::Outcome::MinorFailure, ok ? "" : "HTTP " + std::to_string(reply.status));
  return reply;
}

Reply AnswerApi::answers(const Request& request) const {
  if (!parts_.pipeline) return Reply::error(503, parts_.unavailable);
  const StudyLookup study = parts_.studies->find(request.pathParams.at(0));
  if (!study.study) return noStudy(study.uid);
  return Reply::json(200, pipeline::studyAnswersJson(study.uid, parts_.pipeline->answersFor(study.uid)));
}

Reply AnswerApi::questions(const Request& request) const {
  if (!parts_.pipeline) return Reply::error(503, parts_.unavailable);
  // The body first: a refused question costs no study lookup.
  const auto asked = pipeline::parseQuestionRequest(request.body);
  const StudyLookup study = parts_.studies->find(request.pathParams.at(0));
  return audited(request, study, audit::Action::Read, asked.question, [&] {
    if (!study.study) return noStudy(study.uid);
    if (parts_.metrics) parts_.metrics->questionAsked();
    const auto answer = parts_.pipeline->ask(study.uid, asked.question, asked.writeSr);
    return Reply::json(200, pipeline::adHocAnswerJson(answer, asked.writeSr));
  });
}

Reply AnswerApi::answerNow(const Request& request) const {
  if (!parts_.pipeline) return Reply::error(503, parts_.unavailable);
  const StudyLookup study = parts_.studies->find(request.pathParams.at(0));
  return audited(request, study, audit::Action::Execute, {}, [&] {
    if (!study.study) return noStudy(study.uid);
    const std::string decision = pipeline::toString(parts_.pipeline->answerNow(study.uid));
    if (parts_.metrics) parts_.metrics->stableStudy(decision);
    return Reply::json(202, json{{"study_uid", study.uid}, {"decision", decision}});
  });
}

Reply AnswerApi::jobs(const Request& request) const {
  if (!parts_.pipeline) return Reply::error(503, parts_.unavailable);
  std::optional<pipeline::JobState> state;
  if (const std::string* name = request.queryParam("state")) state = pipeline::parseJobState(*name);
  json jobs = json::array();
  for (const auto& job : parts_.pipeline->jobs().jobs(state, 100, 0)) jobs.push_back(pipeline::jobJson(job));
  return Reply::json(200, json{{"jobs", std::move(jobs)}});
}

Reply AnswerApi::job(const Request& request) const {
  if (!parts_.pipeline) return Reply::error(503, parts_.unavailable);
  const std::string& id = request.pathParams.at(0);  // 1 to 18 digits (the route's pattern)
  const auto job = parts_.pipeline->jobs().job(std::stoll(id));
  if (!job) return Reply::error(404, "no job " + id);
  json body = pipeline::jobJson(*job);
  if (job->state == pipeline::JobState::Done) body["answers"] = json::parse(job->resultJson)["answers"];
  return Reply::json(200, body);
}

Reply AnswerApi::deliveries(const Request&) const {
  if (!parts_.pipeline) return Reply::error(503, parts_.unavailable);
  json out = json::array();
  if (const auto* outbox = parts_.pipeline->outbox()) {
    for (const auto& d : outbox->all(200)) out.push_back(pipeline::deliveryJson(d));
  }
  return Reply::json(200, json{{"deliveries", std::move(out)}});
}

Reply AnswerApi::models(const Request&) const {
  if (!parts_.pipeline) return Reply::error(503, parts_.unavailable);
  const vqa::Model& model = parts_.pipeline->engine().model();
  const vqa::Manifest& manifest = model.manifest();
  json types = json::array();
  for (const auto& t : manifest.questionTypes) types.push_back(t.name);
  return Reply::json(200, json{{"models", json::array({{{"name", manifest.name},
                                                        {"version", manifest.version},
                                                        {"device", model.device()},
                                                        {"folder", parts_.modelFolder.string()},
                                                        {"question_types", types},
                                                        {"answer_count", manifest.answers.size()}}})}});
}

Reply AnswerApi::dispatch(std::string_view method, const std::string& path, Request request) const {
  const auto found = answerRouteIndex().match(method, path);
  if (!found) return Reply::error(404, "no such route");
  request.method = std::string(method);
  request.pathParams = found->pathParams;
  return call(*this, kAnswerRoutes[found->index], request);
}

}  // namespace medvqa::api
