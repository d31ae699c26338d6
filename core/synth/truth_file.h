// DIR/truth.jsonl: one question about one study per line (docs/model-format.md).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace medvqa::synth {

struct TruthRow {
  std::string studyUid;
  std::string studyDir;   // relative to DIR, e.g. "study-0001"
  std::string kind;       // "chest", "ct"
  std::string type;       // question type name; empty when expect is "unsupported"
  std::string question;
  std::string answer;     // the answer to the question as asked; empty unless expect is "answered"
  int phrasing = 0;       // stable phrasing id (question_templates.h), or the out-of-scope item's
                          // id (out_of_scope_questions.h) when expect is "unsupported"
  bool heldout = false;   // the phrasing, or the out-of-scope item's topic or wording, is held out
  bool inverse = false;   // an inverse-polarity phrasing: `answer` is the type's answer flipped
  std::string expect = "answered";  // "answered", "unsupported" or "not_applicable"
};

/// Writes rows to `<file>.part` and renames it onto `file` on commit(), so a reader never sees a
/// half-written truth file; without commit() the partial file is removed.
class TruthWriter {
 public:
  explicit TruthWriter(std::filesystem::path file);
  ~TruthWriter();
  TruthWriter(const TruthWriter&) = delete;
  TruthWriter& operator=(const TruthWriter&) = delete;

  void write(const TruthRow& row);
  void commit();
  std::size_t rows() const { return rows_; }

 private:
  std::filesystem::path file_;
  std::filesystem::path partial_;
  std::ofstream out_;
  std::size_t rows_ = 0;
  bool committed_ = false;
};

/// The keys in the documented order, on one line (no trailing newline).
std::string toJsonLine(const TruthRow& row);

/// Reads a truth file; throws Error(InvalidArgument) naming the line on a malformed row. Files
/// written before issue 11 have no "inverse" or "expect": they read as false and "answered".
std::vector<TruthRow> readTruth(const std::filesystem::path& file);

}  // namespace medvqa::synth
