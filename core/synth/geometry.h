// Small 2-D helpers the phantoms share: soft edges, points, segments.
#pragma once

#include <algorithm>
#include <cmath>

namespace medvqa::synth {

struct Point {
  double x = 0.0;
  double y = 0.0;
};

/// 0 below `edge0`, 1 above `edge1`, a smooth ramp between. Soft edges keep shapes from aliasing
/// into jagged outlines when the model's preprocessing shrinks the image to 128 x 128.
inline double smoothstep(double edge0, double edge1, double x) {
  const double t = std::clamp((x - edge0) / (edge1 - edge0), 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

/// 1 well inside, 0 well outside, for a signed distance in mm (negative inside) and a ramp width.
inline double insideness(double signedDistanceMm, double rampMm) {
  return 1.0 - smoothstep(-rampMm, rampMm, signedDistanceMm);
}

/// Distance from p to the segment a-b.
inline double distanceToSegment(Point p, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0.0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy);
  return std::sqrt(ex * ex + ey * ey);
}

inline double distance(Point a, Point b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// A rotation and translation from one plane frame to another (image pixels <-> patient mm).
struct Affine2 {
  double a = 1, b = 0, c = 0;  // x' = a x + b y + c
  double d = 0, e = 1, f = 0;  // y' = d x + e y + f
  Point apply(Point p) const { return {a * p.x + b * p.y + c, d * p.x + e * p.y + f}; }
  Affine2 inverse() const {
    const double det = a * e - b * d;
    Affine2 r;
    r.a = e / det, r.b = -b / det, r.d = -d / det, r.e = a / det;
    r.c = -(r.a * c + r.b * f), r.f = -(r.d * c + r.e * f);
    return r;
  }
};

}  // namespace medvqa::synth
