// The pieces of issue 11's understanding stage that need no model: the format-2 manifest fields,
// a type's answer space and polarity flip, applicability against a study's header, the refusal
// JSON, and the start-up check of rule questions against question types.
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "pipeline/rule_questions.h"
#include "pipeline/rules.h"
#include "vqa/answer.h"
#include "vqa/answer_space.h"
#include "vqa/applicability.h"
#include "vqa/manifest.h"

namespace medvqa::vqa {
namespace {

using nlohmann::json;

json formatTwo() {
  return json::parse(R"({
    "format": 2, "name": "m", "version": "2.0.0",
    "input": {"channels": 1, "height": 8, "width": 8, "mean": 0.5, "std": 0.25},
    "tokenizer": {"type": "words+char-ngrams", "lowercase": true, "max_length": 8,
                  "vocabulary": ["<pad>", "<unk>"], "ngram": {"n": 3, "buckets": 16}},
    "answers": [{"text": "yes"}, {"text": "no"}, {"text": "left"}, {"text": "right"}, {"text": "1"}],
    "question_types": [
      {"name": "effusion_presence", "closed": true, "combine": "max_confidence",
       "question": "Is there a pleural effusion?", "answers": ["yes", "no"], "anatomy": "pleural space",
       "applies_to": [{"modality": ["cr", "DX"], "body_part": ["CHEST"]}], "threshold": 0.9},
      {"name": "liver_lesion", "closed": true, "combine": "max_confidence",
       "answers": ["yes", "no"], "anatomy": "liver", "applies_to": [{"modality": ["CT"], "body_part": ["ABDOMEN"]}]}],
    "methods": ["forward", "understand"],
    "understanding": {"temperature": 1.5, "min_confidence": 0.6}
  })");
}

TEST(VqaManifestFormat2, ReadsTheUnderstandingFieldsAndWritesThemBack) {
  const auto manifest = parseManifest(formatTwo());
  ASSERT_TRUE(manifest.understanding.has_value());
  EXPECT_DOUBLE_EQ(manifest.understanding->temperature, 1.5);
  EXPECT_DOUBLE_EQ(manifest.understanding->minConfidence, 0.6);
  const auto& type = manifest.questionTypes[0];
  EXPECT_EQ(type.question, "Is there a pleural effusion?");
  EXPECT_EQ(type.answers, (std::vector<std::string>{"yes", "no"}));
  EXPECT_EQ(type.anatomy, "pleural space");
  ASSERT_EQ(type.appliesTo.size(), 1u);
  EXPECT_EQ(type.appliesTo[0].modalities, (std::vector<std::string>{"CR", "DX"}));  // upper-cased
  EXPECT_DOUBLE_EQ(type.threshold, 0.9);
  EXPECT_EQ(manifest.questionTypeIndex("liver_lesion"), 1u);
  EXPECT_EQ(parseManifest(toJson(manifest)).questionTypes[0].appliesTo, type.appliesTo);
  EXPECT_DOUBLE_EQ(parseManifest(toJson(manifest)).understanding->minConfidence, 0.6);
}

TEST(VqaManifestFormat2, AFormatOneManifestLoadsWithNoScreeningDefaults) {
  auto old = formatTwo();
  old["format"] = 1;
  old["methods"] = {"forward"};
  old.erase("understanding");
  for (auto& type : old["question_types"]) {
    for (const char* key : {"question", "answers", "anatomy", "applies_to", "threshold"}) type.erase(key);
  }
  const auto manifest = parseManifest(old);
  EXPECT_FALSE(manifest.understanding.has_value());
  EXPECT_TRUE(manifest.questionTypes[0].answers.empty());
  EXPECT_TRUE(manifest.questionTypes[0].appliesTo.empty());
  EXPECT_DOUBLE_EQ(manifest.questionTypes[0].threshold, 0.0);
}

void expectConfigError(const json& manifest, const std::string& fragment) {
  try {
    parseManifest(manifest);
    ADD_FAILURE() << "accepted: " << fragment;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Config);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(VqaManifestFormat2, RefusesInconsistentFields) {
  auto unknownAnswer = formatTwo();
  unknownAnswer["question_types"][0]["answers"] = {"yes", "maybe"};
  expectConfigError(unknownAnswer, "question_types[0].answers: \"maybe\" is not one of the model's answers");
  auto threshold = formatTwo();
  threshold["question_types"][0]["threshold"] = 1.5;
  expectConfigError(threshold, "question_types[0].threshold: must be within [0, 1]");
  auto noMethod = formatTwo();
  noMethod["methods"] = {"forward"};
  expectConfigError(noMethod, "understanding: needs method \"understand\"");
  auto future = formatTwo();
  future["format"] = 3;
  expectConfigError(future, "format");
}

TEST(AnswerSpace, RestrictsToTheTypesAnswersAndFlipsYesAndNo) {
  const auto manifest = parseManifest(formatTwo());
  const AnswerSpace space(manifest, manifest.questionTypes[0]);
  const auto row = space.restrict({0.2f, 0.2f, 0.3f, 0.1f, 0.2f});
  EXPECT_FLOAT_EQ(row[0], 0.5f);
  EXPECT_FLOAT_EQ(row[1], 0.5f);
  EXPECT_FLOAT_EQ(row[2] + row[3] + row[4], 0.0f);
  EXPECT_TRUE(space.contains(0));
  EXPECT_FALSE(space.contains(4));
  EXPECT_EQ(space.flipped(0), 1u);
  EXPECT_EQ(space.flipped(1), 0u);
  EXPECT_EQ(space.flipped(2), 2u);  // not a yes/no answer: unchanged
  const AnswerSpace everything(manifest);
  EXPECT_TRUE(everything.contains(4));
  // No mass inside the space: uniform over it, never a division by zero.
  const auto empty = space.restrict({0.0f, 0.0f, 0.5f, 0.5f, 0.0f});
  EXPECT_FLOAT_EQ(empty[0], 0.5f);
}

DcmDataset headerOf(const char* modality, const char* bodyPart) {
  DcmDataset header;
  header.putAndInsertString(DCM_Modality, modality);
  if (bodyPart != nullptr) header.putAndInsertString(DCM_BodyPartExamined, bodyPart);
  return header;
}

TEST(Applicability, ChecksModalityAndBodyPartCaseInsensitively) {
  const auto manifest = parseManifest(formatTwo());
  const auto& chest = manifest.questionTypes[0];
  const auto& liver = manifest.questionTypes[1];
  const auto cr = imagedRegionOf(headerOf("CR", " chest "));
  EXPECT_EQ(cr.bodyPart, "CHEST");
  EXPECT_TRUE(appliesTo(chest, cr));
  EXPECT_FALSE(appliesTo(liver, cr));
  const auto why = notApplicableReason(manifest, liver, cr);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("the liver (liver_lesion)"), std::string::npos) << *why;
  EXPECT_NE(why->find("CT of the ABDOMEN"), std::string::npos) << *why;
  EXPECT_NE(why->find("this study is CR of the CHEST"), std::string::npos) << *why;
  // A study that does not say what it shows is not assumed to show the chest.
  EXPECT_FALSE(appliesTo(chest, imagedRegionOf(headerOf("DX", nullptr))));
  QuestionType anywhere;
  EXPECT_TRUE(appliesTo(anywhere, imagedRegionOf(headerOf("MR", "BRAIN"))));
}

TEST(AnswerStatusJson, ARefusalCarriesItsReasonAndNeverAnAnswer) {
  Answer refused;
  refused.question = "Is there a liver lesion?";
  refused.status = AnswerStatus::NotApplicable;
  refused.reason = "a question about the liver";
  refused.questionType = "liver_lesion";
  refused.modelName = "m";
  const json out = refused;
  EXPECT_EQ(out["status"], "not_applicable");
  EXPECT_EQ(out["reason"], "a question about the liver");
  EXPECT_FALSE(out.contains("answer"));
  EXPECT_FALSE(out.contains("best_guess"));
  EXPECT_EQ(out["question_type"], "liver_lesion");
  EXPECT_EQ(out["polarity"], "direct");
  EXPECT_EQ(out.get<Answer>(), refused);

  Answer guess = refused;
  guess.status = AnswerStatus::Uncertain;
  guess.text = "yes";
  guess.confidence = 0.6;
  guess.inverse = true;
  guess.code = Code{"373066001", "SCT", "Yes"};
  const json uncertain = guess;
  EXPECT_EQ(uncertain["best_guess"], "yes");
  EXPECT_FALSE(uncertain.contains("answer"));
  EXPECT_FALSE(uncertain.contains("code"));  // a guess is not written as a coded answer
  EXPECT_EQ(uncertain["polarity"], "inverse");

  // An answer JSON from before statuses existed still reads, as answered.
  json old = {{"question", "q"}, {"answer", "no"}, {"confidence", 0.9}, {"source", "model"},
              {"model", {{"name", "m"}, {"version", "1"}}}, {"evidence", json::array()}, {"alternatives", json::array()}};
  EXPECT_EQ(old.get<Answer>().status, AnswerStatus::Answered);
  EXPECT_THROW(parseAnswerStatus("maybe"), Error);
}

pipeline::Rule ruleFor(const json& match) {
  json rules = json::array({{{"name", "r"}, {"match", match}, {"questions", {"q"}}}});
  return pipeline::parseRules(rules).front();
}

TEST(RuleQuestions, ATypeMustApplyToEveryStudyTheRuleSelects) {
  const auto manifest = parseManifest(formatTwo());
  const auto& chest = manifest.questionTypes[0];
  EXPECT_FALSE(pipeline::ruleMismatch(ruleFor({{"modality", {"CR", "DX"}}, {"bodyPart", "chest|thorax"}}), chest));
  const auto ct = pipeline::ruleMismatch(ruleFor({{"modality", "CT"}, {"bodyPart", "chest"}}), chest);
  ASSERT_TRUE(ct.has_value());
  EXPECT_NE(ct->find("the rule matches CT"), std::string::npos) << *ct;
  EXPECT_NE(ct->find("effusion_presence applies only to CR or DX of the CHEST"), std::string::npos) << *ct;
  EXPECT_TRUE(pipeline::ruleMismatch(ruleFor({{"modality", "CR"}}), chest).has_value());  // any body part
  EXPECT_TRUE(pipeline::ruleMismatch(ruleFor({{"bodyPart", "chest"}}), chest).has_value());  // any modality
  QuestionType anywhere;
  EXPECT_FALSE(pipeline::ruleMismatch(ruleFor({{"bodyPart", "brain"}}), anywhere));
}

}  // namespace
}  // namespace medvqa::vqa
