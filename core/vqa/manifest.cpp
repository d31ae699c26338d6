#include "vqa/manifest.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "vqa/json_fields.h"
#include "vqa/tokenizer.h"

namespace medvqa::vqa {

using nlohmann::json;
using namespace json_fields;

namespace {

constexpr std::string_view kKnownMethods[] = {"forward", "encode_image", "answer", "understand"};
constexpr int kLatestFormat = 2;

Field fieldOf(std::string_view name) { return {std::string(name), ErrorCode::Config}; }

Combine parseCombine(const std::string& name, const Field& field) {
  if (name == "max_confidence") return Combine::MaxConfidence;
  if (name == "majority") return Combine::Majority;
  field.fail("expected \"max_confidence\" or \"majority\", got \"" + name + "\"");
}

imaging::WindowDefault parseWindow(const json& window, const Field& field) {
  expectObject(window, field);
  imaging::WindowDefault result;
  result.center = readNumber(member(window, field, "center"), field.child("center"));
  result.width = readNumber(member(window, field, "width"), field.child("width"));
  if (result.width < 1.0) field.child("width").fail("must be at least 1");
  return result;
}

std::map<std::string, imaging::WindowDefault> parseWindows(const json& windows, const Field& field) {
  expectObject(windows, field);
  std::map<std::string, imaging::WindowDefault> result;
  for (const auto& [modality, value] : windows.items()) {
    if (modality == "default") {
      // Only the image's own range is implemented as the fallback.
      if (readString(value, field.child("default")) != "minmax") field.child("default").fail("must be \"minmax\"");
      continue;
    }
    result[modality] = parseWindow(value, field.child(modality));
  }
  return result;
}

imaging::SelectionPolicy parseSelection(const json& selection, const Field& field) {
  expectObject(selection, field);
  imaging::SelectionPolicy result;
  const auto policyField = field.child("policy");
  const auto policyName = readString(member(selection, field, "policy"), policyField);
  try {
    result.policy = imaging::parseSlicePolicy(policyName);
  } catch (const Error&) {
    policyField.fail("expected \"middle\", \"even\" or \"all\", got \"" + policyName + "\"");
  }
  if (const json* count = optionalMember(selection, "count")) {
    result.count = static_cast<int>(readInt(*count, field.child("count"), 1, 1024));
  }
  if (const json* cap = optionalMember(selection, "cap")) {
    result.cap = static_cast<int>(readInt(*cap, field.child("cap"), 1, 1024));
  }
  return result;
}

std::vector<std::string> parseMethods(const json& methods, const Field& field) {
  expectArray(methods, field);
  std::vector<std::string> result;
  for (std::size_t i = 0; i < methods.size(); ++i) {
    auto name = readString(methods[i], field.item(i));
    if (std::find(std::begin(kKnownMethods), std::end(kKnownMethods), name) == std::end(kKnownMethods)) {
      field.item(i).fail("unknown method \"" + name + "\" (forward, encode_image, answer, understand)");
    }
    if (std::find(result.begin(), result.end(), name) != result.end()) field.item(i).fail("duplicate \"" + name + "\"");
    result.push_back(std::move(name));
  }
  if (std::find(result.begin(), result.end(), "forward") == result.end()) field.fail("must list \"forward\"");
  const bool encodes = std::find(result.begin(), result.end(), "encode_image") != result.end();
  const bool answers = std::find(result.begin(), result.end(), "answer") != result.end();
  if (answers && !encodes) field.fail("\"answer\" needs \"encode_image\" (it takes its features)");
  return result;
}

double parseTemperature(const json& manifest) {
  const json* calibration = optionalMember(manifest, "calibration");
  if (calibration == nullptr) return 1.0;
  const Field field = fieldOf("calibration");
  expectObject(*calibration, field);
  const json* temperature = optionalMember(*calibration, "temperature");
  if (temperature == nullptr) return 1.0;
  double value = readNumber(*temperature, field.child("temperature"));
  if (value <= 0.0) field.child("temperature").fail("must be greater than 0");
  return value;
}

std::string parseModulePath(const json& manifest) {
  const json* module = optionalMember(manifest, "module");
  if (module == nullptr) return "model.pt";
  auto path = readString(*module, fieldOf("module"));
  // The module must live inside the model folder.
  const std::filesystem::path relative(path);
  if (relative.is_absolute() || std::any_of(relative.begin(), relative.end(), [](const auto& p) { return p == ".."; })) {
    fieldOf("module").fail("must be a path inside the model folder, got \"" + path + "\"");
  }
  return path;
}

void parseFeatureSize(const json& in, Manifest& manifest) {
  const json* featureSize = optionalMember(in, "feature_size");
  if (featureSize != nullptr) manifest.featureSize = static_cast<int>(readInt(*featureSize, fieldOf("feature_size"), 1, 1 << 20));
  if (manifest.hasMethod("encode_image") && featureSize == nullptr) {
    fieldOf("feature_size").fail("missing (required with method \"encode_image\")");
  }
}

std::vector<std::string> readStringList(const json& in, const Field& field, bool upperCase) {
  expectArray(in, field);
  std::vector<std::string> values;
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto value = readString(in[i], field.item(i));
    if (upperCase) std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::toupper(c); });
    values.push_back(std::move(value));
  }
  return values;
}

