// The understanding stage and the outcomes it leads to, on the tiny test models, whose
// `understand` head is hand-written (tests/support/make_tiny_model.py): effusion/pleural/fluid
// words make effusion questions ("which"/"side" the side type), nodule words nodule_count,
// liver words liver_lesion (CT of the ABDOMEN only), "normal"/"clear" inverse polarity, and
// anything else "none of these".
#include <dcmtk/dcmdata/dcdeftag.h>
#include <gtest/gtest.h>

#include "metrics/metrics.h"
#include "test_vqa_support.h"
#include "vqa/engine.h"
#include "vqa/question_understanding.h"

namespace medvqa::vqa {
namespace {

std::shared_ptr<const Model> load(const std::string& name) {
  return Model::load(test::tinyModelFolder(name), {.device = DeviceSpec::parse("cpu")});
}

imaging::StudyImages study(const Model& model, const char* modality, const char* bodyPart) {
  auto s = test::noiseStudy(model, 2, 31);
  s.header = std::make_unique<DcmDataset>();
  s.header->putAndInsertString(DCM_SOPInstanceUID, s.images.front().sopInstanceUid.c_str());
  s.header->putAndInsertString(DCM_Modality, modality);
  s.header->putAndInsertString(DCM_BodyPartExamined, bodyPart);
  return s;
}

TEST(QuestionUnderstanding, ReadsTypePolarityHeaderOrNothing) {
  const auto model = test::tinyModel();
  const auto router = QuestionRouter::defaults();
  const QuestionUnderstanding understanding(*model, router);
  const std::vector<std::string> questions = {"Is there a pleural effusion?", "Is the pleural space clear?",
                                              "Which side is the effusion on?", "What is the modality?",
                                              "asdf qwer zxcv?"};
  const auto r = understanding.understand(questions);
  using Kind = Understanding::Kind;
  EXPECT_EQ(r[0].kind, Kind::ModelType);
  EXPECT_EQ(model->manifest().questionTypes[r[0].type].name, "effusion_presence");
  EXPECT_FALSE(r[0].inverse);
  EXPECT_EQ(r[1].kind, Kind::ModelType);
  EXPECT_EQ(r[1].type, r[0].type);
  EXPECT_TRUE(r[1].inverse);
  EXPECT_EQ(model->manifest().questionTypes[r[2].type].name, "effusion_side");
  EXPECT_FALSE(r[2].inverse);  // only yes/no types are asked the other way round
  EXPECT_EQ(r[3].kind, Kind::Header);
  EXPECT_EQ(r[4].kind, Kind::Unsupported);
  EXPECT_NE(r[4].reason.find("effusion presence, effusion side"), std::string::npos) << r[4].reason;
}

TEST(QuestionUnderstanding, AFormatOneModelLeavesQuestionsUnscreened) {
  const auto model = load("tiny-model-v1");
  const auto router = QuestionRouter::defaults();
  EXPECT_EQ(QuestionUnderstanding(*model, router).understand("asdf qwer zxcv?").kind, Understanding::Kind::Unscreened);
  const Engine engine(model);
  const auto answer = engine.ask(study(*model, "CR", "CHEST"), "asdf qwer zxcv?");
  EXPECT_EQ(answer.status, AnswerStatus::Answered);
  EXPECT_TRUE(answer.questionType.empty());
}

TEST(EngineOutcomes, InversePolarityFlipsTheTypesAnswerWithTheSameConfidence) {
  const auto model = test::tinyModel();
  const Engine engine(model);
  const auto chest = study(*model, "CR", "CHEST");
  const auto direct = engine.ask(chest, "Is there a pleural effusion?");
  const auto inverse = engine.ask(chest, "Is the pleural space clear?");
  ASSERT_EQ(direct.status, AnswerStatus::Answered);
  ASSERT_EQ(inverse.status, AnswerStatus::Answered);
  EXPECT_TRUE(inverse.inverse);
  EXPECT_EQ(inverse.text, direct.text == "yes" ? "no" : "yes");
  EXPECT_DOUBLE_EQ(inverse.confidence, direct.confidence);
  ASSERT_TRUE(inverse.code.has_value());
  EXPECT_EQ(inverse.code->meaning, inverse.text == "yes" ? "Yes" : "No");
  ASSERT_EQ(inverse.alternatives.size(), 1u);
  EXPECT_EQ(inverse.alternatives[0].text, direct.text);
}

TEST(EngineOutcomes, EachRefusalHasItsStatusAndReasonAndIsCounted) {
  const auto model = test::tinyModel();
  metrics::Metrics metrics;
  const Engine engine(model, {.batcher = {.metrics = &metrics}});
  const auto chest = study(*model, "CR", "CHEST");
  const auto unsupported = engine.ask(chest, "Describe the findings.");
  EXPECT_EQ(unsupported.status, AnswerStatus::Unsupported);
  EXPECT_TRUE(unsupported.text.empty());
  const auto liver = engine.ask(chest, "Is there a liver lesion?");
  EXPECT_EQ(liver.status, AnswerStatus::NotApplicable);
  EXPECT_EQ(liver.questionType, "liver_lesion");
  EXPECT_NE(liver.reason.find("this study is CR of the CHEST"), std::string::npos) << liver.reason;
  // The same type on a study it applies to is answered.
  EXPECT_EQ(engine.ask(study(*model, "CT", "ABDOMEN"), "Is there a liver lesion?").status, AnswerStatus::Answered);
  const auto exposition = metrics.exposition();
  EXPECT_NE(exposition.find("medvqa_refusals_total{status=\"unsupported\"} 1"), std::string::npos) << exposition;
  EXPECT_NE(exposition.find("medvqa_refusals_total{status=\"not_applicable\"} 1"), std::string::npos) << exposition;
}

TEST(EngineOutcomes, BelowTheTypesThresholdTheAnswerIsOnlyABestGuess) {
  const auto model = load("tiny-model-strict");
  const Engine engine(model);
  const auto answer = engine.ask(study(*model, "CR", "CHEST"), "Is there a pleural effusion?");
  EXPECT_EQ(answer.status, AnswerStatus::Uncertain);
  EXPECT_FALSE(answer.text.empty());  // the best guess
  EXPECT_LT(answer.confidence, 0.99);
  EXPECT_NE(answer.reason.find("below 0.99"), std::string::npos) << answer.reason;
}

}  // namespace
}  // namespace medvqa::vqa
