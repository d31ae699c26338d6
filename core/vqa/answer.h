#pragma once

// One answer to one question about one study: what the SR writer, `medvqa ask --json`, the
// node's HTTP API and `medvqa eval` all exchange.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vqa/code.h"

namespace medvqa::vqa {

// Where an answer came from: the model, or a DICOM attribute that gives it exactly.
enum class AnswerSource { Model, Header };

std::string_view toString(AnswerSource source);
AnswerSource parseAnswerSource(std::string_view name);  // "model" | "header"; Error(InvalidArgument)

struct Alternative {
  std::string text;
  double confidence = 0.0;

  bool operator==(const Alternative&) const = default;
};

struct Answer {
  std::string question;
  std::string text;           // the answer ("yes", "left", "CT", "axial")
  double confidence = 0.0;    // 0..1 (calibrated softmax for the model; 1 for a header answer)
  std::vector<Alternative> alternatives;  // the next most likely answers, most likely first
  AnswerSource source = AnswerSource::Model;
  std::string modelName;      // the manifest's name ("dicom-header" for header answers)
  std::string modelVersion;
  std::vector<std::string> sopInstanceUids;  // the images the answer is based on (the evidence)
  std::optional<Code> code;   // the answer as a coded concept, where one is known

  bool operator==(const Answer&) const = default;
};

// {"question", "answer", "confidence", "source": "model"|"header",
//  "model": {"name", "version"}, "evidence": [sop uids], "alternatives": [{"answer", "confidence"}],
//  "code": {"value", "scheme", "meaning"} (only when present)}.
// from_json throws Error(InvalidArgument) naming the missing or mistyped field.
void to_json(nlohmann::json& out, const Answer& answer);
void from_json(const nlohmann::json& in, Answer& answer);

}  // namespace medvqa::vqa
