#include "synth/findings.h"

#include <array>

#include "synth/random.h"

namespace medvqa::synth {
namespace {

// Category weights per block. A side or count question has a "none"/"0" answer next to three
// positive ones: weighting "none" 2 of 5 keeps the yes/no question at 60 % yes while the side
// answers stay within 20-40 % each. Nodule count has no presence question: plain uniform.
constexpr std::array<unsigned, 2> kYesNo = {1, 1};                  // no, yes
constexpr std::array<unsigned, 4> kNoneOrThree = {2, 1, 1, 1};      // none, 1st, 2nd, 3rd
constexpr std::array<unsigned, 4> kUniformFour = {1, 1, 1, 1};
constexpr std::array<unsigned, 3> kUniformThree = {1, 1, 1};

constexpr std::array<Side, 4> kSides = {Side::None, Side::Left, Side::Right, Side::Bilateral};
constexpr std::array<LesionSize, 3> kPositiveSizes = {LesionSize::Small, LesionSize::Medium, LesionSize::Large};

}  // namespace

std::string_view toString(Side side) {
  switch (side) {
    case Side::None: return "none";
    case Side::Left: return "left";
    case Side::Right: return "right";
    case Side::Bilateral: return "bilateral";
  }
  return "none";
}

std::string_view toString(LesionSize size) {
  switch (size) {
    case LesionSize::None: return "none";
    case LesionSize::Small: return "small";
    case LesionSize::Medium: return "medium";
    case LesionSize::Large: return "large";
  }
  return "none";
}

ChestFindings drawChestFindings(std::uint64_t seed, std::uint64_t index) {
  ChestFindings f;
  f.cardiomegaly = balancedDraw(seed, "chest-cardiomegaly", index, kYesNo) == 1;
  f.effusion = kSides[balancedDraw(seed, "chest-effusion", index, kNoneOrThree)];
  f.nodules = static_cast<int>(balancedDraw(seed, "chest-nodules", index, kUniformFour));
  if (balancedDraw(seed, "chest-pneumothorax", index, kYesNo) == 1)
    f.pneumothorax = balancedDraw(seed, "chest-pneumothorax-side", index, kYesNo) == 1 ? Side::Left : Side::Right;
  return f;
}

CtFindings drawCtFindings(std::uint64_t seed, std::uint64_t index) {
  CtFindings f;
  f.liverLesions = static_cast<int>(balancedDraw(seed, "ct-liver-count", index, kNoneOrThree));
  if (f.liverLesions > 0)
    f.liverLesionSize = kPositiveSizes[balancedDraw(seed, "ct-liver-size", index, kUniformThree)];
  f.kidneyLesion = kSides[balancedDraw(seed, "ct-kidney", index, kNoneOrThree)];
  return f;
}

}  // namespace medvqa::synth
