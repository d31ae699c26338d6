#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "synth/question_templates.h"
#include "vqa/header_answers.h"
#include "vqa/question_router.h"

namespace medvqa::vqa {
namespace {

using nlohmann::json;

DcmDataset header(std::initializer_list<std::pair<DcmTagKey, const char*>> values) {
  DcmDataset dataset;
  dataset.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.2.1");
  for (const auto& [tag, value] : values) dataset.putAndInsertString(tag, value);
  return dataset;
}

Answer ask(HeaderAttribute attribute, std::initializer_list<std::pair<DcmTagKey, const char*>> values) {
  auto dataset = header(values);
  return answerFromHeader(attribute, dataset, "q");
}

TEST(VqaHeader, PlaneFromImageOrientation) {
  EXPECT_EQ(imagingPlane({1, 0, 0, 0, 1, 0}), "axial");
  EXPECT_EQ(imagingPlane({1, 0, 0, 0, 0, -1}), "coronal");
  EXPECT_EQ(imagingPlane({0, 1, 0, 0, 0, -1}), "sagittal");
  // A CT gantry tilted by 20 degrees is still axial; 45 degrees is oblique.
  EXPECT_EQ(imagingPlane({1, 0, 0, 0, 0.9397, -0.3420}), "axial");
  EXPECT_EQ(imagingPlane({1, 0, 0, 0, 0.7071, -0.7071}), "oblique");
  EXPECT_EQ(imagingPlane({0, 0, 0, 0, 0, 0}), std::nullopt);
}

TEST(VqaHeader, AnswersFromAttributes) {
  auto plane = ask(HeaderAttribute::ImagingPlane, {{DCM_ImageOrientationPatient, "1\\0\\0\\0\\0\\-1"}});
  EXPECT_EQ(plane.text, "coronal");
  EXPECT_EQ(plane.confidence, 1.0);
  EXPECT_EQ(plane.source, AnswerSource::Header);
  EXPECT_EQ(plane.modelName, kHeaderModelName);
  EXPECT_EQ(plane.sopInstanceUids, std::vector<std::string>{"1.2.826.0.1.3680043.2.1"});
  EXPECT_EQ(plane.code->value, "81654009");

  auto modality = ask(HeaderAttribute::Modality, {{DCM_Modality, "CT"}});
  EXPECT_EQ(modality.text, "CT");
  EXPECT_EQ(modality.code, (Code{"CT", "DCM", "Computed Tomography"}));
  EXPECT_EQ(ask(HeaderAttribute::BodyPart, {{DCM_BodyPartExamined, "CHEST"}}).text, "chest");
  EXPECT_EQ(ask(HeaderAttribute::Laterality, {{DCM_ImageLaterality, "L"}}).text, "left");
  EXPECT_EQ(ask(HeaderAttribute::Laterality, {{DCM_Laterality, "R"}}).code->value, "24028007");
  EXPECT_EQ(ask(HeaderAttribute::PatientSex, {{DCM_PatientSex, "F"}}).text, "female");
  EXPECT_EQ(ask(HeaderAttribute::PatientAge, {{DCM_PatientAge, "054Y"}}).text, "54 years");
  EXPECT_EQ(ask(HeaderAttribute::StudyDate, {{DCM_StudyDate, "20240131"}}).text, "2024-01-31");
  EXPECT_EQ(ask(HeaderAttribute::ContrastAgent, {{DCM_ContrastBolusAgent, "IOHEXOL"}}).text, "yes");
  EXPECT_EQ(ask(HeaderAttribute::ContrastAgent, {}).text, "no");
}

TEST(VqaHeader, AbsentAttributeIsUnknownWithZeroConfidence) {
  auto answer = ask(HeaderAttribute::PatientSex, {});
  EXPECT_EQ(answer.text, "unknown");
  EXPECT_EQ(answer.confidence, 0.0);
  EXPECT_EQ(answer.source, AnswerSource::Header);
}

TEST(VqaHeader, DescribesAges) {
  EXPECT_EQ(describeAge("003M"), "3 months");
  EXPECT_EQ(describeAge("001Y"), "1 year");
  EXPECT_EQ(describeAge("010W"), "10 weeks");
  EXPECT_EQ(describeAge("5Y"), "5Y");
}

TEST(VqaRouter, DefaultTableRoutesHeaderQuestions) {
  const auto router = QuestionRouter::defaults();
  const std::vector<std::pair<std::string, HeaderAttribute>> header = {
      {"What is the modality?", HeaderAttribute::Modality},
      {"What kind of scan is this?", HeaderAttribute::Modality},
      {"In which plane was this acquired?", HeaderAttribute::ImagingPlane},
      {"Is this axial or coronal?", HeaderAttribute::ImagingPlane},
      {"What body part is shown?", HeaderAttribute::BodyPart},
      {"Which side was imaged?", HeaderAttribute::Laterality},
      {"What is the laterality?", HeaderAttribute::Laterality},
      {"What is the image laterality?", HeaderAttribute::Laterality},
      {"What is the laterality of this radiograph?", HeaderAttribute::Laterality},
      {"What's the patient's sex?", HeaderAttribute::PatientSex},
      {"How old is the patient?", HeaderAttribute::PatientAge},
      {"What is the patient's age?", HeaderAttribute::PatientAge},
      {"When was this study performed?", HeaderAttribute::StudyDate},
      {"Was IV contrast given?", HeaderAttribute::ContrastAgent},
  };
  for (const auto& [question, attribute] : header) {
    EXPECT_EQ(router.route(question), attribute) << question;
  }
  for (const char* model : {"Is there a pleural effusion?", "Which side is the effusion on?", "How many nodules?",
                            "Is the heart enlarged?", "Is there a liver lesion?", "How large is the lesion?"}) {
    EXPECT_EQ(router.route(model), std::nullopt) << model;
  }
}

// The laterality of a finding is the model's question, not the header's; medvqa-demo 1.0.0 lost
// two trained phrasings to a bare "\blaterality\b" pattern.
TEST(VqaRouter, NoQuestionTheModelWasTrainedOnGoesToTheHeader) {
  const auto router = QuestionRouter::defaults();
  for (const synth::Phrasing& p : synth::allPhrasings()) {
    EXPECT_EQ(router.route(std::string(p.text)), std::nullopt) << p.id << " " << p.text;
  }
}

TEST(VqaRouter, TablesAreData) {
  const auto router = QuestionRouter::fromJson(json::parse(R"({"format": 1, "questions": [
      {"attribute": "patient_sex", "patterns": ["\\bboy or girl\\b"]}]})"));
  EXPECT_EQ(router.route("Boy or girl?"), HeaderAttribute::PatientSex);
  EXPECT_EQ(router.route("What is the patient's sex?"), std::nullopt);
}

TEST(VqaRouter, RefusesBadTablesNamingTheEntry) {
  auto expectRefused = [](const char* table, const std::string& field) {
    try {
      QuestionRouter::fromJson(json::parse(table));
      ADD_FAILURE() << "accepted " << table;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::Config);
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  expectRefused(R"({"format": 1, "questions": [{"attribute": "weight", "patterns": []}]})",
                "questions[0].attribute");
  expectRefused(R"({"format": 1, "questions": [{"attribute": "modality", "patterns": ["(unclosed"]}]})",
                "questions[0].patterns[0]");
  expectRefused(R"({"format": 1})", "questions");
}

TEST(VqaRouter, DefaultTableEqualsModelsFile) {
  // tests/unit/<this file> -> the source tree (CMake compiles with absolute paths).
  const auto file = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "models" /
                    "header-questions.json";
  std::ifstream in(file);
  ASSERT_TRUE(in) << file;
  EXPECT_EQ(json::parse(in), json::parse(QuestionRouter::defaultTableJson()))
      << "core/vqa/header_questions_default.cpp and models/header-questions.json differ";
  EXPECT_NO_THROW(QuestionRouter::fromFile(file));
}

}  // namespace
}  // namespace medvqa::vqa
