#include "training/engine_answers.h"

#include <mutex>
#include <string>
#include <unordered_map>

#include "common/error.h"
#include "training/parallel.h"

namespace medvqa::training {

namespace {

struct StudyQuestions {
  std::string dir;
  std::vector<std::size_t> rows;  // into the truth rows
};

std::vector<StudyQuestions> groupByStudy(const std::vector<TruthRow>& truth) {
  std::vector<StudyQuestions> studies;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < truth.size(); ++r) {
    const auto [it, added] = index.emplace(truth[r].studyDir, studies.size());
    if (added) studies.push_back({truth[r].studyDir, {}});
    studies[it->second].rows.push_back(r);
  }
  return studies;
}

}  // namespace

std::vector<vqa::Answer> answerTruthRows(const vqa::Engine& engine, const std::vector<TruthRow>& truth,
                                         const std::filesystem::path& dataFolder, const EngineRunOptions& options) {
  const auto studies = groupByStudy(truth);
  std::vector<vqa::Answer> answers(truth.size());
  std::mutex progressMutex;
  std::size_t done = 0;
  parallelFor(studies.size(), options.threads, [&](std::size_t s) {
    const auto& study = studies[s];
    const auto folder = dataFolder / study.dir;
    if (!std::filesystem::exists(folder)) throw Error(ErrorCode::NotFound, "no study folder " + folder.string());
    std::vector<std::string> questions;
    for (const auto r : study.rows) questions.push_back(truth[r].question);
    try {
      const auto images = engine.load(folder);
      auto studyAnswers = engine.askMany(images, questions);
      for (std::size_t q = 0; q < study.rows.size(); ++q) answers[study.rows[q]] = std::move(studyAnswers[q]);
    } catch (const Error& e) {
      throw Error(e.code(), folder.string() + ": " + e.what());
    }
    if (options.progress) {
      const std::lock_guard lock(progressMutex);
      options.progress(++done, studies.size());
    }
  });
  return answers;
}

ScoredRow scoreAnswer(const TruthRow& truth, const vqa::Answer& answer) {
  ScoredRow row;
  row.type = truth.type;
  row.heldout = truth.heldout;
  row.truth = truth.answer;
  row.predicted = answer.status == AnswerStatus::Answered || answer.status == AnswerStatus::Uncertain ? answer.text : "";
  row.confidence = answer.confidence;
  row.fromHeader = answer.source == vqa::AnswerSource::Header;
  row.status = answer.status;
  try {
    row.expected = parseExpectation(truth.expect);
  } catch (const Error& e) {
    throw Error(e.code(), "truth row for \"" + truth.question + "\" (" + truth.studyDir + "): " + e.what());
  }
  row.inverse = truth.inverse;
  row.predictedType = answer.questionType;
  row.predictedInverse = answer.inverse;
  row.reason = answer.reason;
  return row;
}

std::vector<ScoredRow> scoreAnswers(const std::vector<TruthRow>& truth, const std::vector<vqa::Answer>& answers) {
  if (truth.size() != answers.size()) throw Error(ErrorCode::InvalidArgument, "one answer per truth row expected");
  std::vector<ScoredRow> rows;
  rows.reserve(truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) rows.push_back(scoreAnswer(truth[i], answers[i]));
  return rows;
}

}  // namespace medvqa::training
