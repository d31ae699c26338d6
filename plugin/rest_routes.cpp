#include "rest_routes.h"

#include <nlohmann/json.hpp>

#include "pipeline/api_json.h"
#include "vqa/engine.h"
#include "vqa/manifest.h"
#include "vqa/model.h"

namespace medvqa::plugin {

using nlohmann::json;

pipeline::AnswerPipeline& RestRoutes::requirePipeline() {
  if (!plugin_.pipeline()) throw Error(ErrorCode::Config, plugin_.unavailable());
  return *plugin_.pipeline();
}

std::string RestRoutes::studyUid(const HttpRequest& request) const {
  const std::string& id = request.groups.at(0);
  if (!isOrthancId(id)) {
    throw Error(ErrorCode::InvalidArgument, "'" + id.substr(0, 64) + "' is not an Orthanc study id");
  }
  const auto uid = plugin_.studyUidOf(id);
  if (!uid) throw Error(ErrorCode::NotFound, "no study " + id);
  return *uid;
}

HttpReply RestRoutes::ask(const HttpRequest& request) {
  auto& pipeline = requirePipeline();
  const auto question = pipeline::parseQuestionRequest(request.body);
  const std::string uid = studyUid(request);
  plugin_.metrics().questionAsked();
  const auto answer = pipeline.ask(uid, question.question, question.writeSr);
  return HttpReply::json(200, pipeline::adHocAnswerJson(answer, question.writeSr));
}

HttpReply RestRoutes::answers(const HttpRequest& request) {
  auto& pipeline = requirePipeline();
  const std::string uid = studyUid(request);
  return HttpReply::json(200, pipeline::studyAnswersJson(uid, pipeline.answersFor(uid)));
}

HttpReply RestRoutes::answerNow(const HttpRequest& request) {
  auto& pipeline = requirePipeline();
  const std::string uid = studyUid(request);
  const auto decision = pipeline.answerNow(uid);
  plugin_.metrics().stableStudy(pipeline::toString(decision));
  return HttpReply::json(202, {{"study_uid", uid}, {"decision", pipeline::toString(decision)}});
}

HttpReply RestRoutes::jobs(const HttpRequest& request) {
  auto& pipeline = requirePipeline();
  std::optional<pipeline::JobState> state;
  if (const auto it = request.params.find("state"); it != request.params.end()) {
    state = pipeline::parseJobState(it->second);
  }
  json jobs = json::array();
  for (const auto& job : pipeline.jobs().jobs(state, 100, 0)) jobs.push_back(pipeline::jobJson(job));
  return HttpReply::json(200, {{"jobs", jobs}});
}

HttpReply RestRoutes::job(const HttpRequest& request) {
  auto& pipeline = requirePipeline();
  const auto job = pipeline.jobs().job(std::stoll(request.groups.at(0)));
  if (!job) throw Error(ErrorCode::NotFound, "no job " + request.groups.at(0));
  json body = pipeline::jobJson(*job);
  if (job->state == pipeline::JobState::Done) body["answers"] = json::parse(job->resultJson)["answers"];
  return HttpReply::json(200, body);
}

HttpReply RestRoutes::deliveries(const HttpRequest&) {
  requirePipeline();
  json out = json::array();
  for (const auto& d : plugin_.outbox().all(200)) out.push_back(pipeline::deliveryJson(d));
  return HttpReply::json(200, {{"deliveries", out}});
}

HttpReply RestRoutes::models(const HttpRequest&) {
  const vqa::Model& model = requirePipeline().engine().model();
  const vqa::Manifest& manifest = model.manifest();
  json types = json::array();
  for (const auto& t : manifest.questionTypes) types.push_back(t.name);
  return HttpReply::json(200, {{"models", json::array({{{"name", manifest.name},
                                                         {"version", manifest.version},
                                                         {"device", model.device()},
                                                         {"folder", plugin_.config().modelFolder.string()},
                                                         {"question_types", types},
                                                         {"answer_count", manifest.answers.size()}}})}});
}

HttpReply RestRoutes::metrics(const HttpRequest&) {
  return {200, plugin_.scrape(), "text/plain; version=0.0.4"};
}

}  // namespace medvqa::plugin
