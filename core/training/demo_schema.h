#pragma once

// The answer vocabulary and question types of the demo model, derived from the synthetic data's
// catalogue (core/synth) so that a new question type or answer there reaches the model without a
// second list to keep in step. Coded where a standard code exists (DICOM CID 230 Yes-No and
// CID 244 Laterality, SNOMED CT); counts and size classes stay text.

#include <vector>

#include "vqa/manifest.h"

namespace medvqa::training {

struct ModelSchema {
  std::vector<vqa::AnswerEntry> answers;         // logit order
  std::vector<vqa::QuestionType> questionTypes;  // chest types, then CT types
};

ModelSchema demoSchema();

}  // namespace medvqa::training
