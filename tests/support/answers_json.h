#pragma once

// The answers an answer SR records, from the API's JSON: the SR holds each answered question with
// its answer, confidence, evidence and model. Refused questions (unsupported, not applicable,
// uncertain) are never written into it, and neither is how the engine read the question (its
// question type and polarity), which only the API reports.

#include <nlohmann/json.hpp>

namespace medvqa::test {

inline nlohmann::json asRecordedInSr(const nlohmann::json& answers) {
  nlohmann::json recorded = nlohmann::json::array();
  for (auto answer : answers) {
    if (answer.value("status", "answered") != "answered") continue;
    answer.erase("question_type");
    answer.erase("polarity");
    recorded.push_back(std::move(answer));
  }
  return recorded;
}

}  // namespace medvqa::test
