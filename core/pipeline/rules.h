#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace medvqa::pipeline {

// What a rule can look at: one entry per series of the study (from any one instance's header).
struct SeriesFacts {
  std::string seriesUid;
  std::string modality;
  std::string bodyPartExamined;
  std::string seriesDescription;
  std::string sopClassUid;
};

struct StudyFacts {
  std::string studyUid;
  std::string studyDescription;
  std::vector<SeriesFacts> series;
};

// A case-insensitive regular expression that remembers its source text (for errors and the API).
struct Pattern {
  std::string text;
  std::regex regex;
  bool matches(const std::string& value) const { return std::regex_search(value, regex); }
};

// A series the study must have before it is complete (mercure-style completeness): a quiet
// period alone is only a guess that a modality has finished sending.
struct SeriesRequirement {
  std::vector<std::string> modalities;  // any of; empty = any
  std::optional<Pattern> seriesDescription;
  bool satisfiedBy(const SeriesFacts& series) const;
};

enum class CompletionPolicy { Proceed, Discard };

// Which studies get which standing questions. A study matches when one of its series meets every
// criterion given (absent criteria match anything); the first matching rule in the config wins.
struct Rule {
  std::string name;
  std::vector<std::string> modalities;   // any of (exact, upper case)
  std::vector<std::string> sopClassUids;  // any of
  std::optional<Pattern> bodyPart;
  std::optional<Pattern> seriesDescription;
  std::optional<Pattern> studyDescription;
  std::vector<std::string> questions;
  std::vector<SeriesRequirement> requiredSeries;
  // How long after the study went stable a study that still misses a required series waits
  // before `onTimeout` applies.
  std::chrono::seconds completionTimeout{0};
  CompletionPolicy onTimeout = CompletionPolicy::Proceed;

  bool matches(const StudyFacts& study) const;
  bool isComplete(const StudyFacts& study) const;
  // A digest of what the rule asks: part of a job's key, so changing the questions re-answers.
  std::string fingerprint() const;
};

// The first rule matching the study, or nullptr (the study gets no job, and the API says so).
const Rule* firstMatch(const std::vector<Rule>& rules, const StudyFacts& study);

// Parses the "rules" array of the node's (or the Orthanc plugin's "MedVQA") config. Throws
// Error(Config) naming the rule and field at fault.
std::vector<Rule> parseRules(const nlohmann::json& rules);
nlohmann::json rulesToJson(const std::vector<Rule>& rules);

// The built-in rules: the demo model's study kinds (chest radiographs, abdominal CT), so a node
// started with no config answers the synthetic studies.
std::vector<Rule> defaultRules();

}  // namespace medvqa::pipeline
