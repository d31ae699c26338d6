#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "vqa/manifest.h"

namespace medvqa::vqa {
namespace {

using nlohmann::json;

// The example of docs/model-format.md.
json validManifest() {
  return json::parse(R"({
    "format": 1, "name": "medvqa-demo", "version": "1.0.0", "module": "model.pt",
    "input": {"channels": 1, "height": 128, "width": 128, "mean": 0.5, "std": 0.25,
              "window": {"CT": {"center": 40, "width": 400}, "default": "minmax"},
              "selection": {"policy": "even", "count": 3, "cap": 16}},
    "tokenizer": {"type": "words+char-ngrams", "lowercase": true, "max_length": 48,
                  "vocabulary": ["<pad>", "<unk>", "is", "there"], "ngram": {"n": 3, "buckets": 2048}},
    "answers": [{"text": "yes", "code": {"value": "373066001", "scheme": "SCT", "meaning": "Yes"}},
                {"text": "no"}, {"text": "2"}],
    "question_types": [{"name": "effusion_presence", "closed": true, "combine": "max_confidence"},
                       {"name": "nodule_count", "closed": false, "combine": "majority"}],
    "methods": ["forward", "encode_image", "answer"],
    "feature_size": 256,
    "calibration": {"temperature": 1.23}
  })");
}

// Parsing `manifest` fails with Error(Config) whose message starts with `field`.
void expectRefused(const json& manifest, const std::string& field) {
  try {
    parseManifest(manifest);
    ADD_FAILURE() << "accepted a manifest with a bad " << field;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Config) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind(field + ":", 0), 0u) << "message should name " << field << ": " << e.what();
  }
}

TEST(VqaManifest, ParsesTheDocumentedExample) {
  const auto manifest = parseManifest(validManifest());
  EXPECT_EQ(manifest.name, "medvqa-demo");
  EXPECT_EQ(manifest.input.height, 128);
  EXPECT_FLOAT_EQ(manifest.input.std, 0.25f);
  EXPECT_DOUBLE_EQ(manifest.input.windowByModality.at("CT").width, 400.0);
  EXPECT_EQ(manifest.selection.policy, imaging::SlicePolicy::Even);
  EXPECT_EQ(manifest.selection.count, 3);
  EXPECT_EQ(manifest.tokenizer.vocabulary.size(), 4u);
  EXPECT_EQ(manifest.tokenizer.buckets, 2048u);
  ASSERT_EQ(manifest.answers.size(), 3u);
  ASSERT_TRUE(manifest.answers[0].code);
  EXPECT_EQ(manifest.answers[0].code->value, "373066001");
  EXPECT_FALSE(manifest.answers[1].code);
  EXPECT_EQ(manifest.questionTypes[0].combine, Combine::MaxConfidence);
  EXPECT_TRUE(manifest.reusesFeatures());
  EXPECT_EQ(manifest.featureSize, 256);
  EXPECT_DOUBLE_EQ(manifest.temperature, 1.23);
  EXPECT_EQ(manifest.answerIndex("2"), 2u);
}

TEST(VqaManifest, RoundTripsThroughToJson) {
  const auto manifest = parseManifest(validManifest());
  const auto again = parseManifest(toJson(manifest));
  EXPECT_EQ(toJson(again), toJson(manifest));
  EXPECT_EQ(again.tokenizer.vocabulary, manifest.tokenizer.vocabulary);
  EXPECT_EQ(again.answers[0].code, manifest.answers[0].code);
}

TEST(VqaManifest, OptionalSectionsHaveDefaults) {
  auto doc = validManifest();
  doc.erase("calibration");
  doc.erase("module");
  doc["input"].erase("selection");
  doc["input"].erase("window");
  doc["methods"] = {"forward"};
  doc.erase("feature_size");
  const auto manifest = parseManifest(doc);
  EXPECT_DOUBLE_EQ(manifest.temperature, 1.0);
  EXPECT_EQ(manifest.module, "model.pt");
  EXPECT_EQ(manifest.selection.policy, imaging::SlicePolicy::Middle);
  EXPECT_FALSE(manifest.reusesFeatures());
}

