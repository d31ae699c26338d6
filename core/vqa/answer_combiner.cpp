#include "vqa/answer_combiner.h"

#include <algorithm>
#include <optional>

#include "common/error.h"

namespace medvqa::vqa {

namespace {

std::size_t argmax(const Probabilities& row) {
  return static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
}

std::optional<std::size_t> indexOf(const std::vector<AnswerEntry>& answers, std::string_view text) {
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (answers[i].text == text) return i;
  }
  return std::nullopt;
}

// Every answer of `row` but `best`, most likely first, at most `count`.
std::vector<RankedAnswer> rankOthers(const std::vector<double>& row, std::size_t best, std::size_t count) {
  std::vector<RankedAnswer> ranked;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i != best) ranked.push_back({i, row[i]});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.confidence > b.confidence; });
  if (ranked.size() > count) ranked.resize(count);
  return ranked;
}

// "Is there": yes as soon as one image says yes (with the most confident such image); otherwise no,
// as sure as the least sure image.
CombinedAnswer combineClosed(std::span<const Probabilities> perImage, std::size_t yes, std::size_t no,
                             std::size_t alternatives) {
  std::optional<std::size_t> decider;
  for (std::size_t i = 0; i < perImage.size(); ++i) {
    if (argmax(perImage[i]) == yes && (!decider || perImage[i][yes] > perImage[*decider][yes])) decider = i;
  }
  std::size_t winner = yes;
  if (!decider) {
    winner = no;
    decider = 0;
    for (std::size_t i = 1; i < perImage.size(); ++i) {
      if (perImage[i][no] < perImage[*decider][no]) decider = i;
    }
  }
  const auto& row = perImage[*decider];
  std::vector<double> scores(row.begin(), row.end());
  return {{winner, scores[winner]}, rankOthers(scores, winner, alternatives), Combine::MaxConfidence};
}

// Majority of the images' top answers, ties to the summed confidence of the voters; the
// confidence reported is the winner's mean probability over every image.
CombinedAnswer combineMajority(std::span<const Probabilities> perImage, std::size_t width, std::size_t alternatives) {
  std::vector<std::size_t> votes(width, 0);
  std::vector<double> voterConfidence(width, 0.0);
  std::vector<double> mean(width, 0.0);
  for (const auto& row : perImage) {
    const auto top = argmax(row);
    votes[top] += 1;
    voterConfidence[top] += row[top];
    for (std::size_t a = 0; a < width; ++a) mean[a] += row[a] / static_cast<double>(perImage.size());
  }
  std::size_t winner = 0;
  for (std::size_t a = 1; a < width; ++a) {
    if (votes[a] > votes[winner] || (votes[a] == votes[winner] && voterConfidence[a] > voterConfidence[winner])) winner = a;
  }
  return {{winner, mean[winner]}, rankOthers(mean, winner, alternatives), Combine::Majority};
}

}  // namespace

CombinedAnswer combineAnswers(const std::vector<AnswerEntry>& answers, std::span<const Probabilities> perImage,
                              std::size_t alternatives) {
  if (perImage.empty()) throw Error(ErrorCode::InvalidArgument, "combine: no image answered");
  for (const auto& row : perImage) {
    if (row.size() != answers.size()) {
      throw Error(ErrorCode::InvalidArgument, "combine: a probability row has " + std::to_string(row.size()) +
                                                  " values for " + std::to_string(answers.size()) + " answers");
    }
  }
  const auto yes = indexOf(answers, "yes");
  const auto no = indexOf(answers, "no");
  const bool closed = yes && no && std::all_of(perImage.begin(), perImage.end(), [&](const Probabilities& row) {
                        const auto top = argmax(row);
                        return top == *yes || top == *no;
                      });
  if (closed) return combineClosed(perImage, *yes, *no, alternatives);
  return combineMajority(perImage, answers.size(), alternatives);
}

}  // namespace medvqa::vqa
