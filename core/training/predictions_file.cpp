#include "training/predictions_file.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace medvqa::training {

nlohmann::json predictionLine(std::size_t index, const TruthRow& truth, const ScoredRow& scored) {
  return {{"truth_row", index},
          {"study_uid", truth.studyUid},
          {"question", truth.question},
          {"type", truth.type},
          {"heldout", truth.heldout},
          {"expect", vqa::toString(scored.expected)},
          {"inverse", scored.inverse},
          {"truth", truth.answer},
          {"status", vqa::toString(scored.status)},
          {"answer", scored.predicted},
          {"confidence", scored.confidence},
          {"question_type", scored.predictedType},
          {"polarity", scored.predictedInverse ? "inverse" : "direct"},
          {"reason", scored.reason},
          {"source", scored.fromHeader ? "header" : "model"}};
}

void writePredictions(const std::filesystem::path& file, std::span<const TruthRow> truth,
                      std::span<const ScoredRow> scored) {
  if (truth.size() != scored.size()) throw Error(ErrorCode::InvalidArgument, "one prediction per truth row expected");
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::trunc);
  for (std::size_t i = 0; i < truth.size(); ++i) out << predictionLine(i, truth[i], scored[i]).dump() << '\n';
  out.close();
  if (!out) throw Error(ErrorCode::Io, "cannot write " + file.string());
}

}  // namespace medvqa::training
