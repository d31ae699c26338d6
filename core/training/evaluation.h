#pragma once

// The figures a VQA model is judged by on a labelled set: accuracy overall, on closed (yes/no)
// and open types, per question type, on seen vs held-out phrasings, and the expected calibration
// error of its confidences. models/train/evaluate.py computes the same figures the same way.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "vqa/manifest.h"

namespace medvqa::training {

// One truth row as a model answered it.
struct ScoredRow {
  std::string type;
  bool heldout = false;
  std::string truth;
  std::string predicted;
  double confidence = 0.0;  // of `predicted`, 0..1
  bool fromHeader = false;  // the runtime's router sent the question to the DICOM header

  bool correct() const { return predicted == truth; }
};

struct Accuracy {
  std::size_t correct = 0;
  std::size_t total = 0;

  void add(bool isCorrect) {
    ++total;
    if (isCorrect) ++correct;
  }
  double value() const { return total == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(total); }
};

struct CalibrationBin {
  double lower = 0.0;  // confidence range [lower, upper)
  double upper = 0.0;
  std::size_t count = 0;
  double meanConfidence = 0.0;
  double accuracy = 0.0;
};

struct TypeAccuracy {
  std::string type;
  bool closed = false;
  Accuracy accuracy;
};

struct EvaluationReport {
  Accuracy overall, closed, open, seen, heldout;
  std::vector<TypeAccuracy> perType;  // the manifest's order; types absent from the set omitted
  std::vector<CalibrationBin> bins;
  double ece = 0.0;
  std::size_t headerAnswers = 0;  // rows the runtime answered from the DICOM header
};

constexpr int kCalibrationBins = 15;

// Equal-width bins over [0, 1]; a confidence c falls in bin min(floor(c * bins), bins - 1).
// ECE = sum over bins of |bin| / n * |accuracy(bin) - mean confidence(bin)|.
std::vector<CalibrationBin> calibrationBins(std::span<const ScoredRow> rows, int bins = kCalibrationBins);
double expectedCalibrationError(std::span<const CalibrationBin> bins);

// Error(InvalidArgument) for a row whose type the manifest does not list.
EvaluationReport evaluate(std::span<const ScoredRow> rows, const std::vector<vqa::QuestionType>& types);

}  // namespace medvqa::training
