#pragma once

#include <optional>
#include <span>

class DcmItem;

namespace medvqa::imaging {

// VOI LUT Function (0028,1056), PS3.3 C.11.2.1.2-3.
enum class VoiFunction { Linear, LinearExact, Sigmoid };

struct Window {
  double center = 0.0;
  double width = 1.0;
  VoiFunction function = VoiFunction::Linear;
};

// The standard's formula, scaled to [0,1] instead of [ymin, ymax]. LINEAR:
//   x <= c - 0.5 - (w-1)/2 -> 0;  x > c - 0.5 + (w-1)/2 -> 1;  else ((x - (c - 0.5)) / (w-1) + 0.5)
// LINEAR_EXACT: clamp((x - c) / w + 0.5);  SIGMOID: 1 / (1 + exp(-4 (x - c) / w)).
float windowed(double x, const Window& window);

// out[i] = windowed(in[i]), or 1 - that when `invert` (MONOCHROME1). `out` as long as `in`;
// it may be `in` itself.
void applyWindow(std::span<const float> in, const Window& window, bool invert, std::span<float> out);

// Whether a window can be applied: LINEAR needs width >= 1, the others width > 0.
bool usable(const Window& window);

// The file's first window (Window Center/Width at the top level, else the frame's Frame VOI LUT
// functional group) with its VOI LUT Function; nullopt when absent or unusable.
std::optional<Window> fileWindow(DcmItem& dataset, int frame);

// LINEAR_EXACT over [min, max] of the values: the image's own range onto [0,1]. A constant
// image gets a window that maps it to 0.
Window minMaxWindow(std::span<const float> values);

}  // namespace medvqa::imaging
