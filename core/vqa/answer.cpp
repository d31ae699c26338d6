#include "vqa/answer.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "vqa/json_fields.h"

namespace medvqa::vqa {

using nlohmann::json;

std::string_view toString(AnswerSource source) { return source == AnswerSource::Header ? "header" : "model"; }

AnswerSource parseAnswerSource(std::string_view name) {
  if (name == "model") return AnswerSource::Model;
  if (name == "header") return AnswerSource::Header;
  throw Error(ErrorCode::InvalidArgument, "source: expected \"model\" or \"header\", got \"" + std::string(name) + "\"");
}

namespace {

constexpr std::pair<AnswerStatus, std::string_view> kStatusNames[] = {
    {AnswerStatus::Answered, "answered"},
    {AnswerStatus::Unsupported, "unsupported"},
    {AnswerStatus::NotApplicable, "not_applicable"},
    {AnswerStatus::Uncertain, "uncertain"},
};

}  // namespace

std::string_view toString(AnswerStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "answered";
}

AnswerStatus parseAnswerStatus(std::string_view name) {
  for (const auto& [value, known] : kStatusNames) {
    if (known == name) return value;
  }
  throw Error(ErrorCode::InvalidArgument,
              "status: expected answered, unsupported, not_applicable or uncertain, got \"" + std::string(name) + "\"");
}

bool answered(const Answer& answer) { return answer.status == AnswerStatus::Answered; }

// The answer's text goes under "answer" only when the engine stands behind it, so a client that
// reads "answer" can never show a refused guess as an answer.
void to_json(json& out, const Answer& answer) {
  json alternatives = json::array();
  for (const auto& alternative : answer.alternatives) {
    alternatives.push_back({{"answer", alternative.text}, {"confidence", alternative.confidence}});
  }
  out = {{"question", answer.question}, {"status", toString(answer.status)}};
  if (answer.status == AnswerStatus::Answered) out["answer"] = answer.text;
  if (answer.status == AnswerStatus::Uncertain) out["best_guess"] = answer.text;
  if (answer.status != AnswerStatus::Answered) out["reason"] = answer.reason;
  out["confidence"] = answer.confidence;
  if (!answer.questionType.empty()) {
    out["question_type"] = answer.questionType;
    out["polarity"] = answer.inverse ? "inverse" : "direct";
  }
  out["source"] = toString(answer.source);
  out["model"] = {{"name", answer.modelName}, {"version", answer.modelVersion}};
  out["evidence"] = answer.sopInstanceUids;
  out["alternatives"] = std::move(alternatives);
  if (answer.code && answer.status == AnswerStatus::Answered) out["code"] = *answer.code;
}

namespace {

std::vector<Alternative> readAlternatives(const json& in, const json_fields::Field& field) {
  using namespace json_fields;
  expectArray(in, field);
  std::vector<Alternative> alternatives;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto item = field.item(i);
    expectObject(in[i], item);
    alternatives.push_back({readString(member(in[i], item, "answer"), item.child("answer")),
                            readNumber(member(in[i], item, "confidence"), item.child("confidence"))});
  }
  return alternatives;
}

std::vector<std::string> readStrings(const json& in, const json_fields::Field& field) {
  json_fields::expectArray(in, field);
  std::vector<std::string> values;
  for (std::size_t i = 0; i < in.size(); ++i) values.push_back(json_fields::readString(in[i], field.item(i)));
  return values;
}

}  // namespace

void from_json(const json& in, Answer& answer) {
  using namespace json_fields;
  const Field root{"", ErrorCode::InvalidArgument};
  expectObject(in, {"answer object", ErrorCode::InvalidArgument});
  answer.question = readString(member(in, root, "question"), root.child("question"));
  answer.status = AnswerStatus::Answered;
  if (const json* status = optionalMember(in, "status")) {
    answer.status = parseAnswerStatus(readString(*status, root.child("status")));
  }
  answer.reason.clear();
  if (const json* reason = optionalMember(in, "reason")) answer.reason = readString(*reason, root.child("reason"), true);
  answer.questionType.clear();
  answer.inverse = false;
  if (const json* type = optionalMember(in, "question_type")) {
    answer.questionType = readString(*type, root.child("question_type"));
    if (const json* polarity = optionalMember(in, "polarity")) {
      answer.inverse = readString(*polarity, root.child("polarity")) == "inverse";
    }
  }
  switch (answer.status) {
    case AnswerStatus::Answered:
      answer.text = readString(member(in, root, "answer"), root.child("answer"));
      break;
    case AnswerStatus::Uncertain:
      answer.text = readString(member(in, root, "best_guess"), root.child("best_guess"));
      break;
    default:
      answer.text.clear();
  }
  answer.confidence = readNumber(member(in, root, "confidence"), root.child("confidence"));
  if (answer.confidence < 0.0 || answer.confidence > 1.0) root.child("confidence").fail("must be within [0, 1]");
  answer.source = parseAnswerSource(readString(member(in, root, "source"), root.child("source")));
  const Field model = root.child("model");
  const json& modelJson = member(in, root, "model");
  expectObject(modelJson, model);
  answer.modelName = readString(member(modelJson, model, "name"), model.child("name"));
  answer.modelVersion = readString(member(modelJson, model, "version"), model.child("version"), true);
  answer.sopInstanceUids = readStrings(member(in, root, "evidence"), root.child("evidence"));
  answer.alternatives = readAlternatives(member(in, root, "alternatives"), root.child("alternatives"));
  answer.code.reset();
  if (const json* code = optionalMember(in, "code")) answer.code = readCode(*code, root.child("code"));
}

}  // namespace medvqa::vqa
