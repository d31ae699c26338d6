#pragma once

// docs/model-card.md: how the demo model was trained (from its manifest's "training" section,
// written by models/train/train.py), what it scored on a fresh held-out set, how well its
// confidences are calibrated, and what it must not be used for.

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

// The acceptance targets of the demo model, shown next to the measured figures.
struct Targets {
  double overall = 0.95, closed = 0.97, open = 0.90, heldout = 0.90, ece = 0.05;
};

std::string renderModelCard(const ModelCardInputs& inputs, const Targets& targets = {});

// Reads manifest.json and the module of a model folder into `inputs` (manifest, sha256, size).
void describeModelFolder(const std::filesystem::path& folder, ModelCardInputs& inputs);

}  // namespace medvqa::training
