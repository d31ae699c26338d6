#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include <torch/serialize.h>
#include <torch/torch.h>

#include "common/error.h"
#include "synth/out_of_scope_questions.h"
#include "synth/question_templates.h"
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
  // Refusal rows (out of scope, not applicable) have no answer to learn: no image row.
  const auto kept = std::count_if(truth.begin(), truth.end(),
                                  [](const auto& row) { return !row.heldout && row.expect == "answered"; });

  EXPECT_EQ(set.imageCount, 4);  // `middle` selection: one slice per series, one series per study
  EXPECT_EQ(set.images.size(), 4u * 128 * 128);
  ASSERT_EQ(set.rows.size(), static_cast<std::size_t>(kept));
  EXPECT_EQ(set.tokens.size(), set.rows.size() * static_cast<std::size_t>(set.tokenizer.maxLength));
  ASSERT_EQ(set.polarity.size(), set.rows.size());
  for (std::size_t i = 0; i < set.rows.size(); ++i) {
    EXPECT_EQ(set.answers[static_cast<std::size_t>(set.answer[i])].text, set.rows[i].answer);
    EXPECT_EQ(set.questionTypes[static_cast<std::size_t>(set.qtype[i])].name, set.rows[i].type);
    EXPECT_EQ(set.heldout[i], 0);
    EXPECT_EQ(set.polarity[i], set.rows[i].inverse ? 1 : 0);
    EXPECT_LT(set.imageIndex[i], set.imageCount);
    EXPECT_EQ(set.rows[i].sopInstanceUids.size(), 1u);
  }
}

TEST_F(TrainingSetTest, VocabularyNeverLearnsFromHeldOutPhrasings) {
  PrepareOptions options;
  options.data = data();
  const auto set = buildTrainingSet(options);  // held-out rows kept, but not in the vocabulary
  // The vocabulary is the words of the set's training phrasings and of the text set's training
  // questions (training phrasings and out-of-scope items whose topic and wording both train),
  // nonsense strings excepted: those must read as unknown words, in training as in use.
  std::set<std::string> trainingWords, heldOutWords, nonsenseWords;
  const auto truth = medvqa::training::readTruthFile(data());
  const auto add = [](std::set<std::string>& words, const std::string& question) {
    for (const auto& word : medvqa::vqa::Tokenizer::normalise(question, true)) words.insert(word);
  };
  for (const auto& row : truth) {
    if (row.expect != "unsupported") add(row.heldout ? heldOutWords : trainingWords, row.question);
  }
  for (const auto& row : medvqa::training::textSet()) {
    if (row.category == "nonsense") add(nonsenseWords, row.question);
    else add(row.heldout ? heldOutWords : trainingWords, row.question);
  }
  EXPECT_EQ(set.tokenizer.vocabulary.size(), trainingWords.size() + 2);  // + <pad>, <unk>
  const std::set<std::string> vocabulary(set.tokenizer.vocabulary.begin(), set.tokenizer.vocabulary.end());
  int heldOutOnly = 0;
  for (const auto& word : heldOutWords) {
    if (trainingWords.count(word)) continue;
    ++heldOutOnly;
    EXPECT_FALSE(vocabulary.count(word)) << word << " is only in held-out questions";
  }
  EXPECT_GT(heldOutOnly, 20);  // "inflated", "recesses", held-out topics' names ...
  EXPECT_TRUE(vocabulary.count("fracture"));  // out-of-scope training words are in
  int nonsenseOnly = 0;
  for (const auto& word : nonsenseWords) {
    if (trainingWords.count(word)) continue;  // word salad uses real words: "apple", "river"
    ++nonsenseOnly;
    EXPECT_FALSE(vocabulary.count(word)) << word << " is a nonsense string";
  }
  EXPECT_GT(nonsenseOnly, 100);
  const auto answered = std::count_if(truth.begin(), truth.end(), [](const auto& row) { return row.expect == "answered"; });
  EXPECT_EQ(set.heldout.size(), static_cast<std::size_t>(answered));
}

TEST_F(TrainingSetTest, RefusalRowsAreNotImageRowsAndInverseAnswersAreTypeLevel) {
  PrepareOptions options;
  options.data = data();
  const auto set = buildTrainingSet(options);
  const auto truth = medvqa::training::readTruthFile(data());
  ASSERT_GT(std::count_if(truth.begin(), truth.end(), [](const auto& row) { return row.expect == "unsupported"; }), 0);
  ASSERT_GT(std::count_if(truth.begin(), truth.end(), [](const auto& row) { return row.expect == "not_applicable"; }), 0);
  std::set<std::size_t> shown;
  for (std::size_t i = 0; i < set.rows.size(); ++i) {
    const auto& row = set.rows[i];
    // truth_row is the line of truth.jsonl (nothing excluded here).
    ASSERT_LT(row.truthRow, truth.size());
    const auto& t = truth[row.truthRow];
    EXPECT_EQ(t.expect, "answered") << t.question;
    EXPECT_EQ(t.question, row.question);
    EXPECT_EQ(t.inverse, row.inverse);
    // The answer head learns the type's question: an inverse phrasing's truth is flipped back.
    const std::string typeAnswer = t.inverse ? (t.answer == "yes" ? "no" : "yes") : t.answer;
    EXPECT_EQ(row.answer, typeAnswer) << t.question;
    EXPECT_EQ(set.answers[static_cast<std::size_t>(set.answer[i])].text, typeAnswer);
    EXPECT_EQ(set.polarity[i], t.inverse ? 1 : 0);
    shown.insert(row.truthRow);
  }
  for (std::size_t r = 0; r < truth.size(); ++r) {
    EXPECT_EQ(shown.count(r) == 1, truth[r].expect == "answered") << r << " " << truth[r].question;
  }
}

