#include "imaging/resize.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace medvqa::imaging {
namespace {

// The source taps of one output sample along one axis.
struct Taps {
  int first = 0;
  std::vector<float> weights;
};

std::vector<Taps> tapsFor(int inSize, int outSize) {
  const double scale = double(inSize) / outSize;
  const double support = std::max(scale, 1.0);  // filter half-width, in source pixels
  std::vector<Taps> taps(static_cast<std::size_t>(outSize));
  for (int o = 0; o < outSize; ++o) {
    const double centre = (o + 0.5) * scale;  // in source coordinates; pixel j spans [j, j+1)
    const int lo = std::max(0, int(std::floor(centre - support)));
    const int hi = std::min(inSize, int(std::ceil(centre + support)));
    Taps& t = taps[std::size_t(o)];
    t.first = lo;
    double sum = 0.0;
    std::vector<double> w;
    for (int j = lo; j < hi; ++j) {
      w.push_back(std::max(0.0, 1.0 - std::abs((j + 0.5 - centre) / support)));
      sum += w.back();
    }
    // Renormalising at the borders is what clamps to the edge pixel.
    for (double v : w) t.weights.push_back(float(v / sum));
  }
  return taps;
}

void resizeRows(std::span<const float> in, int height, int inWidth, const std::vector<Taps>& taps,
                std::vector<float>& out) {
  const std::size_t outWidth = taps.size();
  out.assign(std::size_t(height) * outWidth, 0.0f);
  for (int y = 0; y < height; ++y) {
    const float* row = in.data() + std::size_t(y) * std::size_t(inWidth);
    float* dst = out.data() + std::size_t(y) * outWidth;
    for (std::size_t x = 0; x < outWidth; ++x) {
      const Taps& t = taps[x];
      float acc = 0.0f;
      for (std::size_t k = 0; k < t.weights.size(); ++k) acc += t.weights[k] * row[std::size_t(t.first) + k];
      dst[x] = acc;
    }
  }
}

// Whole rows at a time, so the inner loop runs along contiguous memory and vectorises.
void resizeColumns(const std::vector<float>& in, int width, const std::vector<Taps>& taps, std::span<float> out) {
  const auto w = std::size_t(width);
  std::fill(out.begin(), out.begin() + std::ptrdiff_t(taps.size() * w), 0.0f);
  for (std::size_t y = 0; y < taps.size(); ++y) {
    float* dst = out.data() + y * w;
    const Taps& t = taps[y];
    for (std::size_t k = 0; k < t.weights.size(); ++k) {
      const float* src = in.data() + (std::size_t(t.first) + k) * w;
      const float weight = t.weights[k];
      for (std::size_t x = 0; x < w; ++x) dst[x] += weight * src[x];
    }
  }
}

}  // namespace

void resizeBilinear(std::span<const float> in, int inHeight, int inWidth, std::span<float> out, int outHeight,
                    int outWidth) {
  if (inHeight == outHeight && inWidth == outWidth) {
    std::copy(in.begin(), in.begin() + std::ptrdiff_t(inHeight) * inWidth, out.begin());
    return;
  }
  std::vector<float> rows;
  resizeRows(in, inHeight, inWidth, tapsFor(inWidth, outWidth), rows);
  resizeColumns(rows, outWidth, tapsFor(inHeight, outHeight), out);
}

}  // namespace medvqa::imaging
