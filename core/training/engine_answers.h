#pragma once

// Asks the C++ runtime (vqa::Engine, the code that serves the model) every question of a truth
// file: each study is loaded once and all its questions go in together, so they share the
// image's features exactly as standing questions do in production.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <vector>

#include "training/evaluation.h"
#include "training/truth_file.h"
#include "vqa/answer.h"
#include "vqa/engine.h"

namespace medvqa::training {

struct EngineRunOptions {
  int threads = 2;  // studies loaded and asked in parallel
  std::function<void(std::size_t done, std::size_t total)> progress;  // per study, serialised
};

// One answer per truth row, in the rows' order. Error(NotFound) for a missing study folder; an
// engine error names the study.
std::vector<vqa::Answer> answerTruthRows(const vqa::Engine& engine, const std::vector<TruthRow>& truth,
                                         const std::filesystem::path& dataFolder, const EngineRunOptions& options = {});

// The runtime's answer to a truth row as the evaluation scores it: the truth's type, phrasing,
// expectation and polarity with the answer's status, text (answer or best guess), confidence,
// resolved type and polarity, and reason. Error(InvalidArgument) naming the row for an unknown
// "expect".
ScoredRow scoreAnswer(const TruthRow& truth, const vqa::Answer& answer);
// One per row; Error(InvalidArgument) when the lengths differ.
std::vector<ScoredRow> scoreAnswers(const std::vector<TruthRow>& truth, const std::vector<vqa::Answer>& answers);

}  // namespace medvqa::training
