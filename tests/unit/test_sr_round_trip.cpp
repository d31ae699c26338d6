// Write -> read gives back every answer exactly: what the SR says is what the engine answered.
#include <dcmtk/dcmdata/dcdatset.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/sr_fixtures.h"
#include "common/error.h"
#include "sr/sr_reader.h"
#include "sr/sr_writer.h"

namespace {

using namespace medvqa;
namespace fix = medvqa::test::srfix;

TEST(SrRoundTrip, ReadsBackEveryAnswerExactly) {
  const auto study = fix::makeCtStudy();
  const auto request = fix::sampleRequest(study);
  const auto dataset = sr::writeReport(request);
  const auto read = sr::readAnswers(*dataset);
  EXPECT_EQ(read.studyInstanceUid, fix::kStudyUid);
  ASSERT_EQ(read.answers.size(), request.answers.size());
  for (std::size_t i = 0; i < read.answers.size(); ++i) {
    EXPECT_EQ(nlohmann::json(read.answers[i]), nlohmann::json(request.answers[i])) << "answer " << i;
    EXPECT_EQ(read.answers[i], request.answers[i]) << "answer " << i;
  }
}

TEST(SrRoundTrip, ThroughAFile) {
  const auto study = fix::makeCtStudy();
  const auto request = fix::sampleRequest(study);
  const fix::TempFolder dir;
  const auto file = dir.path() / "answers.dcm";
  sr::saveReport(*sr::writeReport(request), file);
  const auto read = sr::readAnswersFile(file);
  EXPECT_EQ(read.answers, request.answers);
  EXPECT_EQ(read.studyInstanceUid, fix::kStudyUid);
}

TEST(SrRoundTrip, KeepsTheAnswersOwnWordsBesideItsCode) {
  const auto study = fix::makeCtStudy();
  auto request = fix::sampleRequest(study);
  auto answer = fix::modelAnswer("Is the heart enlarged?", "Yes, enlarged", 0.8);
  answer.code = vqa::Code{"373066001", "SCT", "Yes"};
  request.answers = {answer};
  const auto read = sr::readAnswers(*sr::writeReport(request));
  ASSERT_EQ(read.answers.size(), 1u);
  EXPECT_EQ(read.answers[0].text, "Yes, enlarged");
  EXPECT_EQ(read.answers[0].code, answer.code);
}

TEST(SrRoundTrip, ConfidenceIsExactAtEveryScale) {
  const auto study = fix::makeCtStudy();
  auto request = fix::sampleRequest(study);
  request.answers.clear();
  for (const double confidence : {0.0, 1.0, 1.0 / 3.0, 1.234567890123456e-7, 0.99999999999999989}) {
    request.answers.push_back(fix::modelAnswer("q", "a", confidence));
  }
  const auto read = sr::readAnswers(*sr::writeReport(request));
  ASSERT_EQ(read.answers.size(), request.answers.size());
  for (std::size_t i = 0; i < read.answers.size(); ++i) {
    EXPECT_EQ(read.answers[i].confidence, request.answers[i].confidence) << i;
  }
}

TEST(SrRoundTrip, AnswerWithoutImagesOrAlternatives) {
  const auto study = fix::makeCtStudy();
  auto request = fix::sampleRequest(study);
  request.answers = {fix::modelAnswer("Is this a chest study?", "yes", 0.5)};
  const auto read = sr::readAnswers(*sr::writeReport(request));
  ASSERT_EQ(read.answers.size(), 1u);
  EXPECT_EQ(read.answers[0], request.answers[0]);
}

TEST(SrRoundTrip, MissingModelIdentityTakesTheRequestsAlgorithm) {
  const auto study = fix::makeCtStudy();
  auto request = fix::sampleRequest(study);
  auto answer = fix::modelAnswer("q", "a", 0.5);
  answer.modelName.clear();
  answer.modelVersion.clear();
  request.answers = {answer};
  const auto read = sr::readAnswers(*sr::writeReport(request));
  EXPECT_EQ(read.answers.at(0).modelName, request.algorithm.name);
  EXPECT_EQ(read.answers.at(0).modelVersion, request.algorithm.version);
}

TEST(SrRoundTrip, NonAsciiTextSurvives) {
  const auto study = fix::makeCtStudy();
  auto request = fix::sampleRequest(study);
  request.answers = {fix::modelAnswer("Gibt es einen Pleuraerguss?", "ja, größer als 2 cm", 0.5)};
  const auto read = sr::readAnswers(*sr::writeReport(request));
  EXPECT_EQ(read.answers.at(0), request.answers[0]);
}

TEST(SrRoundTrip, JsonHasStudyUidAndAnswers) {
  const auto study = fix::makeCtStudy();
  const auto request = fix::sampleRequest(study);
  const nlohmann::json json = sr::readAnswers(*sr::writeReport(request));
  EXPECT_EQ(json.at("study_uid"), fix::kStudyUid);
  ASSERT_EQ(json.at("answers").size(), request.answers.size());
  EXPECT_EQ(json.at("answers")[1].at("code").at("value"), "373066001");
  EXPECT_EQ(json.at("answers")[0].at("source"), "header");
}

}  // namespace
