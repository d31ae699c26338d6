#include "pipeline/rules.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace medvqa::pipeline {
namespace {

using nlohmann::json;

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

bool anyOf(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool patternMatches(const std::optional<Pattern>& pattern, const std::string& value) {
  return !pattern || pattern->matches(value);
}

[[noreturn]] void configError(const std::string& where, const std::string& what) {
  throw Error(ErrorCode::Config, "rules: " + where + ": " + what);
}

std::optional<Pattern> optionalPattern(const json& object, const char* key, const std::string& where) {
  if (!object.contains(key) || object[key].is_null()) return std::nullopt;
  if (!object[key].is_string()) configError(where, std::string("'") + key + "' must be a string (a regular expression)");
  const std::string text = object[key].get<std::string>();
  try {
    return Pattern{text, std::regex(text, std::regex::ECMAScript | std::regex::icase)};
  } catch (const std::regex_error& e) {
    configError(where, std::string("'") + key + "' is not a valid regular expression: " + e.what());
  }
}

// A string or an array of strings, upper-cased when `toUpper` (modalities).
std::vector<std::string> stringList(const json& object, const char* key, const std::string& where, bool toUpper) {
  std::vector<std::string> out;
  if (!object.contains(key)) return out;
  const json& value = object[key];
  auto add = [&](const json& item) {
    if (!item.is_string() || item.get<std::string>().empty()) {
      configError(where, std::string("'") + key + "' must be a non-empty string or an array of them");
    }
    out.push_back(toUpper ? upper(item.get<std::string>()) : item.get<std::string>());
  };
  if (value.is_array()) {
    for (const json& item : value) add(item);
  } else {
    add(value);
  }
  return out;
}

SeriesRequirement parseRequirement(const json& item, const std::string& where) {
  if (!item.is_object()) configError(where, "each 'requiredSeries' entry must be an object");
  SeriesRequirement r;
  r.modalities = stringList(item, "modality", where, true);
  r.seriesDescription = optionalPattern(item, "seriesDescription", where);
  return r;
}

void parseMatch(const json& match, Rule& rule, const std::string& where) {
  if (!match.is_object()) configError(where, "'match' must be an object");
  static const char* kKnown[] = {"modality", "sopClass", "bodyPart", "seriesDescription", "studyDescription"};
  for (const auto& [key, value] : match.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      configError(where, "unknown 'match' key '" + key + "' (modality, sopClass, bodyPart, seriesDescription, studyDescription)");
    }
  }
  rule.modalities = stringList(match, "modality", where, true);
  rule.sopClassUids = stringList(match, "sopClass", where, false);
  rule.bodyPart = optionalPattern(match, "bodyPart", where);
  rule.seriesDescription = optionalPattern(match, "seriesDescription", where);
  rule.studyDescription = optionalPattern(match, "studyDescription", where);
}

void parseQuestions(const json& item, Rule& rule, const std::string& where) {
  if (!item.contains("questions") || !item["questions"].is_array() || item["questions"].empty()) {
    configError(where, "'questions' must be a non-empty array of strings");
  }
  for (const json& q : item["questions"]) {
    if (!q.is_string() || q.get<std::string>().find_first_not_of(" \t") == std::string::npos) {
      configError(where, "every question must be a non-empty string");
    }
    rule.questions.push_back(q.get<std::string>());
  }
}

void parseCompletion(const json& item, Rule& rule, const std::string& where) {
  if (item.contains("requiredSeries")) {
    if (!item["requiredSeries"].is_array()) configError(where, "'requiredSeries' must be an array");
    for (const json& r : item["requiredSeries"]) rule.requiredSeries.push_back(parseRequirement(r, where));
  }
  if (item.contains("completionTimeoutSeconds")) {
    const json& t = item["completionTimeoutSeconds"];
    if (!t.is_number_integer() || t.get<long long>() < 0) {
      configError(where, "'completionTimeoutSeconds' must be a non-negative integer");
    }
    rule.completionTimeout = std::chrono::seconds(t.get<long long>());
  }
  if (item.contains("onTimeout")) {
    const std::string policy = item["onTimeout"].is_string() ? item["onTimeout"].get<std::string>() : "";
    if (policy == "proceed") {
      rule.onTimeout = CompletionPolicy::Proceed;
    } else if (policy == "discard") {
      rule.onTimeout = CompletionPolicy::Discard;
    } else {
      configError(where, "'onTimeout' must be \"proceed\" or \"discard\"");
    }
  }
}

Rule parseRule(const json& item, std::size_t index) {
  std::string where = "rule #" + std::to_string(index + 1);
  if (!item.is_object()) configError(where, "must be an object");
  Rule rule;
  if (!item.contains("name") || !item["name"].is_string() || item["name"].get<std::string>().empty()) {
    configError(where, "'name' must be a non-empty string");
  }
  rule.name = item["name"].get<std::string>();
  where = "rule '" + rule.name + "'";
  if (item.contains("match")) parseMatch(item["match"], rule, where);
  parseQuestions(item, rule, where);
  parseCompletion(item, rule, where);
  return rule;
}

json patternJson(const std::optional<Pattern>& p) { return p ? json(p->text) : json(nullptr); }

}  // namespace

