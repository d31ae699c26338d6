#pragma once

// Per-row predictions as JSON lines, written by `medvqa eval --predictions` (the C++ runtime) and
// by models/train/evaluate.py (Python, on the same files), so the two can be compared row by row:
//   {"truth_row": 0, "study_uid": ..., "question": ..., "type": ..., "heldout": false,
//    "truth": "yes", "answer": "yes", "confidence": 0.993, "source": "model"}
// "source" is "header" for a question the runtime answered from DICOM attributes instead.

#include <filesystem>
#include <span>
#include <vector>

#include "training/evaluation.h"
#include "training/truth_file.h"

namespace medvqa::training {

// `scored[i]` answers `truth[i]`. Error(Io) when the file cannot be written.
void writePredictions(const std::filesystem::path& file, std::span<const TruthRow> truth,
                      std::span<const ScoredRow> scored);

}  // namespace medvqa::training
