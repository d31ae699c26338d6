#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "common/error.h"
#include "test_vqa_support.h"
#include "vqa/model.h"
#include "vqa/model_checksums.h"

namespace medvqa::vqa {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A copy of the tiny model whose manifest a test may spoil; removed afterwards.
class ModelCopy {
 public:
  ModelCopy() : dir_(fs::temp_directory_path() / ("vqa-model-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    fs::create_directories(dir_);
    fs::copy_file(test::tinyModelFolder() / "model.pt", dir_ / "model.pt");
    std::ifstream in(test::tinyModelFolder() / "manifest.json");
    manifest_ = json::parse(in);
  }
  ~ModelCopy() { fs::remove_all(dir_); }

  json& manifest() { return manifest_; }
  const fs::path& dir() const { return dir_; }
  fs::path write() {
    std::ofstream(dir_ / "manifest.json") << manifest_.dump(2);
    return dir_;
  }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
  json manifest_;
};

void expectLoadRefused(const fs::path& dir, const std::string& field, const std::string& detail = "") {
  try {
    Model::load(dir, {.device = DeviceSpec::parse("cpu"), .warmupCalls = 0});
    ADD_FAILURE() << "loaded a model with a bad " << field;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Config) << e.what();
    const std::string message = e.what();
    EXPECT_NE(message.find(field + ":"), std::string::npos) << message;
    if (!detail.empty()) {
      EXPECT_NE(message.find(detail), std::string::npos) << message;
    }
  }
}

TEST(VqaModel, LoadsTheTinyModel) {
  const auto model = test::tinyModel();
  EXPECT_EQ(model->manifest().name, "tiny-vqa");
  EXPECT_EQ(model->device(), "cpu");
  EXPECT_TRUE(model->reusesFeatures());
  EXPECT_EQ(model->featureWidth(), 64u);
  EXPECT_EQ(model->pixelCount(), 64u * 64u);
}

TEST(VqaModel, ProbabilitiesAreASoftmaxRowPerRequest) {
  const auto model = test::tinyModel();
  const auto image = test::noiseImage(*model, 1);
  const auto tokens = model->tokenizer().encode("is there a pleural effusion");
  const std::span<const float> images[] = {image, image};
  const std::span<const std::int64_t> rows[] = {tokens, tokens};
  const auto probabilities = model->predict(images, rows);
  ASSERT_EQ(probabilities.size(), 2u);
  ASSERT_EQ(probabilities[0].size(), model->manifest().answers.size());
  EXPECT_NEAR(std::accumulate(probabilities[0].begin(), probabilities[0].end(), 0.0), 1.0, 1e-5);
  for (std::size_t a = 0; a < probabilities[0].size(); ++a) EXPECT_FLOAT_EQ(probabilities[0][a], probabilities[1][a]);
}

TEST(VqaModel, EncodeThenAnswerEqualsForwardAndTheForwardOnlyFallback) {
  const auto model = test::tinyModel();
  const auto fallback = test::tinyForwardModel();  // same weights, forward only
  EXPECT_FALSE(fallback->reusesFeatures());
  const auto image = test::noiseImage(*model, 2);
  const auto tokens = model->tokenizer().encode("which side is the effusion on?");
  const std::span<const float> images[] = {image};
  const std::span<const std::int64_t> rows[] = {tokens};
  const auto features = model->encode(images);
  ASSERT_EQ(features.size(), 1u);
  ASSERT_EQ(features[0].size(), 64u);
  const std::span<const float> featureRows[] = {features[0]};
  const auto viaAnswer = model->answer(featureRows, rows);
  const auto viaForward = fallback->predict(images, rows);
  for (std::size_t a = 0; a < viaAnswer[0].size(); ++a) EXPECT_NEAR(viaAnswer[0][a], viaForward[0][a], 1e-5);
}

TEST(VqaModel, TemperatureFlattensTheDistribution) {
  ModelCopy copy;
  copy.manifest()["calibration"]["temperature"] = 1.0;
  const auto sharp = Model::load(copy.write(), {.device = DeviceSpec::parse("cpu"), .warmupCalls = 0});
  const auto model = test::tinyModel();  // temperature 1.5
  const auto image = test::noiseImage(*model, 3);
  const auto tokens = model->tokenizer().encode("how many nodules");
  const std::span<const float> images[] = {image};
  const std::span<const std::int64_t> rows[] = {tokens};
  const auto p1 = sharp->predict(images, rows)[0];
  const auto p15 = model->predict(images, rows)[0];
  // softmax(z / 1.5) recomputed from softmax(z): p15_i ∝ p1_i^(1/1.5).
  double total = 0;
  for (float p : p1) total += std::pow(p, 1.0 / 1.5);
  for (std::size_t a = 0; a < p1.size(); ++a) EXPECT_NEAR(p15[a], std::pow(p1[a], 1.0 / 1.5) / total, 1e-5);
}

TEST(VqaModel, RefusesWrongInputSizes) {
  const auto model = test::tinyModel();
  const std::vector<float> small(10, 0.0f);
  const auto tokens = model->tokenizer().encode("is there");
  const std::span<const float> images[] = {small};
  const std::span<const std::int64_t> rows[] = {tokens};
  EXPECT_THROW(model->predict(images, rows), Error);
  const std::vector<std::int64_t> shortTokens(3, 0);
  const auto image = test::noiseImage(*model, 4);
  const std::span<const float> good[] = {image};
  const std::span<const std::int64_t> bad[] = {shortTokens};
  EXPECT_THROW(model->predict(good, bad), Error);
}

TEST(VqaModel, RefusesAnswerCountMismatchNamingAnswers) {
  ModelCopy copy;
  copy.manifest()["answers"].push_back({{"text", "4"}});
  expectLoadRefused(copy.write(), "answers", "module gives 10 logits, manifest lists 11");
}

TEST(VqaModel, RefusesFeatureSizeMismatch) {
  ModelCopy copy;
  copy.manifest()["feature_size"] = 65;
  expectLoadRefused(copy.write(), "feature_size", "[1, 64]");
}

TEST(VqaModel, RefusesMissingMethod) {
  ModelCopy copy;
  fs::copy_file(test::tinyModelFolder("tiny-model-forward") / "model.pt", copy.dir() / "model.pt",
                fs::copy_options::overwrite_existing);
  expectLoadRefused(copy.write(), "methods", "encode_image");
}

TEST(VqaModel, RefusesInputShapeTheModuleCannotTake) {
  ModelCopy copy;
  copy.manifest()["input"]["channels"] = 3;
  expectLoadRefused(copy.write(), "input");
}

TEST(VqaModel, RefusesVocabularyLargerThanTheEmbedding) {
  ModelCopy copy;
  copy.manifest()["tokenizer"]["ngram"]["buckets"] = 4096;
  expectLoadRefused(copy.write(), "tokenizer", "token id");
}

TEST(VqaModel, RefusesMissingFolderAndModule) {
  EXPECT_THROW(Model::load("/nonexistent/model"), Error);
  ModelCopy copy;
  copy.manifest()["module"] = "other.pt";
  try {
    Model::load(copy.write(), {.device = DeviceSpec::parse("cpu")});
    ADD_FAILURE() << "loaded without module";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::NotFound);
  }
}

