#include "pipeline/api_json.h"

#include "common/error.h"

namespace medvqa::pipeline {

using nlohmann::json;

namespace {

json orNull(const std::string& value) { return value.empty() ? json(nullptr) : json(value); }

}  // namespace

QuestionRequest parseQuestionRequest(std::string_view body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    throw Error(ErrorCode::InvalidArgument, "body must be JSON: {\"question\": \"...\", \"sr\": false}");
  }
  if (!j.is_object() || !j.contains("question") || !j["question"].is_string()) {
    throw Error(ErrorCode::InvalidArgument, "'question' must be a string");
  }
  QuestionRequest request{j["question"].get<std::string>(), false};
  if (request.question.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw Error(ErrorCode::InvalidArgument, "'question' is empty");
  }
  if (request.question.size() > kMaxQuestionChars) {
    throw Error(ErrorCode::InvalidArgument,
                "'question' is longer than " + std::to_string(kMaxQuestionChars) + " characters");
  }
  if (j.contains("sr")) {
    if (!j["sr"].is_boolean()) throw Error(ErrorCode::InvalidArgument, "'sr' must be true or false");
    request.writeSr = j["sr"].get<bool>();
  }
  return request;
}

json jobJson(const Job& job) {
  json j = {{"id", job.id},
            {"study_uid", job.key.studyUid},
            {"rule_set", job.key.ruleSet},
            {"model", job.key.modelVersion},
            {"state", toString(job.state)},
            {"attempts", job.attempts},
            {"created_at_ms", job.createdAtMs},
            {"updated_at_ms", job.updatedAtMs},
            {"error", orNull(job.lastError)},
            {"sr_sop_instance_uid", orNull(job.srSopInstanceUid)}};
  if (job.state == JobState::Pending && job.attempts > 0) j["next_attempt_at_ms"] = job.nextAttemptAtMs;
  return j;
}

json studyAnswersJson(const std::string& studyUid, const StudyAnswers& answers) {
  json body = {{"study_uid", studyUid}, {"state", answers.state}, {"rule", answers.rule}, {"answers", answers.answers}};
  body["job"] = answers.job ? jobJson(*answers.job) : json(nullptr);
  body["sr_sop_instance_uid"] = orNull(answers.srSopInstanceUid);
  return body;
}

json adHocAnswerJson(const AdHocAnswer& answer, bool writeSr) {
  json body = answer.answer;
  if (!writeSr) return body;
  if (answer.srSopInstanceUid.empty()) {
    body["sr_sop_instance_uid"] = nullptr;
    body["sr_not_written"] = "the question was not answered (" + body["status"].get<std::string>() + "): only answers go into an SR";
  } else {
    body["sr_sop_instance_uid"] = answer.srSopInstanceUid;
  }
  return body;
}

json deliveryJson(const Delivery& d) {
  return {{"id", d.id},
          {"sop_instance_uid", d.sopInstanceUid},
          {"destination", d.destination},
          {"state", toString(d.state)},
          {"attempts", d.attempts},
          {"next_attempt_at_ms", d.nextAttemptAtMs},
          {"error", orNull(d.lastError)}};
}

}  // namespace medvqa::pipeline
