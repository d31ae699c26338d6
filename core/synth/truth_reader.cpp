#include <nlohmann/json.hpp>

#include <fstream>

#include "common/error.h"
#include "synth/study_questions.h"
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
      TruthRow row{j.at("study_uid").get<std::string>(), j.at("study_dir").get<std::string>(),
                   j.at("kind").get<std::string>(), j.at("type").get<std::string>(),
                   j.at("question").get<std::string>(), j.at("answer").get<std::string>(),
                   j.at("phrasing").get<int>(), j.at("heldout").get<bool>()};
      // Absent in files written before issue 11: every row of those is a direct, answered one.
      if (j.contains("inverse")) row.inverse = j.at("inverse").get<bool>();
      if (j.contains("expect")) row.expect = j.at("expect").get<std::string>();
      if (!parseExpect(row.expect)) {
        throw Error(ErrorCode::InvalidArgument, file.string() + ":" + std::to_string(number) + ": unknown expect \"" +
                                                    row.expect + "\" (answered, unsupported, not_applicable)");
      }
      rows.push_back(std::move(row));
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorCode::InvalidArgument, file.string() + ":" + std::to_string(number) + ": " + e.what());
    }
  }
  return rows;
}

}  // namespace medvqa::synth