TEST(VqaModel, RefusesAFileThatIsNotTorchScript) {
  ModelCopy copy;
  std::ofstream(copy.dir() / "model.pt", std::ios::trunc) << "not a zip";
  try {
    Model::load(copy.write(), {.device = DeviceSpec::parse("cpu")});
    ADD_FAILURE() << "loaded garbage";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("tiny-vqa 0.0.1"), std::string::npos) << e.what();
  }
}

TEST(VqaModel, ChecksumsAreVerified) {
  ModelCopy copy;
  copy.write();
  std::ofstream(copy.dir() / "SHA256SUMS") << sha256File(copy.dir() / "manifest.json") << "  manifest.json\n"
                                           << std::string(64, '0') << "  model.pt\n";
  try {
    Model::load(copy.dir(), {.device = DeviceSpec::parse("cpu")});
    ADD_FAILURE() << "loaded a module that does not match SHA256SUMS";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.pt does not match"), std::string::npos) << e.what();
  }
  // The tiny model's own SHA256SUMS (written by make_tiny_model.py) matches.
  EXPECT_NO_THROW(verifyChecksums(test::tinyModelFolder(), "model.pt"));
  // sha256sum's known vector.
  std::ofstream(copy.dir() / "abc") << "abc";
  EXPECT_EQ(sha256File(copy.dir() / "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(VqaModel, DeviceSpecParsing) {
  EXPECT_EQ(DeviceSpec::parse("auto").kind, DeviceSpec::Kind::Auto);
  EXPECT_EQ(DeviceSpec::parse("cpu").kind, DeviceSpec::Kind::Cpu);
  EXPECT_EQ(DeviceSpec::parse("cuda"), (DeviceSpec{DeviceSpec::Kind::Cuda, 0}));
  EXPECT_EQ(DeviceSpec::parse("cuda:3"), (DeviceSpec{DeviceSpec::Kind::Cuda, 3}));
  EXPECT_EQ(DeviceSpec::parse("cuda:3").toString(), "cuda:3");
  for (const char* bad : {"gpu", "cuda:", "cuda:x", "cuda:-1", "cuda:1x", ""}) {
    EXPECT_THROW(DeviceSpec::parse(bad), Error) << bad;
  }
}

TEST(VqaModel, AutoDeviceLoadsWhereverItCan) {
  const auto model = Model::load(test::tinyModelFolder(), {.device = DeviceSpec::parse("auto"), .warmupCalls = 2});
  EXPECT_TRUE(model->device() == "cpu" || model->device().rfind("cuda", 0) == 0) << model->device();
}

}  // namespace
}  // namespace medvqa::vqa
