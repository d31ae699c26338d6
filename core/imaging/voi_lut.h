#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

class DcmItem;

namespace medvqa::imaging {

// A VOI LUT (PS3.3 C.11.2): modality value -> entries[value - firstMapped], clamped to the first
// and last entries outside the table; output normalised by the largest value `bits` can hold.
struct VoiLut {
  int firstMapped = 0;
  int bits = 16;
  std::vector<std::uint16_t> entries;
};

// The file's first VOI LUT (top level, else the frame's Frame VOI LUT functional group);
// nullopt when absent or malformed (then the caller falls back to a window).
// `negativeInput`: modality values can be negative, so the descriptor's first mapped value,
// stored as US by many writers, is read as signed.
std::optional<VoiLut> fileVoiLut(DcmItem& dataset, int frame, bool negativeInput);

// out[i] = lut(in[i]) in [0,1], or 1 - that when `invert`. Non-integer inputs are rounded.
// `out` may be `in` itself.
void applyVoiLut(std::span<const float> in, const VoiLut& lut, bool invert, std::span<float> out);

}  // namespace medvqa::imaging
