#include "imaging/colour.h"

#include <algorithm>

namespace medvqa::imaging {

void rgbToPlanes(std::span<const float> rgb, int channels, std::span<float> out) {
  const std::size_t pixels = rgb.size() / 3;
  if (channels == 1) {
    for (std::size_t i = 0; i < pixels; ++i)
      out[i] = kLumaRed * rgb[3 * i] + kLumaGreen * rgb[3 * i + 1] + kLumaBlue * rgb[3 * i + 2];
    return;
  }
  for (int c = 0; c < 3; ++c) {
    float* plane = out.data() + std::size_t(c) * pixels;
    for (std::size_t i = 0; i < pixels; ++i) plane[i] = rgb[3 * i + std::size_t(c)];
  }
}

void greyToPlanes(std::span<const float> grey, int channels, std::span<float> out) {
  const std::size_t pixels = grey.size();
  if (out.data() != grey.data()) std::copy(grey.begin(), grey.end(), out.data());
  for (int c = 1; c < channels; ++c) std::copy(out.data(), out.data() + pixels, out.data() + std::size_t(c) * pixels);
}

}  // namespace medvqa::imaging
