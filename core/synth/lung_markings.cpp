#include "synth/lung_markings.h"

#include <algorithm>
#include <cmath>

namespace medvqa::synth {
namespace {

constexpr int kDepth = 4;  // generations after the trunk: 3 trunks x 31 segments per lung

/// True when the local point (x, v) lies well inside the uncollapsed lung above the diaphragm.
bool insideLung(const Hemithorax& h, Point p) {
  return h.cavityLevel(p.x, p.y) < 0.96 && p.y < h.diaphragmV(p.x) - 3.0;
}

void grow(const Hemithorax& h, Point from, double angle, double length, double radius, int depth, Rng& rng,
          std::vector<Vessel>& out) {
  Point to{from.x + length * std::cos(angle), from.y + length * std::sin(angle)};
  if (!insideLung(h, to)) {
    to = {from.x + 0.5 * length * std::cos(angle), from.y + 0.5 * length * std::sin(angle)};
    if (!insideLung(h, to)) return;
    depth = 0;  // reached the periphery: no further branching
  }
  out.push_back({from, to, radius, 1.0 - 0.12 * (kDepth - depth)});
  if (depth == 0) return;
  for (const double turn : {-1.0, 1.0}) {
    const double child = angle + turn * rng.uniform(0.30, 0.60) + rng.uniform(-0.1, 0.1);
    grow(h, to, child, length * rng.uniform(0.72, 0.88), radius * 0.72, depth - 1, rng, out);
  }
}

}  // namespace

std::vector<Vessel> growVessels(const Hemithorax& h, Rng& rng) {
  std::vector<Vessel> local;
  // Trunks towards the apex, the lateral wall and the base (angles in the local (x, v) frame:
  // 0 = lateral, negative = upwards).
  for (const double trunk : {-1.15, -0.15, 0.75}) {
    grow(h, h.hilum, trunk + rng.uniform(-0.15, 0.15), rng.uniform(26.0, 34.0), rng.uniform(2.4, 3.0), kDepth,
         rng, local);
  }
  std::vector<Vessel> out;
  out.reserve(local.size());
  for (Vessel v : local) {
    if (h.pneumothorax) {  // the lung and its vessels shrink towards the hilum
      auto shrink = [&h](Point p) {
        return Point{h.hilum.x + (p.x - h.hilum.x) * h.collapseX, h.hilum.y + (p.y - h.hilum.y) * h.collapseV};
      };
      v.from = shrink(v.from), v.to = shrink(v.to);
    }
    v.from.x *= h.sign, v.to.x *= h.sign;  // local x -> u
    out.push_back(v);
  }
  return out;
}

std::vector<float> rasterizeVessels(const std::vector<Vessel>& vessels, const Affine2& patientToPixel,
                                    double pixelsPerMm, unsigned rows, unsigned cols) {
  std::vector<float> buffer(static_cast<std::size_t>(rows) * cols, 0.0f);
  for (const Vessel& v : vessels) {
    const Point a = patientToPixel.apply(v.from), b = patientToPixel.apply(v.to);
    const double r = std::max(v.radius * pixelsPerMm, 0.7);
    const int x0 = std::max(0, static_cast<int>(std::floor(std::min(a.x, b.x) - r)));
    const int x1 = std::min(static_cast<int>(cols) - 1, static_cast<int>(std::ceil(std::max(a.x, b.x) + r)));
    const int y0 = std::max(0, static_cast<int>(std::floor(std::min(a.y, b.y) - r)));
    const int y1 = std::min(static_cast<int>(rows) - 1, static_cast<int>(std::ceil(std::max(a.y, b.y) + r)));
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x) {
        const double d = distanceToSegment({x + 0.5, y + 0.5}, a, b) / r;
        if (d >= 1.0) continue;
        // A cylinder seen from the side: its projected thickness is sqrt(1 - d^2).
        const float value = static_cast<float>(v.strength * std::sqrt(1.0 - d * d));
        float& cell = buffer[static_cast<std::size_t>(y) * cols + static_cast<std::size_t>(x)];
        cell = std::max(cell, value);
      }
    }
  }
  return buffer;
}

}  // namespace medvqa::synth
