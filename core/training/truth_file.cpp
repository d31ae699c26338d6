#include "training/truth_file.h"

#include "common/error.h"

namespace medvqa::training {

std::vector<TruthRow> readTruthFile(const std::filesystem::path& folderOrFile) {
  const auto file = std::filesystem::is_directory(folderOrFile) ? folderOrFile / "truth.jsonl" : folderOrFile;
  if (!std::filesystem::is_regular_file(file)) throw Error(ErrorCode::NotFound, "no truth file at " + file.string());
  return synth::readTruth(file);
}

std::filesystem::path dataFolderOf(const std::filesystem::path& folderOrFile) {
  return std::filesystem::is_directory(folderOrFile) ? folderOrFile : folderOrFile.parent_path();
}

}  // namespace medvqa::training
