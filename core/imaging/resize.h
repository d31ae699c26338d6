#pragma once

#include <span>

namespace medvqa::imaging {

// Resizes one plane (row-major) from inHeight x inWidth to outHeight x outWidth with a bilinear
// (triangle) filter, pixel centres aligned (align_corners = false, as PyTorch and PIL). When
// shrinking, the triangle is widened by the scale factor (antialiasing, as PIL and PyTorch's
// antialias=True): a 512 -> 128 resize then averages every source pixel instead of sampling two
// in four, which would alias CT noise and thin structures. Separable, weights computed once per
// axis. Equal sizes copy exactly.
void resizeBilinear(std::span<const float> in, int inHeight, int inWidth, std::span<float> out, int outHeight,
                    int outWidth);

}  // namespace medvqa::imaging