TEST(VqaManifest, RefusesEachBadFieldByName) {
  struct Case {
    std::string field;
    std::function<void(json&)> spoil;
  };
  const std::vector<Case> cases = {
      {"format", [](json& m) { m["format"] = 3; }},  // newer than the runtime knows
      {"name", [](json& m) { m.erase("name"); }},
      {"version", [](json& m) { m["version"] = ""; }},
      {"module", [](json& m) { m["module"] = "../elsewhere.pt"; }},
      {"input", [](json& m) { m.erase("input"); }},
      {"input.channels", [](json& m) { m["input"]["channels"] = 2; }},
      {"input.height", [](json& m) { m["input"]["height"] = 0; }},
      {"input.width", [](json& m) { m["input"]["width"] = "128"; }},
      {"input.std", [](json& m) { m["input"]["std"] = 0; }},
      {"input.mean", [](json& m) { m["input"]["mean"] = nullptr; }},
      {"input.window.CT.width", [](json& m) { m["input"]["window"]["CT"]["width"] = 0; }},
      {"input.window.default", [](json& m) { m["input"]["window"]["default"] = "auto"; }},
      {"input.selection.policy", [](json& m) { m["input"]["selection"]["policy"] = "first"; }},
      {"input.selection.count", [](json& m) { m["input"]["selection"]["count"] = 0; }},
      {"tokenizer.type", [](json& m) { m["tokenizer"]["type"] = "bpe"; }},
      {"tokenizer.max_length", [](json& m) { m["tokenizer"]["max_length"] = 0; }},
      {"tokenizer.lowercase", [](json& m) { m["tokenizer"]["lowercase"] = "yes"; }},
      {"tokenizer.vocabulary", [](json& m) { m["tokenizer"]["vocabulary"] = {"is", "there"}; }},
      {"tokenizer.vocabulary[3]", [](json& m) { m["tokenizer"]["vocabulary"][3] = "is"; }},
      {"tokenizer.ngram.n", [](json& m) { m["tokenizer"]["ngram"]["n"] = 0; }},
      {"tokenizer.ngram.buckets", [](json& m) { m["tokenizer"]["ngram"].erase("buckets"); }},
      {"answers", [](json& m) { m["answers"] = json::array(); }},
      {"answers[1].text", [](json& m) { m["answers"][1]["text"] = "yes"; }},
      {"answers[0].code.scheme", [](json& m) { m["answers"][0]["code"].erase("scheme"); }},
      {"question_types[1].combine", [](json& m) { m["question_types"][1]["combine"] = "mean"; }},
      {"question_types[0].closed", [](json& m) { m["question_types"][0].erase("closed"); }},
      {"methods", [](json& m) { m["methods"] = {"encode_image", "answer"}; }},
      {"methods[1]", [](json& m) { m["methods"][1] = "predict"; }},
      {"methods", [](json& m) { m["methods"] = {"forward", "answer"}; }},
      {"feature_size", [](json& m) { m.erase("feature_size"); }},
      {"feature_size", [](json& m) { m["feature_size"] = -1; }},
      {"calibration.temperature", [](json& m) { m["calibration"]["temperature"] = 0; }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field);
    auto doc = validManifest();
    c.spoil(doc);
    expectRefused(doc, c.field);
  }
}

TEST(VqaManifest, LoadManifestReportsMissingAndMalformedFiles) {
  const auto dir = std::filesystem::temp_directory_path() / ("vqa-manifest-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  try {
    loadManifest(dir);
    ADD_FAILURE() << "no manifest accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::NotFound);
  }
  std::ofstream(dir / "manifest.json") << "{not json";
  try {
    loadManifest(dir);
    ADD_FAILURE() << "malformed manifest accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Config);
    EXPECT_NE(std::string(e.what()).find("not valid JSON"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace medvqa::vqa
