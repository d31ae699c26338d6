#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>

#include "common/error.h"
#include "metrics/metrics.h"
#include "test_vqa_support.h"
#include "vqa/answer_combiner.h"
#include "vqa/answer_space.h"
#include "vqa/engine.h"

namespace medvqa::vqa {
namespace {

imaging::StudyImages studyWithHeader(const Model& model, int images, unsigned seed) {
  auto study = test::noiseStudy(model, images, seed);
  study.header = std::make_unique<DcmDataset>();
  study.header->putAndInsertString(DCM_SOPInstanceUID, study.images.front().sopInstanceUid.c_str());
  study.header->putAndInsertString(DCM_Modality, "CT");
  study.header->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
  return study;
}

// The engine's answer recomputed by hand: one predict per image on the type's canonical question,
// restricted to the type's answers, then the combiner.
CombinedAnswer reference(const Model& model, const imaging::StudyImages& study, const std::string& typeName) {
  const auto& type = model.manifest().questionTypes[*model.manifest().questionTypeIndex(typeName)];
  const auto tokens = model.tokenizer().encode(type.question);
  const AnswerSpace space(model.manifest(), type);
  std::vector<Probabilities> rows;
  for (const auto& image : study.images) {
    const std::span<const float> images[] = {image.pixels};
    const std::span<const std::int64_t> tokenRows[] = {tokens};
    rows.push_back(space.restrict(model.predict(images, tokenRows).front()));
  }
  return combineAnswers(model.manifest().answers, rows);
}

TEST(VqaEngine, ModelQuestionsCombineEveryImage) {
  const auto model = test::tinyModel();
  const Engine engine(model);
  const auto study = studyWithHeader(*model, 3, 7);
  const std::string question = "How many nodules are there?";
  const auto answer = engine.ask(study, question);
  EXPECT_EQ(answer.questionType, "nodule_count");
  const auto expected = reference(*model, study, "nodule_count");
  EXPECT_EQ(answer.text, model->manifest().answers[expected.best.index].text);
  EXPECT_NEAR(answer.confidence, expected.best.confidence, 1e-5);
  EXPECT_EQ(answer.source, AnswerSource::Model);
  EXPECT_EQ(answer.modelName, "tiny-vqa");
  EXPECT_EQ(answer.modelVersion, "0.0.1");
  EXPECT_EQ(answer.sopInstanceUids.size(), 3u);
  // Alternatives come from the type's answer space only (nodule_count: 0-3).
  EXPECT_EQ(answer.alternatives.size(), 3u);
  for (const auto& alternative : answer.alternatives) {
    EXPECT_TRUE(AnswerSpace(model->manifest(), model->manifest().questionTypes[*model->manifest().questionTypeIndex(
                                                   "nodule_count")])
                    .contains(*model->manifest().answerIndex(alternative.text)))
        << alternative.text;
  }
  EXPECT_EQ(answer.question, question);
}

TEST(VqaEngine, HeaderQuestionsSkipTheModel) {
  const auto model = test::tinyModel();
  const Engine engine(model);
  const auto study = studyWithHeader(*model, 2, 8);
  const auto answer = engine.ask(study, "What is the imaging plane?");
  EXPECT_EQ(answer.text, "axial");
  EXPECT_EQ(answer.source, AnswerSource::Header);
  EXPECT_EQ(answer.confidence, 1.0);
  EXPECT_EQ(engine.stats().requests, 0u);
}

TEST(VqaEngine, AskManyEqualsAskOneByOneAndEncodesOnce) {
  const auto model = test::tinyModel();
  const auto study = studyWithHeader(*model, 4, 9);
  const std::vector<std::string> questions = {"Is there a pleural effusion?", "Which side is the effusion on?",
                                              "What modality is this?", "How many nodules?", "Is the heart enlarged?"};
  const Engine many(model);
  const auto answers = many.askMany(study, questions);
  ASSERT_EQ(answers.size(), questions.size());
  EXPECT_EQ(many.stats().imagesEncoded, 4u);  // four images, encoded once for four model questions
  EXPECT_EQ(answers[2].source, AnswerSource::Header);
  const Engine single(model);
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const auto alone = single.ask(study, questions[i]);
    EXPECT_EQ(answers[i].text, alone.text) << questions[i];
    EXPECT_NEAR(answers[i].confidence, alone.confidence, 1e-5) << questions[i];
  }
  // The same study asked again: every image comes from the cache.
  const auto before = single.stats().imagesEncoded;
  single.askMany(study, questions);
  EXPECT_EQ(single.stats().imagesEncoded, before);
}

TEST(VqaEngine, MetricsCountAnswersBySourceAndEveryForwardPass) {
  const auto model = test::tinyModel();
  metrics::Metrics metrics;
  EngineConfig config;
  config.batcher.metrics = &metrics;
  const Engine engine(model, config);
  const auto study = studyWithHeader(*model, 2, 10);
  const std::vector<std::string> questions = {"Is there a pleural effusion?", "What modality is this?",
                                              "How many nodules?"};
  engine.askMany(study, questions);
  const std::string text = metrics.exposition();
  EXPECT_NE(text.find("medvqa_answers_total{source=\"model\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("medvqa_answers_total{source=\"header\"} 1"), std::string::npos) << text;
  // Two model questions on two images: four requests, however the batcher grouped them.
  EXPECT_NE(text.find("medvqa_inference_batch_size_sum 4"), std::string::npos) << text;
  EXPECT_NE(text.find("medvqa_inference_duration_seconds_count " + std::to_string(engine.stats().batches)),
            std::string::npos) << text;
}

TEST(VqaEngine, RefusesEmptyQuestionsAndImagelessStudies) {
  const auto model = test::tinyModel();
  const Engine engine(model);
  const auto study = studyWithHeader(*model, 1, 10);
  EXPECT_THROW(engine.ask(study, "   "), Error);
  imaging::StudyImages empty;
  EXPECT_THROW(engine.ask(empty, "Is there a pleural effusion?"), Error);
  EXPECT_THROW(engine.ask(empty, "What is the modality?"), Error);
}

}  // namespace
}  // namespace medvqa::vqa
