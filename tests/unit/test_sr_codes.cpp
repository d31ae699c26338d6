// The codes and number formats the SR is built from.
#include <dcmtk/dcmsr/dsrcodvl.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "sr/confidence.h"
#include "sr/sr_codes.h"

namespace {

using namespace medvqa;

TEST(SrCodes, StandardCodesForClosedAnswers) {
  EXPECT_EQ(sr::standardAnswerCode("yes"), (vqa::Code{"373066001", "SCT", "Yes"}));
  EXPECT_EQ(sr::standardAnswerCode(" No "), (vqa::Code{"373067005", "SCT", "No"}));
  EXPECT_EQ(sr::standardAnswerCode("LEFT"), (vqa::Code{"7771000", "SCT", "Left"}));
  EXPECT_EQ(sr::standardAnswerCode("right"), (vqa::Code{"24028007", "SCT", "Right"}));
  EXPECT_EQ(sr::standardAnswerCode("bilateral"), (vqa::Code{"51440002", "SCT", "Bilateral"}));
  EXPECT_FALSE(sr::standardAnswerCode("maybe"));
  EXPECT_FALSE(sr::standardAnswerCode(""));
}

TEST(SrCodes, PrivateConceptsUseTheDeclaredScheme) {
  for (const auto& concept_ :
       {sr::questionConcept(), sr::answerConcept(), sr::answerSourceConcept(), sr::alternativeAnswerConcept()}) {
    EXPECT_EQ(concept_.getCodingSchemeDesignator(), sr::kPrivateScheme);
    EXPECT_TRUE(concept_.isValid());
  }
  EXPECT_EQ(sr::confidenceConcept().getCodeValue(), "111012");
  EXPECT_EQ(sr::ratioUnit().getCodeValue(), "{ratio}");
}

TEST(SrCodes, CodeConversionsRoundTripAndRefuseIncompleteCodes) {
  const vqa::Code code{"CT", "DCM", "Computed Tomography"};
  EXPECT_EQ(sr::fromCodedEntry(sr::toCodedEntry(code, "modality")), code);
  EXPECT_TRUE(sr::sameConcept(sr::toCodedEntry(code, "a"), DSRCodedEntryValue("CT", "DCM", "other meaning")));
  try {
    sr::toCodedEntry({"", "SCT", "Yes"}, "answer code");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("answer code"), std::string::npos);
  }
}

TEST(SrConfidence, FormatFitsDecimalString) {
  for (const double value :
       {0.0, 1.0, 0.5, 1.0 / 3.0, 2.0 / 3.0, 1.234567890123456e-7, 9.87654321e-300, 0.99999999999999989}) {
    const std::string text = sr::formatConfidence(value);
    EXPECT_LE(text.size(), 16u) << text;
    EXPECT_NEAR(std::stod(text), value, 1e-12) << text;
  }
  EXPECT_EQ(sr::formatConfidence(0.97), "0.97");
  EXPECT_EQ(sr::formatConfidence(1.0), "1");
}

TEST(SrConfidence, OnlyZeroToOne) {
  EXPECT_EQ(sr::checkedConfidence(0.25, "c"), 0.25);
  EXPECT_THROW(sr::checkedConfidence(-1e-9, "c"), Error);
  EXPECT_THROW(sr::checkedConfidence(1.0000001, "c"), Error);
  EXPECT_THROW(sr::checkedConfidence(std::numeric_limits<double>::infinity(), "c"), Error);
}

}  // namespace
