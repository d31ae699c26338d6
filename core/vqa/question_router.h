#pragma once

// Decides whether a question is one the DICOM header answers exactly (modality, plane, sex...)
// or one for the model. Data driven: regular expressions per header attribute, read from JSON
// (models/header-questions.json; the same table is built in as the default). The first entry
// whose pattern matches wins; a question that matches none goes to the model.
//
//   {"format": 1, "questions": [
//     {"attribute": "modality", "patterns": ["\\bmodality\\b", "what kind of (scan|study)"]}, ...]}
//
// Patterns are ECMAScript regexes searched (not fully matched) in the normalised question:
// lower-case words separated by single spaces, contractions expanded, punctuation gone
// ("What's the patient's sex?" is matched as "what is the patient sex").

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "vqa/header_attribute.h"

namespace medvqa::vqa {

class QuestionRouter {
 public:
  // Error(Config) naming the entry and field for a bad table (unknown attribute, bad regex...).
  static QuestionRouter fromJson(const nlohmann::json& table);
  static QuestionRouter fromFile(const std::filesystem::path& file);  // + Error(NotFound)
  // The built-in table (identical to models/header-questions.json; a test keeps them equal).
  static QuestionRouter defaults();
  static const char* defaultTableJson();

  // The header attribute that answers the question, or nullopt for the model.
  std::optional<HeaderAttribute> route(std::string_view question) const;
  // What the patterns see.
  static std::string normalise(std::string_view question);

 private:
  struct Rule {
    HeaderAttribute attribute;
    std::string source;
    std::regex pattern;
  };
  std::vector<Rule> rules_;
};

}  // namespace medvqa::vqa
