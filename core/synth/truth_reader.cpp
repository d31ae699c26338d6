#include <nlohmann/json.hpp>

#include <fstream>

#include "common/error.h"
#include "synth/truth_file.h"

namespace medvqa::synth {

std::vector<TruthRow> readTruth(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::NotFound, "cannot read " + file.string());
  std::vector<TruthRow> rows;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    try {
      const nlohmann::json j = nlohmann::json::parse(line);
      rows.push_back({j.at("study_uid").get<std::string>(), j.at("study_dir").get<std::string>(),
                      j.at("kind").get<std::string>(), j.at("type").get<std::string>(),
                      j.at("question").get<std::string>(), j.at("answer").get<std::string>(),
                      j.at("phrasing").get<int>(), j.at("heldout").get<bool>()});
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorCode::InvalidArgument, file.string() + ":" + std::to_string(number) + ": " + e.what());
    }
  }
  return rows;
}

}  // namespace medvqa::synth
