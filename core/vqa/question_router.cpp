#include "vqa/question_router.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "vqa/json_fields.h"
#include "vqa/tokenizer.h"

namespace medvqa::vqa {

using nlohmann::json;
using namespace json_fields;

QuestionRouter QuestionRouter::fromJson(const json& table) {
  const Field root{"header questions", ErrorCode::Config};
  expectObject(table, root);
  readInt(member(table, root, "format"), root.child("format"), 1, 1);
  const Field list = root.child("questions");
  const json& questions = member(table, root, "questions");
  expectArray(questions, list);
  QuestionRouter router;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const Field entry = list.item(i);
    expectObject(questions[i], entry);
    const auto attribute = readString(member(questions[i], entry, "attribute"), entry.child("attribute"));
    HeaderAttribute parsed;
    try {
      parsed = parseHeaderAttribute(attribute);
    } catch (const Error& e) {
      entry.child("attribute").fail(e.what());
    }
    const Field patternsField = entry.child("patterns");
    const json& patterns = member(questions[i], entry, "patterns");
    expectArray(patterns, patternsField);
    for (std::size_t p = 0; p < patterns.size(); ++p) {
      auto source = readString(patterns[p], patternsField.item(p));
      try {
        router.rules_.push_back({parsed, source, std::regex(source, std::regex::ECMAScript | std::regex::optimize)});
      } catch (const std::regex_error& e) {
        patternsField.item(p).fail("not a valid regular expression (" + std::string(e.what()) + ")");
      }
    }
  }
  return router;
}

QuestionRouter QuestionRouter::fromFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(ErrorCode::NotFound, "header question table not found: " + file.string());
  try {
    return fromJson(json::parse(in));
  } catch (const json::exception& e) {
    throw Error(ErrorCode::Config, file.string() + ": not valid JSON (" + e.what() + ")");
  } catch (const Error& e) {
    throw Error(e.code(), file.string() + ": " + e.what());
  }
}

QuestionRouter QuestionRouter::defaults() { return fromJson(json::parse(defaultTableJson())); }

std::string QuestionRouter::normalise(std::string_view question) {
  std::string text;
  for (const auto& word : Tokenizer::normalise(question, true)) {
    if (!text.empty()) text.push_back(' ');
    text += word;
  }
  return text;
}

std::optional<HeaderAttribute> QuestionRouter::route(std::string_view question) const {
  const auto text = normalise(question);
  for (const auto& rule : rules_) {
    if (std::regex_search(text, rule.pattern)) return rule.attribute;
  }
  return std::nullopt;
}

}  // namespace medvqa::vqa
