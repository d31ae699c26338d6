#include "vqa/json_fields.h"

#include <cmath>

namespace medvqa::vqa::json_fields {

using nlohmann::json;

Field Field::child(std::string_view key) const {
  return {path.empty() ? std::string(key) : path + "." + std::string(key), code};
}

Field Field::item(std::size_t index) const { return {path + "[" + std::to_string(index) + "]", code}; }

void Field::fail(std::string_view why) const { throw Error(code, path + ": " + std::string(why)); }

const json& member(const json& object, const Field& field, std::string_view key) {
  const json* value = optionalMember(object, key);
  if (value == nullptr) field.child(key).fail("missing");
  return *value;
}

const json* optionalMember(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

void expectObject(const json& value, const Field& field) {
  if (!value.is_object()) field.fail("expected an object");
}

void expectArray(const json& value, const Field& field) {
  if (!value.is_array()) field.fail("expected an array");
}

std::string readString(const json& value, const Field& field, bool allowEmpty) {
  if (!value.is_string()) field.fail("expected a string");
  auto text = value.get<std::string>();
  if (text.empty() && !allowEmpty) field.fail("must not be empty");
  return text;
}

bool readBool(const json& value, const Field& field) {
  if (!value.is_boolean()) field.fail("expected true or false");
  return value.get<bool>();
}

std::int64_t readInt(const json& value, const Field& field, std::int64_t min, std::int64_t max) {
  if (!value.is_number_integer()) field.fail("expected an integer");
  // Unsigned values beyond int64 are out of range anyway.
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    field.fail("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + value.dump());
  }
  auto number = value.get<std::int64_t>();
  if (number < min || number > max) {
    field.fail("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
               std::to_string(number));
  }
  return number;
}

double readNumber(const json& value, const Field& field) {
  if (!value.is_number()) field.fail("expected a number");
  double number = value.get<double>();
  if (!std::isfinite(number)) field.fail("must be finite");
  return number;
}

Code readCode(const json& value, const Field& field) {
  expectObject(value, field);
  Code code;
  code.value = readString(member(value, field, "value"), field.child("value"));
  code.scheme = readString(member(value, field, "scheme"), field.child("scheme"));
  code.meaning = readString(member(value, field, "meaning"), field.child("meaning"));
  return code;
}

}  // namespace medvqa::vqa::json_fields