bool SeriesRequirement::satisfiedBy(const SeriesFacts& series) const {
  return anyOf(modalities, upper(series.modality)) && patternMatches(seriesDescription, series.seriesDescription);
}

bool Rule::matches(const StudyFacts& study) const {
  if (!patternMatches(studyDescription, study.studyDescription)) return false;
  return std::any_of(study.series.begin(), study.series.end(), [&](const SeriesFacts& s) {
    return anyOf(modalities, upper(s.modality)) && anyOf(sopClassUids, s.sopClassUid) &&
           patternMatches(bodyPart, s.bodyPartExamined) && patternMatches(seriesDescription, s.seriesDescription);
  });
}

bool Rule::isComplete(const StudyFacts& study) const {
  return std::all_of(requiredSeries.begin(), requiredSeries.end(), [&](const SeriesRequirement& r) {
    return std::any_of(study.series.begin(), study.series.end(), [&](const SeriesFacts& s) { return r.satisfiedBy(s); });
  });
}

std::string Rule::fingerprint() const {
  std::string text = name;
  for (const auto& q : questions) text += '\n' + q;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (int i = 0; i < 6; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return name + "@" + hex;
}

const Rule* firstMatch(const std::vector<Rule>& rules, const StudyFacts& study) {
  for (const Rule& rule : rules) {
    if (rule.matches(study)) return &rule;
  }
  return nullptr;
}

std::vector<Rule> parseRules(const json& rules) {
  if (!rules.is_array()) throw Error(ErrorCode::Config, "rules: must be an array of rule objects");
  std::vector<Rule> out;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    Rule rule = parseRule(rules[i], i);
    for (const Rule& earlier : out) {
      if (earlier.name == rule.name) configError("rule '" + rule.name + "'", "the name is used twice");
    }
    out.push_back(std::move(rule));
  }
  return out;
}

json rulesToJson(const std::vector<Rule>& rules) {
  json out = json::array();
  for (const Rule& r : rules) {
    json required = json::array();
    for (const auto& req : r.requiredSeries) {
      required.push_back({{"modality", req.modalities}, {"seriesDescription", patternJson(req.seriesDescription)}});
    }
    out.push_back({{"name", r.name},
                   {"match",
                    {{"modality", r.modalities},
                     {"sopClass", r.sopClassUids},
                     {"bodyPart", patternJson(r.bodyPart)},
                     {"seriesDescription", patternJson(r.seriesDescription)},
                     {"studyDescription", patternJson(r.studyDescription)}}},
                   {"questions", r.questions},
                   {"requiredSeries", required},
                   {"completionTimeoutSeconds", r.completionTimeout.count()},
                   {"onTimeout", r.onTimeout == CompletionPolicy::Proceed ? "proceed" : "discard"}});
  }
  return out;
}

std::vector<Rule> defaultRules() {
  return parseRules(json::parse(R"json([
    {"name": "chest-radiograph",
     "match": {"modality": ["CR", "DX"], "bodyPart": "chest|thorax"},
     "questions": ["Is there a pleural effusion?", "Which side is the effusion on?", "Is the heart enlarged?",
                   "Is there a pneumothorax?", "How many nodules are there?"]},
    {"name": "ct-abdomen",
     "match": {"modality": "CT", "bodyPart": "abdomen|liver|kidney"},
     "questions": ["Is there a liver lesion?", "How many liver lesions are there?", "What is the size of the largest liver lesion?",
                   "Is there a kidney lesion?", "Which kidney has the lesion?"]}
  ])json"));
}

}  // namespace medvqa::pipeline
