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

// Whether the engine stands behind an answer. Only Answered carries an answer; the refusals are
// normal outcomes with a reason, never errors (docs/vqa-runtime.md, "Refusals").
enum class AnswerStatus {
  Answered,
  Unsupported,    // not one of the model's question types
  NotApplicable,  // a known type, but this study cannot show it (wrong modality or body part)
  Uncertain,      // the type applies, but the confidence is below the type's threshold
};

std::string_view toString(AnswerStatus status);  // "answered" "unsupported" "not_applicable" "uncertain"
AnswerStatus parseAnswerStatus(std::string_view name);  // Error(InvalidArgument)

struct Alternative {
  std::string text;
  double confidence = 0.0;

  bool operator==(const Alternative&) const = default;
};

struct Answer {
  std::string question;
  AnswerStatus status = AnswerStatus::Answered;
  std::string reason;         // why the question was not answered (empty when answered)
  std::string questionType;   // the model's question type it was resolved to ("" if none)
  bool inverse = false;       // asked with inverse polarity ("Is the heart normal?"): answer flipped
  // The answer ("yes", "left", "CT", "axial"); when Uncertain, the best guess; empty for the
  // other refusals.
  std::string text;
  double confidence = 0.0;    // 0..1 (calibrated softmax for the model; 1 for a header answer)
  std::vector<Alternative> alternatives;  // the next most likely answers, most likely first
  AnswerSource source = AnswerSource::Model;
  std::string modelName;      // the manifest's name ("dicom-header" for header answers)
  std::string modelVersion;
  std::vector<std::string> sopInstanceUids;  // the images the answer is based on (the evidence)
  std::optional<Code> code;   // the answer as a coded concept, where one is known

  bool operator==(const Answer&) const = default;
};

bool answered(const Answer& answer);

// {"question", "status", "answer" (only when answered) | "best_guess" (only when uncertain),
//  "reason" (only when not answered), "confidence", "question_type" (when resolved),
//  "polarity": "direct"|"inverse" (when resolved), "source": "model"|"header",
//  "model": {"name", "version"}, "evidence": [sop uids], "alternatives": [{"answer", "confidence"}],
//  "code": {"value", "scheme", "meaning"} (only when answered and coded)}.
// from_json reads what to_json writes; a missing "status" reads as answered (older clients).
// from_json throws Error(InvalidArgument) naming the missing or mistyped field.
void to_json(nlohmann::json& out, const Answer& answer);
void from_json(const nlohmann::json& in, Answer& answer);

}  // namespace medvqa::vqa
