#pragma once

// manifest.json, parsed once into typed values (docs/model-format.md is the contract). A bad
// manifest is refused at load with Error(Config) whose message names the field
// ("tokenizer.max_length: must be between 1 and 4096, got 0").

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imaging/model_image.h"
#include "imaging/study_images.h"
#include "vqa/code.h"

namespace medvqa::vqa {

// The manifest's "tokenizer" section. Index 0 of `vocabulary` is "<pad>", index 1 "<unk>".
struct TokenizerConfig {
  std::string type = "words+char-ngrams";
  bool lowercase = true;
  int maxLength = 48;
  std::vector<std::string> vocabulary{"<pad>", "<unk>"};
  int ngramN = 3;
  std::uint32_t buckets = 2048;
};

struct AnswerEntry {
  std::string text;
  std::optional<Code> code;
};

// How answers over several images of a study become one answer.
enum class Combine {
  MaxConfidence,  // "is there": the most confident image wins
  Majority,       // the most frequent answer, ties to confidence
};

std::string_view toString(Combine combine);  // "max_confidence" | "majority"

// The studies a question type can be answered on. Values are compared upper case; an empty list
// accepts any value.
struct Applicability {
  std::vector<std::string> modalities;  // (0008,0060) Modality
  std::vector<std::string> bodyParts;   // (0018,0015) Body Part Examined

  bool acceptsModality(const std::string& modality) const { return accepts(modalities, modality); }
  bool acceptsBodyPart(const std::string& bodyPart) const { return accepts(bodyParts, bodyPart); }

  bool operator==(const Applicability&) const = default;

 private:
  static bool accepts(const std::vector<std::string>& values, const std::string& value) {
    return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
  }
};

struct QuestionType {
  std::string name;
  bool closed = false;  // yes/no answers
  Combine combine = Combine::Majority;
  // Format 2 (the question-understanding contract; docs/model-format.md). Empty values are the
  // format-1 defaults: the user's own words go to the answer head, every answer is allowed, every
  // study applies, and no confidence is too low.
  std::string question;               // the canonical question the answer head is asked
  std::vector<std::string> answers;   // the type's answer space (texts of Manifest::answers)
  std::string anatomy;                // what the type is about, for refusal reasons ("liver")
  std::vector<Applicability> appliesTo;  // any of; empty = any study
  double threshold = 0.0;             // below this confidence the answer is "uncertain"
};

// The "understanding" section: how the `understand` method's output is read.
struct UnderstandingConfig {
  double temperature = 1.0;
  double minConfidence = 0.5;  // a type less probable than this is "not a question this model answers"
};

struct Manifest {
  int format = 1;
  std::string name;
  std::string version;
  std::string module = "model.pt";  // relative to the model folder
  imaging::ImageSpec input;
  imaging::SelectionPolicy selection;
  TokenizerConfig tokenizer;
  std::vector<AnswerEntry> answers;  // logit order
  std::vector<QuestionType> questionTypes;
  std::vector<std::string> methods{"forward"};
  int featureSize = 0;  // columns of encode_image; 0 when the module has none
  double temperature = 1.0;
  // Present when the module exports `understand` (format 2); absent, questions are not screened.
  std::optional<UnderstandingConfig> understanding;

  bool hasMethod(std::string_view method) const;
  // encode_image and answer are both exported: features can be computed once per image.
  bool reusesFeatures() const { return hasMethod("encode_image") && hasMethod("answer"); }
  std::optional<std::size_t> answerIndex(std::string_view text) const;
  std::optional<std::size_t> questionTypeIndex(std::string_view name) const;
};

// Parses and validates. Error(Config) naming the field for anything missing, mistyped or out of
// range (unknown methods, duplicate answers, a vocabulary without <pad>/<unk> first...).
Manifest parseManifest(const nlohmann::json& manifest);
// Reads FOLDER/manifest.json (or the file itself when given one). Error(NotFound) when absent,
// Error(Config) when it is not JSON or not valid.
Manifest loadManifest(const std::filesystem::path& folderOrFile);

// The inverse of parseManifest, in the documented layout: what `medvqa prepare` and training
// write, and what parseManifest reads back unchanged.
nlohmann::json toJson(const Manifest& manifest);
nlohmann::json toJson(const TokenizerConfig& tokenizer);
nlohmann::json toJson(const imaging::ImageSpec& input, const imaging::SelectionPolicy& selection);
nlohmann::json toJson(const std::vector<AnswerEntry>& answers);
nlohmann::json toJson(const std::vector<QuestionType>& questionTypes);

// Section parsers, for files that carry one section (PREFIX.json of `medvqa prepare`). `field`
// prefixes error messages.
TokenizerConfig parseTokenizer(const nlohmann::json& tokenizer, std::string_view field = "tokenizer");
std::vector<AnswerEntry> parseAnswers(const nlohmann::json& answers, std::string_view field = "answers");
std::vector<QuestionType> parseQuestionTypes(const nlohmann::json& types, std::string_view field = "question_types");
void parseInput(const nlohmann::json& input, imaging::ImageSpec& spec, imaging::SelectionPolicy& selection,
                std::string_view field = "input");

}  // namespace medvqa::vqa
