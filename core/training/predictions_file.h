#pragma once

// Per-row predictions as JSON lines, written by `medvqa eval --predictions` (the C++ runtime) and
// by models/train/evaluate.py (Python, on the same files), so the two can be compared row by row:
//   {"truth_row": 0, "study_uid": ..., "question": ..., "type": ..., "heldout": false,
//    "expect": "answered", "inverse": false, "truth": "yes",
//    "status": "answered", "answer": "yes", "confidence": 0.993,
//    "question_type": "effusion_presence", "polarity": "direct", "reason": "", "source": "model"}
// "type", "heldout", "expect", "inverse" and "truth" are the truth row's; "status", "answer",
// "confidence", "question_type", "polarity", "reason" and "source" the runtime's. "answer" is the
// answer when answered, the best guess when uncertain, "" for the other refusals; "question_type"
// is the type the question was resolved to ("" when none) and "polarity" its polarity. "source" is
// "header" for a question the runtime answered from DICOM attributes instead of the model.

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <vector>

#include "training/evaluation.h"
#include "training/truth_file.h"

namespace medvqa::training {

// One line of the file (without the newline). `index` is the truth row's 0-based position.
nlohmann::json predictionLine(std::size_t index, const TruthRow& truth, const ScoredRow& scored);

// `scored[i]` answers `truth[i]`. Error(InvalidArgument) when they differ in length, Error(Io) when
// the file cannot be written.
void writePredictions(const std::filesystem::path& file, std::span<const TruthRow> truth,
                      std::span<const ScoredRow> scored);

}  // namespace medvqa::training
