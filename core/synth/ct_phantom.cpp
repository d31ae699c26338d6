#include "synth/ct_phantom.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace medvqa::synth {
namespace {

constexpr double kHuOffset = 1024.0;  // stored = HU + 1024 (RescaleIntercept -1024)

/// One ellipsoid cut by the slice plane, ready for fast point tests.
struct Section {
  double cx, cy, cos, sin, invRx, invRy;
  bool contains(Point p) const {
    const double dx = p.x - cx, dy = p.y - cy;
    const double lx = (cos * dx + sin * dy) * invRx, ly = (-sin * dx + cos * dy) * invRy;
    return lx * lx + ly * ly <= 1.0;
  }
};

Section sectionOf(const Ellipsoid& e, double scale) {
  return {e.cx, e.cy, std::cos(e.angle), std::sin(e.angle), 1.0 / (e.rx * scale), 1.0 / (e.ry * scale)};
}

struct PixelBox {
  int x0, x1, y0, y1;
};

/// The pixels that can hold the section (its bounding box mapped into the image, clamped).
PixelBox boxOf(const Ellipsoid& e, double scale, const Affine2& toPixel, const CtAcquisition& acq) {
  const double c = std::cos(e.angle), s = std::sin(e.angle);
  const double rx = e.rx * scale, ry = e.ry * scale;
  const double ex = std::hypot(rx * c, ry * s), ey = std::hypot(rx * s, ry * c);
  double minX = 1e9, maxX = -1e9, minY = 1e9, maxY = -1e9;
  for (const double sx : {-1.0, 1.0}) {
    for (const double sy : {-1.0, 1.0}) {
      const Point p = toPixel.apply({e.cx + sx * ex, e.cy + sy * ey});
      minX = std::min(minX, p.x), maxX = std::max(maxX, p.x), minY = std::min(minY, p.y), maxY = std::max(maxY, p.y);
    }
  }
  const int last = static_cast<int>(acq.size) - 1;
  return {std::max(0, static_cast<int>(std::floor(minX))), std::min(last, static_cast<int>(std::ceil(maxX))),
          std::max(0, static_cast<int>(std::floor(minY))), std::min(last, static_cast<int>(std::ceil(maxY)))};
}

/// Paints every shape in order (a later one covers an earlier one), in HU.
std::vector<float> paint(const CtAnatomy& anatomy, const CtAcquisition& acq, double z) {
  std::vector<float> hu(static_cast<std::size_t>(acq.size) * acq.size, -1000.0f);
  const Affine2 toAnatomy = pixelToAnatomy(acq), toPixel = toAnatomy.inverse();
  const double cavityScale = anatomy.cavity.scaleAt(z);
  const Section cavity = sectionOf(anatomy.cavity, cavityScale > 0.0 ? cavityScale : 1.0);
  for (const Ellipsoid& e : anatomy.shapes) {
    const double scale = e.scaleAt(z);
    if (scale <= 0.0) continue;
    const Section section = sectionOf(e, scale);
    const PixelBox box = boxOf(e, scale, toPixel, acq);
    const auto value = static_cast<float>(e.hu);
    for (int y = box.y0; y <= box.y1; ++y) {
      for (int x = box.x0; x <= box.x1; ++x) {
        const Point p = toAnatomy.apply({x + 0.5, y + 0.5});
        if (section.contains(p) && (!e.withinCavity || cavity.contains(p)))
          hu[static_cast<std::size_t>(y) * acq.size + static_cast<std::size_t>(x)] = value;
      }
    }
  }
  return hu;
}

std::uint16_t store(double hu, bool signedPixels) {
  const double stored = std::round(hu + kHuOffset);
  if (signedPixels) return static_cast<std::uint16_t>(static_cast<std::int16_t>(std::clamp(stored, -32768.0, 32767.0)));
  return static_cast<std::uint16_t>(std::clamp(stored, 0.0, 4095.0));
}

}  // namespace

CtAcquisition planCtAcquisition(Rng& rng) {
  CtAcquisition acq;
  acq.size = rng.chance(0.7) ? 256 : 320;
  // (Rounded to 0.1 um, so the header's decimal strings are the exact geometry the pixels use.)
  acq.pixelSpacing = std::round(rng.uniform(350.0, 400.0) / acq.size * 1e4) / 1e4;
  acq.slices = 5 + 2 * static_cast<unsigned>(rng.integer(0, 2));
  static constexpr std::array<double, 3> kThickness = {2.5, 3.0, 5.0};
  acq.sliceThickness = kThickness[static_cast<std::size_t>(rng.integer(0, 2))];
  acq.middleZ = -std::round(rng.uniform(150.0, 350.0));
  acq.bodyCentre = {rng.uniform(-10.0, 10.0), rng.uniform(-5.0, 15.0)};
  acq.rotation = rng.uniform(-3.0, 3.0) * M_PI / 180.0;
  acq.noiseSd = rng.uniform(8.0, 15.0);
  acq.signedPixels = rng.chance(0.5);
  static constexpr std::array<double, 3> kKvp = {100.0, 120.0, 140.0};
  acq.kvp = kKvp[static_cast<std::size_t>(rng.integer(0, 2))];
  acq.tubeCurrent = std::round(rng.uniform(150.0, 350.0));
  return acq;
}

Affine2 pixelToAnatomy(const CtAcquisition& acq) {
  // Pixel -> patient: x = -fov/2 + column * spacing (likewise y); then into the body's frame:
  // undo the shift, then the roll.
  const double c = std::cos(acq.rotation), s = std::sin(acq.rotation), sp = acq.pixelSpacing;
  const double ox = -acq.fieldOfView() / 2.0 - acq.bodyCentre.x, oy = -acq.fieldOfView() / 2.0 - acq.bodyCentre.y;
  Affine2 m;
  m.a = c * sp, m.b = s * sp, m.c = c * ox + s * oy;
  m.d = -s * sp, m.e = c * sp, m.f = -s * ox + c * oy;
  return m;
}

PixelImage renderCtSlice(const CtAnatomy& anatomy, const CtAcquisition& acq, unsigned index, std::uint64_t noiseSeed) {
  const double z = acq.sliceZ(index) - acq.middleZ;  // the anatomy's z: 0 at the middle slice
  const std::vector<float> hu = paint(anatomy, acq, z);
  PixelImage img;
  img.rows = img.cols = acq.size;
  img.isSigned = acq.signedPixels;
  img.bitsStored = acq.signedPixels ? 16 : 12;
  img.pixelSpacing = acq.pixelSpacing;
  img.hasRescale = true;
  img.rescaleSlope = 1.0;
  img.rescaleIntercept = -kHuOffset;
  img.windowCenter = 40.0;
  img.windowWidth = 400.0;
  img.pixels.resize(hu.size());
  const double radius2 = (acq.size / 2.0) * (acq.size / 2.0);
  const double padding = acq.signedPixels ? -2000.0 : -kHuOffset;
  Rng noise(noiseSeed);
  for (unsigned y = 0; y < acq.size; ++y) {
    for (unsigned x = 0; x < acq.size; ++x) {
      const double dx = x + 0.5 - acq.size / 2.0, dy = y + 0.5 - acq.size / 2.0;
      const std::size_t i = static_cast<std::size_t>(y) * acq.size + x;
      const double value = dx * dx + dy * dy > radius2 ? padding : hu[i] + acq.noiseSd * noise.noise();
      img.pixels[i] = store(value, acq.signedPixels);
    }
  }
  return img;
}

}  // namespace medvqa::synth
