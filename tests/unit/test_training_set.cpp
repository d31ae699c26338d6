#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"
#include "synth/synth.h"
#include "synth_test_support.h"
#include "training/demo_schema.h"
#include "training/training_set.h"
#include "training/truth_file.h"
#include "vqa/tokenizer.h"

namespace fs = std::filesystem;
using medvqa::training::buildTrainingSet;
using medvqa::training::PrepareOptions;

namespace {

// Four synthetic studies (two chest, two CT), written once for every test of this file.
class TrainingSetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new synth_test::TempDir("training-set");
    medvqa::synth::SynthOptions options;
    options.out = dir_->path() / "data";
    options.studies = 4;
    options.seed = 5;
    medvqa::synth::generateDataset(options);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path data() { return dir_->path() / "data"; }
  static fs::path scratch() { return dir_->path(); }

 private:
  static synth_test::TempDir* dir_;
};

synth_test::TempDir* TrainingSetTest::dir_ = nullptr;

}  // namespace

TEST_F(TrainingSetTest, OneImagePerStudyAndOneRowPerTrainingQuestion) {
  PrepareOptions options;
  options.data = data();
  options.excludeHeldout = true;
  const auto set = buildTrainingSet(options);
  const auto truth = medvqa::training::readTruthFile(data());
  const auto kept = std::count_if(truth.begin(), truth.end(), [](const auto& row) { return !row.heldout; });

  EXPECT_EQ(set.imageCount, 4);  // `middle` selection: one slice per series, one series per study
  EXPECT_EQ(set.images.size(), 4u * 128 * 128);
  ASSERT_EQ(set.rows.size(), static_cast<std::size_t>(kept));
  EXPECT_EQ(set.tokens.size(), set.rows.size() * static_cast<std::size_t>(set.tokenizer.maxLength));
  for (std::size_t i = 0; i < set.rows.size(); ++i) {
    EXPECT_EQ(set.answers[static_cast<std::size_t>(set.answer[i])].text, set.rows[i].answer);
    EXPECT_EQ(set.questionTypes[static_cast<std::size_t>(set.qtype[i])].name, set.rows[i].type);
    EXPECT_EQ(set.heldout[i], 0);
    EXPECT_LT(set.imageIndex[i], set.imageCount);
    EXPECT_EQ(set.rows[i].sopInstanceUids.size(), 1u);
  }
}

TEST_F(TrainingSetTest, VocabularyNeverLearnsFromHeldOutPhrasings) {
  PrepareOptions options;
  options.data = data();
  const auto set = buildTrainingSet(options);  // held-out rows kept, but not in the vocabulary
  std::set<std::string> trainingWords;
  const auto truth = medvqa::training::readTruthFile(data());
  for (const auto& row : truth) {
    if (row.heldout) continue;
    for (const auto& word : medvqa::vqa::Tokenizer::normalise(row.question, true)) trainingWords.insert(word);
  }
  EXPECT_EQ(set.tokenizer.vocabulary.size(), trainingWords.size() + 2);  // + <pad>, <unk>
  EXPECT_EQ(set.heldout.size(), truth.size());
}

TEST_F(TrainingSetTest, ReusesAManifestsTokenizerAndAnswers) {
  PrepareOptions options;
  options.data = data();
  options.excludeHeldout = true;
  auto first = buildTrainingSet(options);
  // A manifest with a different vocabulary: the second set must use it, not build its own.
  medvqa::vqa::Manifest manifest;
  manifest.name = "m";
  manifest.version = "1";
  manifest.input = first.input;
  manifest.selection = first.selection;
  manifest.tokenizer = first.tokenizer;
  manifest.tokenizer.vocabulary = {"<pad>", "<unk>", "effusion"};
  manifest.answers = first.answers;
  manifest.questionTypes = first.questionTypes;
  const auto file = scratch() / "manifest.json";
  std::ofstream(file) << medvqa::vqa::toJson(manifest).dump();

  options.tokenizerManifest = file;
  const auto second = buildTrainingSet(options);
  EXPECT_EQ(second.tokenizer.vocabulary, manifest.tokenizer.vocabulary);
  EXPECT_EQ(second.rows.size(), first.rows.size());
  EXPECT_EQ(second.images, first.images);  // same preprocessing, same pixels
}

TEST_F(TrainingSetTest, WritesTheTensorFileAndItsDescription) {
  PrepareOptions options;
  options.data = data();
  options.excludeHeldout = true;
  const auto set = buildTrainingSet(options);
  const auto prefix = scratch() / "out" / "train";
  medvqa::training::writeTrainingSet(set, prefix);
  EXPECT_GT(fs::file_size(prefix.string() + ".pt"), set.images.size() * sizeof(float));
  std::ifstream in(prefix.string() + ".json");
  const auto meta = nlohmann::json::parse(in);
  EXPECT_EQ(meta["rows"].size(), set.rows.size());
  EXPECT_EQ(meta["answers"].size(), set.answers.size());
  EXPECT_EQ(meta["tokenizer"]["max_length"], set.tokenizer.maxLength);
  EXPECT_EQ(meta["input"]["height"], 128);
  EXPECT_TRUE(meta["rows"][0].contains("truth_row"));
}

TEST_F(TrainingSetTest, InputSizeChangesTheImages) {
  PrepareOptions options;
  options.data = data();
  options.inputSize = 64;
  const auto set = buildTrainingSet(options);
  EXPECT_EQ(set.input.height, 64);
  EXPECT_EQ(set.images.size(), 4u * 64 * 64);
}

TEST_F(TrainingSetTest, ClearErrorsForMissingOrUnknownInput) {
  PrepareOptions options;
  options.data = scratch() / "nowhere";
  try {
    buildTrainingSet(options);
    FAIL() << "no error for a missing folder";
  } catch (const medvqa::Error& e) {
    EXPECT_EQ(e.code(), medvqa::ErrorCode::NotFound);
  }

  // An answer the model does not have: the error names the row.
  const auto odd = scratch() / "odd";
  fs::create_directories(odd);
  fs::copy(data() / "study-0001", odd / "study-0001", fs::copy_options::recursive);
  std::ofstream(odd / "truth.jsonl")
      << R"({"study_uid":"1.2","study_dir":"study-0001","kind":"chest","type":"effusion_presence",)"
      << R"("question":"Is there a pleural effusion?","answer":"maybe","phrasing":1,"heldout":false})" << "\n";
  options.data = odd;
  try {
    buildTrainingSet(options);
    FAIL() << "no error for an unknown answer";
  } catch (const medvqa::Error& e) {
    EXPECT_EQ(e.code(), medvqa::ErrorCode::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("truth row 1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("maybe"), std::string::npos) << e.what();
  }
}

TEST(DemoSchema, CodesYesNoAndLateralityAndListsEveryType) {
  const auto schema = medvqa::training::demoSchema();
  EXPECT_EQ(schema.questionTypes.size(), 10u);
  const auto find = [&](const std::string& text) {
    return *std::find_if(schema.answers.begin(), schema.answers.end(), [&](const auto& a) { return a.text == text; });
  };
  EXPECT_EQ(find("yes").code->value, "373066001");
  EXPECT_EQ(find("no").code->value, "373067005");
  EXPECT_EQ(find("bilateral").code->value, "51440002");
  EXPECT_FALSE(find("2").code.has_value());
  std::set<std::string> texts;
  for (const auto& answer : schema.answers) EXPECT_TRUE(texts.insert(answer.text).second) << answer.text;
  for (const auto& type : schema.questionTypes) {
    EXPECT_EQ(type.closed, type.combine == medvqa::vqa::Combine::MaxConfidence) << type.name;
  }
}
