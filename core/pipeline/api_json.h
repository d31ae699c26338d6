#pragma once

// The answer API's JSON, shared by both front doors (the node's HTTP API and the Orthanc
// plugin's /medvqa routes), so that a client sees one shape whichever door it talks to.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "pipeline/answer_pipeline.h"
#include "pipeline/delivery_queue.h"
#include "pipeline/job_queue.h"

namespace medvqa::pipeline {

inline constexpr std::size_t kMaxQuestionChars = 500;

// {"question": "...", "sr": false}, the body of POST .../questions.
struct QuestionRequest {
  std::string question;
  bool writeSr = false;
};
// Error(InvalidArgument) for a body that is not JSON, a missing/empty/too long question, or a
// non-boolean "sr".
QuestionRequest parseQuestionRequest(std::string_view body);

// {"id", "study_uid", "rule_set", "model", "state", "attempts", "created_at_ms", "updated_at_ms",
//  "error", "sr_sop_instance_uid"[, "next_attempt_at_ms" while a retry waits]}.
nlohmann::json jobJson(const Job& job);
// {"study_uid", "state", "rule", "answers", "job", "sr_sop_instance_uid"}.
nlohmann::json studyAnswersJson(const std::string& studyUid, const StudyAnswers& answers);
// The answer (vqa::Answer's JSON), with "sr_sop_instance_uid" when an SR was asked for.
nlohmann::json adHocAnswerJson(const AdHocAnswer& answer, bool writeSr);
// {"id", "sop_instance_uid", "destination", "state", "attempts", "next_attempt_at_ms", "error"}.
nlohmann::json deliveryJson(const Delivery& delivery);

}  // namespace medvqa::pipeline
