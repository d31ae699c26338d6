// The ground truth of one synthetic study: what the phantom shows and the answers derive from.
#pragma once

#include <cstdint>
#include <string_view>

namespace medvqa::synth {

/// Laterality as the patient has it (Left = the patient's left, whatever the display).
enum class Side { None, Left, Right, Bilateral };

/// Size class of the largest liver lesion (by diameter; thresholds in ct_phantom.h).
enum class LesionSize { None, Small, Medium, Large };

std::string_view toString(Side side);
std::string_view toString(LesionSize size);

inline bool hasLeft(Side s) { return s == Side::Left || s == Side::Bilateral; }
inline bool hasRight(Side s) { return s == Side::Right || s == Side::Bilateral; }

struct ChestFindings {
  bool cardiomegaly = false;       // cardiothoracic ratio > 0.5
  Side effusion = Side::None;
  int nodules = 0;                 // 0..3, non-overlapping
  Side pneumothorax = Side::None;  // None, Left or Right (never bilateral)
};

struct CtFindings {
  int liverLesions = 0;                    // 0..3, all centred on the middle slice
  LesionSize liverLesionSize = LesionSize::None;  // of the largest; None iff no lesion
  Side kidneyLesion = Side::None;
};

/// Findings of the `index`-th chest (resp. CT) study of a run. Each finding comes from its own
/// balanced stream (random.h): presence 50-60 %, sides and counts uniform over their values,
/// and findings independent of each other.
ChestFindings drawChestFindings(std::uint64_t seed, std::uint64_t index);
CtFindings drawCtFindings(std::uint64_t seed, std::uint64_t index);

}  // namespace medvqa::synth
