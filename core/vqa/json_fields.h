#pragma once

// Typed reads of JSON fields whose errors name the field ("answers[3].text: expected a string").
// Internal to core/vqa: manifests (ErrorCode::Config), answers and router tables share it.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/error.h"
#include "vqa/code.h"

namespace medvqa::vqa::json_fields {

// Where in a document a value sits and which error code a bad value raises.
struct Field {
  std::string path;  // "tokenizer.ngram.n"
  ErrorCode code = ErrorCode::Config;

  Field child(std::string_view key) const;
  Field item(std::size_t index) const;
  [[noreturn]] void fail(std::string_view why) const;
};

// The member, or a failure naming it when absent.
const nlohmann::json& member(const nlohmann::json& object, const Field& field, std::string_view key);
const nlohmann::json* optionalMember(const nlohmann::json& object, std::string_view key);

void expectObject(const nlohmann::json& value, const Field& field);
void expectArray(const nlohmann::json& value, const Field& field);
std::string readString(const nlohmann::json& value, const Field& field, bool allowEmpty = false);
bool readBool(const nlohmann::json& value, const Field& field);
std::int64_t readInt(const nlohmann::json& value, const Field& field, std::int64_t min, std::int64_t max);
double readNumber(const nlohmann::json& value, const Field& field);  // finite
Code readCode(const nlohmann::json& value, const Field& field);     // value, scheme, meaning

}  // namespace medvqa::vqa::json_fields