TEST_F(TrainingSetTest, CanonicalQuestionsAndTheTextSet) {
  PrepareOptions options;
  options.data = data();
  const auto set = buildTrainingSet(options);
  const medvqa::vqa::Tokenizer tokenizer(set.tokenizer);
  const auto length = static_cast<std::size_t>(set.tokenizer.maxLength);
  const auto types = set.questionTypes.size();
  ASSERT_EQ(set.canonicalTokens.size(), types * length);
  for (std::size_t t = 0; t < types; ++t) {
    const auto question = medvqa::training::canonicalQuestion(set.questionTypes[t]);
    const auto synthType = medvqa::synth::parseQuestionType(set.questionTypes[t].name);
    ASSERT_TRUE(synthType);
    EXPECT_EQ(question, medvqa::synth::canonicalPhrasing(*synthType).text);
    const auto expected = tokenizer.encode(question);
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), set.canonicalTokens.begin() + static_cast<std::ptrdiff_t>(t * length)));
  }

  // Every phrasing and every out-of-scope item, held-out ones flagged.
  const auto k = set.textRows.size();
  EXPECT_EQ(k, medvqa::synth::allPhrasings().size() + medvqa::synth::outOfScopeQuestions().size());
  ASSERT_EQ(set.textTokens.size(), k * length);
  ASSERT_EQ(set.textType.size(), k);
  ASSERT_EQ(set.textPolarity.size(), k);
  ASSERT_EQ(set.textGroup.size(), k);
  ASSERT_EQ(set.textHeldout.size(), k);
  int none = 0, inverse = 0, heldout = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const auto& row = set.textRows[i];
    if (row.source == "phrasing") {
      EXPECT_EQ(set.questionTypes[static_cast<std::size_t>(set.textType[i])].name, row.type);
      EXPECT_EQ(set.textGroup[i], row.id);
    } else {
      EXPECT_EQ(row.source, "out_of_scope");
      EXPECT_EQ(set.textType[i], static_cast<std::int64_t>(types)) << "none of these";
      EXPECT_EQ(set.textGroup[i], medvqa::training::kOutOfScopeGroup + row.topic);
      EXPECT_EQ(set.textPolarity[i], 0);
      ++none;
    }
    EXPECT_EQ(set.textPolarity[i], row.inverse ? 1 : 0);
    EXPECT_EQ(set.textHeldout[i], row.heldout ? 1 : 0);
    const auto expected = tokenizer.encode(row.question);
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), set.textTokens.begin() + static_cast<std::ptrdiff_t>(i * length)));
    inverse += row.inverse ? 1 : 0;
    heldout += row.heldout ? 1 : 0;
  }
  EXPECT_GT(none, 3000);
  EXPECT_GE(inverse, 25);
  EXPECT_GT(heldout, 0);

  options.excludeHeldout = true;
  const auto training = buildTrainingSet(options);
  EXPECT_EQ(training.textRows.size(), k - static_cast<std::size_t>(heldout));
  for (const auto h : training.textHeldout) EXPECT_EQ(h, 0);
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
  EXPECT_TRUE(meta["rows"][0].contains("inverse"));
  ASSERT_EQ(meta["text_rows"].size(), set.textRows.size());
  for (const char* key : {"question", "type", "inverse", "group", "heldout", "source", "topic"})
    EXPECT_TRUE(meta["text_rows"][0].contains(key)) << key;

  // The tensors Python's torch.load reads, with the documented shapes.
  std::ifstream pt(prefix.string() + ".pt", std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(pt)), std::istreambuf_iterator<char>());
  const auto dict = torch::pickle_load(bytes).toGenericDict();
  const auto shape = [&](const char* name) { return dict.at(name).toTensor().sizes().vec(); };
  const auto m = static_cast<std::int64_t>(set.rows.size());
  const auto k = static_cast<std::int64_t>(set.textRows.size());
  const auto t = static_cast<std::int64_t>(set.questionTypes.size());
  const std::int64_t l = set.tokenizer.maxLength;
  EXPECT_EQ(shape("tokens"), (std::vector<std::int64_t>{m, l}));
  EXPECT_EQ(shape("polarity"), (std::vector<std::int64_t>{m}));
  EXPECT_EQ(shape("canonical_tokens"), (std::vector<std::int64_t>{t, l}));
  EXPECT_EQ(shape("text_tokens"), (std::vector<std::int64_t>{k, l}));
  for (const char* name : {"text_type", "text_polarity", "text_group", "text_heldout"})
    EXPECT_EQ(shape(name), (std::vector<std::int64_t>{k})) << name;
  EXPECT_EQ(dict.at("text_type").toTensor().max().item<std::int64_t>(), t);  // "none of these"
  EXPECT_EQ(dict.at("polarity").toTensor().sum().item<std::int64_t>(),
            std::count(set.polarity.begin(), set.polarity.end(), 1));
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