std::vector<Applicability> parseAppliesTo(const json& in, const Field& field) {
  expectArray(in, field);
  std::vector<Applicability> result;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const Field item = field.item(i);
    expectObject(in[i], item);
    Applicability entry;
    if (const json* modality = optionalMember(in[i], "modality")) entry.modalities = readStringList(*modality, item.child("modality"), true);
    if (const json* part = optionalMember(in[i], "body_part")) entry.bodyParts = readStringList(*part, item.child("body_part"), true);
    result.push_back(std::move(entry));
  }
  return result;
}

void parseFormatTwoFields(const json& in, const Field& item, QuestionType& type) {
  if (const json* question = optionalMember(in, "question")) type.question = readString(*question, item.child("question"));
  if (const json* answers = optionalMember(in, "answers")) {
    type.answers = readStringList(*answers, item.child("answers"), false);
    if (type.answers.empty()) item.child("answers").fail("must list at least one answer");
  }
  if (const json* anatomy = optionalMember(in, "anatomy")) type.anatomy = readString(*anatomy, item.child("anatomy"), true);
  if (const json* appliesTo = optionalMember(in, "applies_to")) type.appliesTo = parseAppliesTo(*appliesTo, item.child("applies_to"));
  if (const json* threshold = optionalMember(in, "threshold")) {
    type.threshold = readNumber(*threshold, item.child("threshold"));
    if (type.threshold < 0.0 || type.threshold > 1.0) item.child("threshold").fail("must be within [0, 1]");
  }
}

std::optional<UnderstandingConfig> parseUnderstanding(const json& in, const Manifest& manifest) {
  const json* section = optionalMember(in, "understanding");
  const bool exported = manifest.hasMethod("understand");
  if (section != nullptr && !exported) fieldOf("understanding").fail("needs method \"understand\" in \"methods\"");
  if (!exported) return std::nullopt;
  UnderstandingConfig config;
  if (section == nullptr) return config;
  const Field field = fieldOf("understanding");
  expectObject(*section, field);
  if (const json* t = optionalMember(*section, "temperature")) {
    config.temperature = readNumber(*t, field.child("temperature"));
    if (config.temperature <= 0.0) field.child("temperature").fail("must be greater than 0");
  }
  if (const json* c = optionalMember(*section, "min_confidence")) {
    config.minConfidence = readNumber(*c, field.child("min_confidence"));
    if (config.minConfidence < 0.0 || config.minConfidence > 1.0) field.child("min_confidence").fail("must be within [0, 1]");
  }
  return config;
}

// Each type's answer space must name answers the model has, and inverse polarity needs yes/no.
void checkAnswerSpaces(const Manifest& manifest) {
  for (std::size_t t = 0; t < manifest.questionTypes.size(); ++t) {
    const auto& type = manifest.questionTypes[t];
    const Field field = fieldOf("question_types").item(t).child("answers");
    for (const auto& answer : type.answers) {
      if (!manifest.answerIndex(answer)) field.fail("\"" + answer + "\" is not one of the model's answers");
    }
  }
}

}  // namespace

std::string_view toString(Combine combine) { return combine == Combine::MaxConfidence ? "max_confidence" : "majority"; }

bool Manifest::hasMethod(std::string_view method) const {
  return std::find(methods.begin(), methods.end(), method) != methods.end();
}

