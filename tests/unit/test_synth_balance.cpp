// Labels are balanced, so a model cannot score by always answering "yes" or "left".
#include <gtest/gtest.h>

#include <array>
#include <map>

#include "synth/findings.h"
#include "synth/random.h"
#include "synth/study_questions.h"

using namespace medvqa::synth;

namespace {

/// Answer shares per question type over the first `perKind` studies of each kind (what an
/// alternating run of 2 * perKind studies asks).
std::map<std::string, std::map<std::string, double>> shares(std::uint64_t seed, unsigned perKind) {
  std::map<std::string, std::map<std::string, double>> out;
  for (unsigned i = 0; i < perKind; ++i) {
    for (const QuestionAnswer& qa : questionsFor(drawChestFindings(seed, i), seed, 2 * i))
      out[std::string(toString(qa.phrasing->type))][qa.answer] += 1.0 / perKind;
    for (const QuestionAnswer& qa : questionsFor(drawCtFindings(seed, i), seed, 2 * i + 1))
      out[std::string(toString(qa.phrasing->type))][qa.answer] += 1.0 / perKind;
  }
  return out;
}

}  // namespace

TEST(SynthBalance, YesNoWithinFortyToSixtyPercentOver200Studies) {
  for (const std::uint64_t seed : {1ULL, 77ULL, 123456789ULL}) {
    const auto s = shares(seed, 100);
    for (const char* type : {"effusion_presence", "cardiomegaly", "pneumothorax", "liver_lesion", "kidney_lesion"}) {
      const double yes = s.at(type).count("yes") ? s.at(type).at("yes") : 0.0;
      EXPECT_GE(yes, 0.40 - 1e-9) << type << " seed " << seed;
      EXPECT_LE(yes, 0.60 + 1e-9) << type << " seed " << seed;
    }
  }
}

TEST(SynthBalance, SidesCountsAndSizesRoughlyUniform) {
  const auto s = shares(5, 100);
  for (const char* type : {"effusion_side", "kidney_lesion_side", "nodule_count", "liver_lesion_count", "liver_lesion_size"}) {
    ASSERT_EQ(s.at(type).size(), 4u) << type << ": some answer never occurs";
    for (const auto& [answer, share] : s.at(type)) {
      EXPECT_GE(share, 0.15) << type << "=" << answer;
      EXPECT_LE(share, 0.42) << type << "=" << answer;
    }
  }
}

TEST(SynthBalance, EveryBlockHoldsExactlyTheWeights) {
  const std::array<unsigned, 4> weights = {2, 1, 1, 1};
  for (std::uint64_t block = 0; block < 50; ++block) {
    std::array<unsigned, 4> counts{};
    for (std::uint64_t k = 0; k < 5; ++k) ++counts[balancedDraw(3, "test", block * 5 + k, weights)];
    EXPECT_EQ(counts, weights) << "block " << block;
  }
}

TEST(SynthBalance, FindingsAreNotCorrelatedWithEachOther) {
  // Independent streams per finding: cardiomegaly must not predict an effusion.
  int both = 0, cardio = 0, effusion = 0;
  const int n = 1000;
  for (int i = 0; i < n; ++i) {
    const ChestFindings f = drawChestFindings(42, i);
    cardio += f.cardiomegaly, effusion += f.effusion != Side::None, both += f.cardiomegaly && f.effusion != Side::None;
  }
  const double expected = double(cardio) * effusion / n;
  EXPECT_NEAR(both, expected, 0.15 * expected);
}
