// writeTrainingSet: the one place in core/training that touches torch.
#include <ATen/core/Dict.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "training/training_set.h"

namespace medvqa::training {

namespace {

// A view of `values` as a tensor: pickle_save only reads it, so no copy is made.
template <typename T>
at::Tensor view(const std::vector<T>& values, std::vector<std::int64_t> shape, at::ScalarType type) {
  return torch::from_blob(const_cast<T*>(values.data()), shape, torch::TensorOptions().dtype(type));
}

std::vector<char> tensorsOf(const TrainingSet& set) {
  const auto rows = static_cast<std::int64_t>(set.rows.size());
  c10::Dict<std::string, at::Tensor> dict;
  dict.insert("images", view(set.images, {set.imageCount, set.input.channels, set.input.height, set.input.width}, at::kFloat));
  dict.insert("tokens", view(set.tokens, {rows, set.tokenizer.maxLength}, at::kLong));
  dict.insert("image_index", view(set.imageIndex, {rows}, at::kLong));
  dict.insert("answer", view(set.answer, {rows}, at::kLong));
  dict.insert("qtype", view(set.qtype, {rows}, at::kLong));
  dict.insert("heldout", view(set.heldout, {rows}, at::kLong));
  dict.insert("polarity", view(set.polarity, {rows}, at::kLong));
  const auto types = static_cast<std::int64_t>(set.questionTypes.size());
  const auto texts = static_cast<std::int64_t>(set.textRows.size());
  dict.insert("canonical_tokens", view(set.canonicalTokens, {types, set.tokenizer.maxLength}, at::kLong));
  dict.insert("text_tokens", view(set.textTokens, {texts, set.tokenizer.maxLength}, at::kLong));
  dict.insert("text_type", view(set.textType, {texts}, at::kLong));
  dict.insert("text_polarity", view(set.textPolarity, {texts}, at::kLong));
  dict.insert("text_group", view(set.textGroup, {texts}, at::kLong));
  dict.insert("text_heldout", view(set.textHeldout, {texts}, at::kLong));
  return torch::pickle_save(c10::IValue(dict));
}

nlohmann::json describe(const TrainingSet& set) {
  auto rows = nlohmann::json::array();
  for (const auto& row : set.rows) {
    rows.push_back({{"study_uid", row.studyUid},
                    {"question", row.question},
                    {"type", row.type},
                    {"answer", row.answer},
                    {"inverse", row.inverse},
                    {"sop_instance_uids", row.sopInstanceUids},
                    {"truth_row", row.truthRow}});
  }
  auto textRows = nlohmann::json::array();
  for (const auto& row : set.textRows) {
    textRows.push_back({{"question", row.question},
                        {"type", row.type},
                        {"inverse", row.inverse},
                        {"group", row.group},
                        {"heldout", row.heldout},
                        {"source", row.source},
                        {"id", row.id},
                        {"topic", row.topic},
                        {"category", row.category}});
  }
  return {{"tokenizer", vqa::toJson(set.tokenizer)},
          {"answers", vqa::toJson(set.answers)},
          {"question_types", vqa::toJson(set.questionTypes)},
          {"input", vqa::toJson(set.input, set.selection)},
          {"rows", std::move(rows)},
          {"text_rows", std::move(textRows)}};
}

void writeFile(const std::filesystem::path& path, const char* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data, static_cast<std::streamsize>(size));
  out.close();
  if (!out) throw Error(ErrorCode::Io, "cannot write " + path.string());
}

std::filesystem::path withSuffix(const std::filesystem::path& prefix, const char* suffix) {
  return std::filesystem::path(prefix.string() + suffix);
}

}  // namespace

void writeTrainingSet(const TrainingSet& set, const std::filesystem::path& prefix) {
  if (prefix.has_parent_path()) std::filesystem::create_directories(prefix.parent_path());
  const auto tensors = tensorsOf(set);
  writeFile(withSuffix(prefix, ".pt"), tensors.data(), tensors.size());
  const auto json = describe(set).dump(1);
  writeFile(withSuffix(prefix, ".json"), json.data(), json.size());
}

}  // namespace medvqa::training