std::optional<std::size_t> Manifest::questionTypeIndex(std::string_view name) const {
  for (std::size_t i = 0; i < questionTypes.size(); ++i) {
    if (questionTypes[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> Manifest::answerIndex(std::string_view text) const {
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (answers[i].text == text) return i;
  }
  return std::nullopt;
}

TokenizerConfig parseTokenizer(const json& in, std::string_view name) {
  const Field field = fieldOf(name);
  expectObject(in, field);
  TokenizerConfig config;
  config.type = readString(member(in, field, "type"), field.child("type"));
  if (const json* lowercase = optionalMember(in, "lowercase")) config.lowercase = readBool(*lowercase, field.child("lowercase"));
  config.maxLength = static_cast<int>(readInt(member(in, field, "max_length"), field.child("max_length"), 1, 4096));
  const Field vocabularyField = field.child("vocabulary");
  const json& vocabulary = member(in, field, "vocabulary");
  expectArray(vocabulary, vocabularyField);
  config.vocabulary.clear();
  for (std::size_t i = 0; i < vocabulary.size(); ++i) config.vocabulary.push_back(readString(vocabulary[i], vocabularyField.item(i)));
  const Field ngramField = field.child("ngram");
  const json& ngram = member(in, field, "ngram");
  expectObject(ngram, ngramField);
  config.ngramN = static_cast<int>(readInt(member(ngram, ngramField, "n"), ngramField.child("n"), 1, 16));
  config.buckets = static_cast<std::uint32_t>(
      readInt(member(ngram, ngramField, "buckets"), ngramField.child("buckets"), 1, 1 << 24));
  validate(config, name);
  return config;
}

std::vector<AnswerEntry> parseAnswers(const json& in, std::string_view name) {
  const Field field = fieldOf(name);
  expectArray(in, field);
  if (in.empty()) field.fail("must list at least one answer");
  std::vector<AnswerEntry> answers;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const Field item = field.item(i);
    expectObject(in[i], item);
    AnswerEntry entry;
    entry.text = readString(member(in[i], item, "text"), item.child("text"));
    if (!seen.insert(entry.text).second) item.child("text").fail("duplicate answer \"" + entry.text + "\"");
    if (const json* code = optionalMember(in[i], "code")) entry.code = readCode(*code, item.child("code"));
    answers.push_back(std::move(entry));
  }
  return answers;
}

std::vector<QuestionType> parseQuestionTypes(const json& in, std::string_view name) {
  const Field field = fieldOf(name);
  expectArray(in, field);
  std::vector<QuestionType> types;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const Field item = field.item(i);
    expectObject(in[i], item);
    QuestionType type;
    type.name = readString(member(in[i], item, "name"), item.child("name"));
    if (!seen.insert(type.name).second) item.child("name").fail("duplicate question type \"" + type.name + "\"");
    type.closed = readBool(member(in[i], item, "closed"), item.child("closed"));
    type.combine = parseCombine(readString(member(in[i], item, "combine"), item.child("combine")), item.child("combine"));
    parseFormatTwoFields(in[i], item, type);
    types.push_back(std::move(type));
  }
  return types;
}

void parseInput(const json& in, imaging::ImageSpec& spec, imaging::SelectionPolicy& selection, std::string_view name) {
  const Field field = fieldOf(name);
  expectObject(in, field);
  spec.channels = static_cast<int>(readInt(member(in, field, "channels"), field.child("channels"), 1, 3));
  if (spec.channels == 2) field.child("channels").fail("must be 1 or 3, got 2");
  spec.height = static_cast<int>(readInt(member(in, field, "height"), field.child("height"), 1, 8192));
  spec.width = static_cast<int>(readInt(member(in, field, "width"), field.child("width"), 1, 8192));
  spec.mean = static_cast<float>(readNumber(member(in, field, "mean"), field.child("mean")));
  spec.std = static_cast<float>(readNumber(member(in, field, "std"), field.child("std")));
  if (spec.std <= 0.0f) field.child("std").fail("must be greater than 0");
  spec.windowByModality.clear();
  if (const json* window = optionalMember(in, "window")) spec.windowByModality = parseWindows(*window, field.child("window"));
  selection = {};
  if (const json* policy = optionalMember(in, "selection")) selection = parseSelection(*policy, field.child("selection"));
}

Manifest parseManifest(const json& in) {
  expectObject(in, fieldOf("manifest"));
  Manifest manifest;
  manifest.format = static_cast<int>(readInt(member(in, fieldOf(""), "format"), fieldOf("format"), 1, kLatestFormat));
  manifest.name = readString(member(in, fieldOf(""), "name"), fieldOf("name"));
  manifest.version = readString(member(in, fieldOf(""), "version"), fieldOf("version"));
  manifest.module = parseModulePath(in);
  parseInput(member(in, fieldOf(""), "input"), manifest.input, manifest.selection);
  manifest.tokenizer = parseTokenizer(member(in, fieldOf(""), "tokenizer"));
  manifest.answers = parseAnswers(member(in, fieldOf(""), "answers"));
  manifest.questionTypes = parseQuestionTypes(member(in, fieldOf(""), "question_types"));
  manifest.methods = parseMethods(member(in, fieldOf(""), "methods"), fieldOf("methods"));
  parseFeatureSize(in, manifest);
  manifest.temperature = parseTemperature(in);
  manifest.understanding = parseUnderstanding(in, manifest);
  checkAnswerSpaces(manifest);
  return manifest;
}

Manifest loadManifest(const std::filesystem::path& folderOrFile) {
  const auto file = std::filesystem::is_directory(folderOrFile) ? folderOrFile / "manifest.json" : folderOrFile;
  std::ifstream stream(file);
  if (!stream) throw Error(ErrorCode::NotFound, "model manifest not found: " + file.string());
  json document;
  try {
    document = json::parse(stream);
  } catch (const json::exception& e) {
    throw Error(ErrorCode::Config, file.string() + ": not valid JSON (" + e.what() + ")");
  }
  try {
    return parseManifest(document);
  } catch (const Error& e) {
    throw Error(e.code(), file.string() + ": " + e.what());
  }
}

json toJson(const TokenizerConfig& tokenizer) {
  return {{"type", tokenizer.type},
          {"lowercase", tokenizer.lowercase},
          {"max_length", tokenizer.maxLength},
          {"vocabulary", tokenizer.vocabulary},
          {"ngram", {{"n", tokenizer.ngramN}, {"buckets", tokenizer.buckets}}}};
}

json toJson(const imaging::ImageSpec& input, const imaging::SelectionPolicy& selection) {
  json window = {{"default", "minmax"}};
  for (const auto& [modality, value] : input.windowByModality) {
    window[modality] = {{"center", value.center}, {"width", value.width}};
  }
  return {{"channels", input.channels},
          {"height", input.height},
          {"width", input.width},
          {"mean", input.mean},
          {"std", input.std},
          {"window", std::move(window)},
          {"selection", {{"policy", imaging::toString(selection.policy)}, {"count", selection.count}, {"cap", selection.cap}}}};
}

json toJson(const std::vector<AnswerEntry>& answers) {
  json out = json::array();
  for (const auto& answer : answers) {
    json entry = {{"text", answer.text}};
    if (answer.code) entry["code"] = *answer.code;
    out.push_back(std::move(entry));
  }
  return out;
}

json toJson(const std::vector<QuestionType>& questionTypes) {
  json out = json::array();
  for (const auto& type : questionTypes) {
    json entry = {{"name", type.name}, {"closed", type.closed}, {"combine", toString(type.combine)}};
    if (!type.question.empty()) entry["question"] = type.question;
    if (!type.answers.empty()) entry["answers"] = type.answers;
    if (!type.anatomy.empty()) entry["anatomy"] = type.anatomy;
    if (!type.appliesTo.empty()) {
      json appliesTo = json::array();
      for (const auto& a : type.appliesTo) {
        json item = json::object();
        if (!a.modalities.empty()) item["modality"] = a.modalities;
        if (!a.bodyParts.empty()) item["body_part"] = a.bodyParts;
        appliesTo.push_back(std::move(item));
      }
      entry["applies_to"] = std::move(appliesTo);
    }
    if (type.threshold > 0.0) entry["threshold"] = type.threshold;
    out.push_back(std::move(entry));
  }
  return out;
}

json toJson(const Manifest& manifest) {
  json out = {{"format", manifest.format},
              {"name", manifest.name},
              {"version", manifest.version},
              {"module", manifest.module},
              {"input", toJson(manifest.input, manifest.selection)},
              {"tokenizer", toJson(manifest.tokenizer)},
              {"answers", toJson(manifest.answers)},
              {"question_types", toJson(manifest.questionTypes)},
              {"methods", manifest.methods},
              {"calibration", {{"temperature", manifest.temperature}}}};
  if (manifest.featureSize > 0) out["feature_size"] = manifest.featureSize;
  if (manifest.understanding) {
    out["understanding"] = {{"temperature", manifest.understanding->temperature},
                            {"min_confidence", manifest.understanding->minConfidence}};
  }
  return out;
}

}  // namespace medvqa::vqa
