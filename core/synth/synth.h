// `medvqa synth`: a folder of synthetic studies with known findings, and their truth.jsonl.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "synth/question_types.h"

namespace medvqa::synth {

struct SynthOptions {
  std::filesystem::path out;                              // absent or empty folder
  unsigned studies = 0;
  std::uint64_t seed = 0;
  std::vector<StudyKind> kinds{StudyKind::Chest, StudyKind::Ct};  // study i is kinds[i % size]
};

struct SynthSummary {
  unsigned chestStudies = 0;
  unsigned ctStudies = 0;
  unsigned files = 0;
  std::size_t questions = 0;
  std::uintmax_t bytes = 0;
};

/// Writes DIR/study-NNNN/ (DICOM) and DIR/truth.jsonl. Deterministic: the same options give the
/// same bytes. Throws Error(InvalidArgument) for bad options (a non-empty folder, no studies, no
/// kinds) and Error(Io) when writing fails.
SynthSummary generateDataset(const SynthOptions& options);

}  // namespace medvqa::synth
