#include "sr/answer_group.h"

#include <dcmtk/dcmsr/cmr/tid1500.h>
#include <dcmtk/dcmsr/codes/dcm.h>

#include "common/error.h"
#include "sr/confidence.h"
#include "sr/dcmtk_status.h"
#include "sr/sr_codes.h"

namespace medvqa::sr {

namespace {

using Group = TID1500_MeasurementReport::TID1501_Measurements;

void requireText(const std::string& text, const std::string& what) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw Error(ErrorCode::InvalidArgument, what + " is empty");
  }
}

// TID 300 (Measurement): the confidence as a NUM, with the images it was inferred from (TID 320).
// DCMTK's TID 1501 requires one measurement per group, and the confidence is the one number an
// answer has, so it is the group's measurement.
void addConfidence(Group& group, const AnswerGroup& input) {
  const double confidence = checkedConfidence(input.answer.confidence, input.trackingIdentifier + ": confidence");
  Group::MeasurementValue value(formatConfidence(confidence).c_str(),
                                CID7181_AbstractMultiDimensionalImageModelComponentUnits(
                                    CID7181_AbstractMultiDimensionalImageModelComponentUnits::Ratio));
  // The DS string holds 14 significant digits; the FD keeps the double exactly for the reader.
  check(value.setFloatingPointRepresentation(confidence), "confidence value");
  check(group.addMeasurement(CID7469_GenericIntensityAndSizeMeasurements(confidenceConcept()), value),
        input.trackingIdentifier + ": confidence measurement");
  for (const SourceInstance* image : input.images) {
    check(group.getMeasurement().addImage(
              CODE_DCM_SourceOfMeasurement,
              DSRImageReferenceValue(image->sopClassUid.c_str(), image->sopInstanceUid.c_str())),
          input.trackingIdentifier + ": image reference " + image->sopInstanceUid);
  }
}

// The answer: CODE when the answer carries a code (its own words follow as a child, added by
// group_extensions.cpp), TEXT otherwise.
void addAnswer(Group& group, const AnswerGroup& input) {
  const auto& answer = input.answer;
  const std::string what = input.trackingIdentifier + ": answer";
  requireText(answer.text, what);
  if (answer.code) {
    check(group.addQualitativeEvaluation(answerConcept(), toCodedEntry(*answer.code, what + " code")), what);
  } else {
    check(group.addQualitativeEvaluation(answerConcept(), answer.text.c_str()), what);
  }
}

// Runner-up answers as TEXT (their confidences follow as children, added by group_extensions.cpp).
void addAlternatives(Group& group, const AnswerGroup& input) {
  for (std::size_t i = 0; i < input.answer.alternatives.size(); ++i) {
    const auto& alternative = input.answer.alternatives[i];
    const std::string what = input.trackingIdentifier + ": alternative " + std::to_string(i + 1);
    requireText(alternative.text, what);
    checkedConfidence(alternative.confidence, what + " confidence");
    check(group.addQualitativeEvaluation(alternativeAnswerConcept(), alternative.text.c_str()), what);
  }
}

}  // namespace

void addAnswerGroup(TID1500_MeasurementReport& report, const AnswerGroup& input) {
  const auto& answer = input.answer;
  requireText(answer.question, input.trackingIdentifier + ": question");
  check(report.addIndividualMeasurements(), "new measurement group");
  Group& group = report.getIndividualMeasurements();
  check(group.setTrackingIdentifier(input.trackingIdentifier.c_str()), input.trackingIdentifier);
  check(group.setTrackingUniqueIdentifier(input.trackingUid.c_str()), input.trackingIdentifier + ": tracking UID");
  addConfidence(group, input);
  check(group.addQualitativeEvaluation(questionConcept(), answer.question.c_str()),
        input.trackingIdentifier + ": question");
  addAnswer(group, input);
  check(group.addQualitativeEvaluation(answerSourceConcept(), std::string(vqa::toString(answer.source)).c_str()),
        input.trackingIdentifier + ": answer source");
  addAlternatives(group, input);
}

}  // namespace medvqa::sr
