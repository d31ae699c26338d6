#pragma once

// One question and its answer as a TID 1501 measurement group of a TID 1500 report: what DCMTK's
// TID 1501 class can express (tracking identifier and UID, the confidence as the TID 300
// measurement with its TID 320 image references, question / answer / answer source / alternative
// answers as qualitative evaluations). group_extensions.h adds the rest on the document tree.

#include <string>
#include <vector>

#include "sr/evidence.h"
#include "sr/sr_writer.h"
#include "vqa/answer.h"

class TID1500_MeasurementReport;

namespace medvqa::sr {

struct AnswerGroup {
  const vqa::Answer& answer;
  std::string trackingIdentifier;  // human-readable ("MedVQA question 2")
  std::string trackingUid;
  std::vector<const SourceInstance*> images;  // the answer's evidence, resolved
  const AlgorithmIdentity& algorithm;         // fills in a missing model name/version
};

// Appends the group to `report` (creating a new TID 1501 instance unless the current one is
// still empty). Error(InvalidArgument) for an answer that cannot be written (empty question,
// answer or alternative, a confidence outside [0, 1]); Error(Dicom) when DCMTK refuses.
void addAnswerGroup(TID1500_MeasurementReport& report, const AnswerGroup& group);

}  // namespace medvqa::sr
