#pragma once

// docs/model-card.md: how the demo model was trained (from its manifest's "training" section,
// written by models/train/train.py), what it scored on a fresh held-out set (the targets
// next to the measured figures, per question type, refusals by status), how well the confidences
// of its answers are calibrated, and what it must not be used for.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "training/evaluation.h"

namespace medvqa::training {

struct ModelCardInputs {
  nlohmann::json manifest;        // manifest.json as written by train.py
  std::string moduleSha256;       // of the TorchScript file
  std::uintmax_t moduleBytes = 0;
  std::string evaluationData;     // where the scored set came from ("build/demo/test")
  std::size_t evaluationStudies = 0;
  EvaluationReport report;
};

// The acceptance targets of the demo model (issue 11), shown next to the measured figures.
struct Targets {
  double outOfScopeRefused = 0.97;     // at least: held-out out-of-scope topics and wordings refused
  double notApplicableRefused = 1.0;   // at least: not-applicable questions refused as not applicable
  double falseRefusals = 0.03;         // at most: in-scope questions refused
  double accuracyAnswered = 0.98;      // at least: accuracy on answered in-scope questions
  double inverseWrong = 0.02;          // at most: inverse-polarity phrasings answered wrong (of asked)
  double heldoutPhrasings = 0.95;      // at least: held-out phrasings answered right (of asked)
  double ece = 0.03;                   // at most: ECE on answered in-scope questions
};

std::string renderModelCard(const ModelCardInputs& inputs, const Targets& targets = {});

// Reads manifest.json and the module of a model folder into `inputs` (manifest, sha256, size).
void describeModelFolder(const std::filesystem::path& folder, ModelCardInputs& inputs);

}  // namespace medvqa::training
