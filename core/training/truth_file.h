#pragma once

// Where a labelled set's truth is: `medvqa prepare` and `medvqa eval` take either a `medvqa synth`
// folder or its truth.jsonl. The rows themselves are core/synth's (synth/truth_file.h).

#include <filesystem>
#include <vector>

#include "synth/truth_file.h"

namespace medvqa::training {

using TruthRow = synth::TruthRow;

// Reads DIR/truth.jsonl, or the file itself when given one. Error(NotFound) when it is absent,
// Error(InvalidArgument) naming the line for a malformed row.
std::vector<TruthRow> readTruthFile(const std::filesystem::path& folderOrFile);

// The folder that holds the study folders (study_dir is relative to it).
std::filesystem::path dataFolderOf(const std::filesystem::path& folderOrFile);

}  // namespace medvqa::training
