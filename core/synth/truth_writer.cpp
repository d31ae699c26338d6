#include <nlohmann/json.hpp>

#include <system_error>

#include "common/error.h"
#include "synth/truth_file.h"

namespace medvqa::synth {

std::string toJsonLine(const TruthRow& row) {
  // ordered_json keeps the documented key order, which makes the file easy to read and diff.
  nlohmann::ordered_json j;
  j["study_uid"] = row.studyUid;
  j["study_dir"] = row.studyDir;
  j["kind"] = row.kind;
  j["type"] = row.type;
  j["question"] = row.question;
  j["answer"] = row.answer;
  j["phrasing"] = row.phrasing;
  j["heldout"] = row.heldout;
  j["inverse"] = row.inverse;
  j["expect"] = row.expect;
  return j.dump();
}

TruthWriter::TruthWriter(std::filesystem::path file)
    : file_(std::move(file)), partial_(file_.string() + ".part"), out_(partial_, std::ios::binary | std::ios::trunc) {
  if (!out_) throw Error(ErrorCode::Io, "cannot write " + partial_.string());
}

TruthWriter::~TruthWriter() {
  if (committed_) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(partial_, ignored);
}

void TruthWriter::write(const TruthRow& row) {
  out_ << toJsonLine(row) << '\n';
  ++rows_;
}

void TruthWriter::commit() {
  out_.close();
  if (!out_) throw Error(ErrorCode::Io, "cannot write " + partial_.string());
  std::error_code ec;
  std::filesystem::rename(partial_, file_, ec);
  if (ec) throw Error(ErrorCode::Io, "cannot rename " + partial_.string() + ": " + ec.message());
  committed_ = true;
}

}  // namespace medvqa::synth
