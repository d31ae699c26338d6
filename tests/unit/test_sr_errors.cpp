// Requests that cannot make a valid SR are refused with a clear error, and the reader refuses
// what is not a MedVQA answer SR.
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmsr/dsrdoc.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>

#include "../support/sr_fixtures.h"
#include "common/error.h"
#include "sr/sr_codes.h"
#include "sr/sr_reader.h"
#include "sr/sr_writer.h"

namespace {

using namespace medvqa;
namespace fix = medvqa::test::srfix;

// Runs `action`, expects Error(code) whose message holds `needle`.
void expectError(const std::function<void()>& action, ErrorCode code, const std::string& needle) {
  try {
    action();
    ADD_FAILURE() << "expected an error mentioning '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

class SrWriterRefuses : public ::testing::Test {
 protected:
  void expectRefused(const std::function<void(sr::ReportRequest&)>& spoil, const std::string& needle,
                     ErrorCode code = ErrorCode::InvalidArgument) {
    auto request = fix::sampleRequest(study_);
    spoil(request);
    expectError([&] { sr::writeReport(request); }, code, needle);
  }
  std::vector<std::unique_ptr<DcmDataset>> study_ = fix::makeCtStudy();
};

TEST_F(SrWriterRefuses, NoSourceOrNoAnswer) {
  expectRefused([](auto& r) { r.sources.clear(); }, "at least one source");
  expectRefused([](auto& r) { r.sources.push_back(nullptr); }, "source instance 5 is null");
  expectRefused([](auto& r) { r.answers.clear(); }, "at least one answer");
}

TEST_F(SrWriterRefuses, SourcesOfTwoStudies) {
  auto other = fix::makeHeader("2.25.9", "2.25.9.1");
  other->putAndInsertString(DCM_StudyInstanceUID, "2.25.8");
  expectRefused([&](auto& r) { r.sources.push_back(other.get()); }, "covers one study");
}

TEST_F(SrWriterRefuses, ASourceWithoutItsUids) {
  auto broken = fix::makeHeader(fix::kCtSeriesUid, "2.25.5");
  broken->findAndDeleteElement(DCM_SOPClassUID);
  expectRefused([&](auto& r) { r.sources.push_back(broken.get()); }, "SOP Class UID");
}

TEST_F(SrWriterRefuses, AnAnswerCitingAnUnknownImage) {
  expectRefused([](auto& r) { r.answers[1].sopInstanceUids.push_back("2.25.404"); }, "2.25.404");
}

TEST_F(SrWriterRefuses, ConfidenceOutsideZeroToOne) {
  expectRefused([](auto& r) { r.answers[0].confidence = 1.5; }, "[0, 1]");
  expectRefused([](auto& r) { r.answers[0].confidence = std::nan(""); }, "[0, 1]");
  expectRefused([](auto& r) { r.answers[1].alternatives[0].confidence = -0.1; }, "alternative 1 confidence");
}

TEST_F(SrWriterRefuses, EmptyTexts) {
  expectRefused([](auto& r) { r.answers[2].question = " "; }, "MedVQA question 3: question is empty");
  expectRefused([](auto& r) { r.answers[3].text.clear(); }, "MedVQA question 4: answer is empty");
  expectRefused([](auto& r) { r.answers[3].alternatives[1].text.clear(); }, "alternative 2 is empty");
}

TEST_F(SrWriterRefuses, AModelAnswerWithoutAlgorithmIdentity) {
  expectRefused(
      [](auto& r) {
        r.answers[1].modelVersion.clear();
        r.algorithm.version.clear();
      },
      "TID 4019");
}

TEST_F(SrWriterRefuses, BadUids) {
  expectRefused([](auto& r) { r.sopInstanceUid = "1..2"; }, "SR SOP Instance UID");
  expectRefused([](auto& r) { r.seriesInstanceUid = "x"; }, "SR Series Instance UID");
  expectRefused([](auto& r) { r.device.uid.clear(); }, "Device Observer UID");
  expectRefused(
      [](auto& r) {
        r.predecessor = sr::InstanceReference{fix::kStudyUid, "2.25.1", "", "2.25.2"};
      },
      "predecessor SOP Class UID");
}

TEST_F(SrWriterRefuses, ACodeDcmtkCannotEncode) {
  expectRefused([](auto& r) { r.answers[1].code->meaning.clear(); }, "MedVQA question 2: answer code");
}

TEST(SrReaderRefuses, AnImage) {
  const auto image = fix::makeHeader(fix::kCtSeriesUid, fix::ctSopUid(1));
  expectError([&] { sr::readAnswers(*image); }, ErrorCode::InvalidArgument, "not a Comprehensive SR");
}

TEST(SrReaderRefuses, AComprehensiveSrThatIsNotOurs) {
  DSRDocument document(DSRTypes::DT_ComprehensiveSR);
  ASSERT_TRUE(document.getTree()
                  .addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container,
                                  DSRCodedEntryValue("11528-7", "LN", "Radiology Report"))
                  .good());
  ASSERT_TRUE(
      document.getTree()
          .addChildContentItem(DSRTypes::RT_contains, DSRTypes::VT_Text, DSRCodedEntryValue("121071", "DCM", "Finding"))
          .good());
  ASSERT_TRUE(document.getTree().getCurrentContentItem().setStringValue("normal").good());
  DcmDataset dataset;
  ASSERT_TRUE(document.write(dataset).good());
  expectError([&] { sr::readAnswers(dataset); }, ErrorCode::InvalidArgument, "not a MedVQA answer SR");
}

TEST(SrReaderRefuses, OursWithAMalformedGroup) {
  const auto study = fix::makeCtStudy();
  const auto written = sr::writeReport(fix::sampleRequest(study));
  DSRDocument document;
  ASSERT_TRUE(document.read(*written).good());
  ASSERT_GT(document.getTree().gotoNamedNode(sr::answerSourceConcept()), 0u);
  ASSERT_TRUE(document.getTree().getCurrentContentItem().setStringValue("oracle").good());
  DcmDataset tampered;
  ASSERT_TRUE(document.write(tampered).good());
  expectError([&] { sr::readAnswers(tampered); }, ErrorCode::InvalidArgument, "MedVQA question 1: answer source");
}

TEST(SrReaderRefuses, MissingAndNonDicomFiles) {
  const fix::TempFolder dir;
  expectError([&] { sr::readAnswersFile(dir.path() / "absent.dcm"); }, ErrorCode::NotFound, "absent.dcm");
  std::ofstream(dir.path() / "notes.txt") << "not DICOM at all\n";
  expectError([&] { sr::readAnswersFile(dir.path() / "notes.txt"); }, ErrorCode::Dicom, "notes.txt");
}

}  // namespace
