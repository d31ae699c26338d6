#include "vqa/question_understanding.h"

#include <algorithm>

#include "vqa/reason_text.h"

namespace medvqa::vqa {

QuestionUnderstanding::QuestionUnderstanding(const Model& model, const QuestionRouter& router)
    : model_(model), router_(router) {}

Understanding QuestionUnderstanding::understand(std::string_view question) const {
  const std::string questions[] = {std::string(question)};
  return understand(questions).front();
}

std::vector<Understanding> QuestionUnderstanding::understand(std::span<const std::string> questions) const {
  std::vector<Understanding> result(questions.size());
  std::vector<std::size_t> forModel;
  std::vector<std::vector<std::int64_t>> tokens;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    if (auto attribute = router_.route(questions[i])) {
      result[i].kind = Understanding::Kind::Header;
      result[i].attribute = attribute;
      result[i].confidence = 1.0;
    } else if (!model_.understands()) {
      result[i].kind = Understanding::Kind::Unscreened;
    } else {
      forModel.push_back(i);
      tokens.push_back(model_.tokenizer().encode(questions[i]));
    }
  }
  if (forModel.empty()) return result;
  const std::vector<std::span<const std::int64_t>> rows(tokens.begin(), tokens.end());
  const auto readings = model_.understand(rows);
  for (std::size_t k = 0; k < forModel.size(); ++k) result[forModel[k]] = fromReading(readings[k]);
  return result;
}

// The most probable of the types and "none" wins; a type also needs the calibrated minimum
// confidence, so a question the model only half recognises is refused rather than guessed at.
Understanding QuestionUnderstanding::fromReading(const QuestionReading& reading) const {
  const auto& manifest = model_.manifest();
  const auto& p = reading.typeProbabilities;
  const auto best = static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
  const std::size_t none = manifest.questionTypes.size();
  Understanding u;
  u.confidence = p[best];
  if (best == none || p[best] < manifest.understanding->minConfidence) {
    std::size_t closest = 0;
    for (std::size_t t = 1; t < none; ++t) {
      if (p[t] > p[closest]) closest = t;
    }
    u.kind = Understanding::Kind::Unsupported;
    u.reason = unsupportedReason(none == 0 ? "" : manifest.questionTypes[closest].name, none == 0 ? 0.0 : p[closest]);
    return u;
  }
  u.kind = Understanding::Kind::ModelType;
  u.type = best;
  u.inverse = manifest.questionTypes[best].closed && reading.inverseProbability > 0.5f;
  return u;
}

std::string QuestionUnderstanding::unsupportedReason(std::string_view closest, double confidence) const {
  const auto& manifest = model_.manifest();
  std::string reason = "not a question " + manifest.name + " " + manifest.version + " answers; it answers:";
  for (std::size_t t = 0; t < manifest.questionTypes.size(); ++t) {
    reason += (t == 0 ? " " : ", ") + spokenTypeName(manifest.questionTypes[t].name);
  }
  if (!closest.empty()) reason += " (closest: " + spokenTypeName(closest) + ", p=" + twoDecimals(confidence) + ")";
  return reason;
}

}  // namespace medvqa::vqa
