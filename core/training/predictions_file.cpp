#include "training/predictions_file.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace medvqa::training {

void writePredictions(const std::filesystem::path& file, std::span<const TruthRow> truth,
                      std::span<const ScoredRow> scored) {
  if (truth.size() != scored.size()) throw Error(ErrorCode::InvalidArgument, "one prediction per truth row expected");
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::trunc);
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const nlohmann::json row = {{"truth_row", i},
                                {"study_uid", truth[i].studyUid},
                                {"question", truth[i].question},
                                {"type", truth[i].type},
                                {"heldout", truth[i].heldout},
                                {"truth", truth[i].answer},
                                {"answer", scored[i].predicted},
                                {"confidence", scored[i].confidence},
                                {"source", scored[i].fromHeader ? "header" : "model"}};
    out << row.dump() << '\n';
  }
  out.close();
  if (!out) throw Error(ErrorCode::Io, "cannot write " + file.string());
}

}  // namespace medvqa::training
