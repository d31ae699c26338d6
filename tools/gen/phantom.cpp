#include "phantom.h"

#include <algorithm>
#include <cmath>

#include "synth/random.h"

namespace medvqa::gen {
namespace {

/// An axis-aligned ellipse in normalised coordinates (-1..1 across the image).
struct Ellipse {
  double cx, cy, rx, ry;
  double value;  // value inside (the last matching ellipse wins)
  bool contains(double x, double y) const {
    const double dx = (x - cx) / rx, dy = (y - cy) / ry;
    return dx * dx + dy * dy <= 1.0;
  }
};

struct Scene {
  double background = 0.0;             // inside the field of view, outside every ellipse
  double outsideFov = 0.0;             // outside the reconstruction circle (CT)
  bool circularFov = false;
  std::vector<Ellipse> shapes;
  double noiseSd = 0.0;
  double minValue = 0.0, maxValue = 0.0;  // clamp (stored value range)
};

/// z in [-1, 1] along the series, used to let the anatomy change from slice to slice.
Scene ctScene(Anatomy a, double z) {
  Scene s;
  s.background = -1000.0;
  s.outsideFov = -2000.0;
  s.circularFov = true;
  s.noiseSd = 12.0;
  const double w = 1.0 - 0.12 * z * z;  // body a little narrower at the ends
  switch (a) {
    case Anatomy::Head:
      s.shapes = {{0, 0, 0.62 * w, 0.78 * w, 1200.0},      // skull
                  {0, 0, 0.56 * w, 0.72 * w, 35.0},        // brain
                  {-0.12, -0.05, 0.07, 0.16, 8.0},         // ventricles
                  {0.12, -0.05, 0.07, 0.16, 8.0}};
      if (z > 0.2 && z < 0.5) s.shapes.push_back({0.25, 0.3, 0.08, 0.08, 70.0});  // bleed
      break;
    case Anatomy::Chest:
      s.shapes = {{0, 0.05, 0.85 * w, 0.58 * w, 40.0},     // body
                  {-0.40, 0.0, 0.28 * w, 0.42 * w, -820.0},  // right lung
                  {0.40, 0.0, 0.28 * w, 0.42 * w, -820.0},   // left lung
                  {0.08, 0.08, 0.22, 0.2, 45.0},             // heart
                  {0, 0.48, 0.09, 0.08, 700.0},              // vertebra
                  {0.0, -0.52, 0.05, 0.03, 600.0}};          // sternum
      if (std::fabs(z - 0.3) < 0.15) s.shapes.push_back({-0.45, -0.1, 0.05, 0.05, 30.0});  // nodule
      break;
    default:  // abdomen (and anything else)
      s.shapes = {{0, 0.05, 0.85 * w, 0.62 * w, -90.0},    // fat
                  {0, 0.05, 0.78 * w, 0.55 * w, 40.0},     // muscle / organs
                  {-0.35, -0.05, 0.32, 0.3, 60.0},         // liver
                  {0.45, 0.1, 0.12, 0.18, 30.0},           // kidney
                  {-0.2, 0.15, 0.12, 0.18, 30.0},          // kidney
                  {0.1, -0.15, 0.08, 0.08, 180.0},         // contrast in bowel
                  {0, 0.48, 0.1, 0.09, 650.0}};            // vertebra
      break;
  }
  s.minValue = -32768.0;
  s.maxValue = 32767.0;
  return s;
}

Scene mrScene(Anatomy a, double z) {
  Scene s;
  s.background = 5.0;
  s.noiseSd = 14.0;
  const double w = 1.0 - 0.15 * z * z;
  switch (a) {
    case Anatomy::Knee:
      s.shapes = {{0, 0, 0.7 * w, 0.85, 900.0},            // soft tissue
                  {0, -0.35, 0.38, 0.45, 1500.0},          // femur marrow
                  {0, 0.45, 0.34, 0.38, 1450.0},           // tibia marrow
                  {0, 0.05, 0.42, 0.06, 250.0}};           // cartilage / joint space
      break;
    default:
      s.shapes = {{0, 0, 0.64 * w, 0.80 * w, 1400.0},      // scalp fat
                  {0, 0, 0.60 * w, 0.76 * w, 60.0},        // skull
                  {0, 0, 0.56 * w, 0.72 * w, 900.0},       // white matter
                  {-0.12, -0.05, 0.07, 0.16, 2400.0},      // CSF
                  {0.12, -0.05, 0.07, 0.16, 2400.0}};
      if (z > -0.2 && z < 0.2) s.shapes.push_back({-0.3, 0.25, 0.1, 0.1, 1900.0});  // lesion
      break;
  }
  s.minValue = 0.0;
  s.maxValue = 4095.0;
  return s;
}

Scene crScene(Anatomy a) {
  Scene s;
  s.background = 150.0;
  s.noiseSd = 20.0;
  if (a == Anatomy::Chest) {
    s.shapes = {{0, 0.05, 0.9, 0.95, 2300.0},               // body
                {-0.42, -0.05, 0.3, 0.65, 900.0},           // right lung
                {0.42, -0.05, 0.3, 0.65, 900.0},            // left lung
                {0.1, 0.25, 0.3, 0.3, 2600.0},              // heart
                {0, 0, 0.07, 0.95, 3300.0}};                // spine
  } else {
    s.shapes = {{0, 0, 0.55, 0.9, 1800.0}, {-0.2, 0.1, 0.08, 0.6, 3500.0},
                {0.0, 0.1, 0.08, 0.65, 3500.0}, {0.2, 0.1, 0.08, 0.6, 3500.0}};
  }
  s.minValue = 0.0;
  s.maxValue = 4095.0;
  return s;
}

}  // namespace

Image makePhantom(Modality m, Anatomy anatomy, unsigned rows, unsigned cols, unsigned slice,
                  unsigned sliceCount, std::uint64_t noiseSeed) {
  const double z = sliceCount > 1 ? 2.0 * slice / (sliceCount - 1) - 1.0 : 0.0;
  Scene scene;
  Image img;
  img.rows = rows;
  img.cols = cols;
  img.bitsAllocated = 16;
  double offset = 0.0;  // stored = value - offset
  switch (m) {
    case Modality::CT:
      scene = ctScene(anatomy, z);
      img.bitsStored = 16;
      img.isSigned = true;
      img.hasRescale = true;
      img.slope = 1.0;
      img.intercept = -1024.0;
      offset = -1024.0;
      img.windowCenter = anatomy == Anatomy::Head ? 40.0 : (anatomy == Anatomy::Chest ? -600.0 : 40.0);
      img.windowWidth = anatomy == Anatomy::Head ? 80.0 : (anatomy == Anatomy::Chest ? 1500.0 : 400.0);
      break;
    case Modality::MR:
      scene = mrScene(anatomy, z);
      img.bitsStored = 12;
      img.windowCenter = 1200.0;
      img.windowWidth = 2400.0;
      break;
    case Modality::CR:
      scene = crScene(anatomy);
      img.bitsStored = 12;
      img.windowCenter = 2048.0;
      img.windowWidth = 4096.0;
      break;
  }
  img.px16.resize(std::size_t(rows) * cols);
  synth::Rng rng(noiseSeed);
  const double minStored = scene.minValue, maxStored = scene.maxValue;
  for (unsigned y = 0; y < rows; ++y) {
    const double ny = (2.0 * y + 1.0) / rows - 1.0;
    for (unsigned x = 0; x < cols; ++x) {
      const double nx = (2.0 * x + 1.0) / cols - 1.0;
      double v;
      if (scene.circularFov && nx * nx + ny * ny > 1.0) {
        v = scene.outsideFov;  // no noise outside the reconstruction circle
      } else {
        v = scene.background;
        for (const Ellipse& e : scene.shapes)
          if (e.contains(nx, ny)) v = e.value;
        v += scene.noiseSd * rng.noise();
      }
      const double stored = std::clamp(std::round(v - offset), minStored, maxStored);
      img.px16[std::size_t(y) * cols + x] =
          static_cast<std::uint16_t>(static_cast<std::int16_t>(static_cast<int>(stored)));
    }
  }
  return img;
}

Image toEightBit(const Image& in) {
  Image out = in;
  out.px16.clear();
  out.bitsAllocated = 8;
  out.bitsStored = 8;
  out.isSigned = false;
  const double lo = in.windowCenter - in.windowWidth / 2.0;
  const double width = in.windowWidth;
  out.px8.resize(in.px16.size());
  for (std::size_t i = 0; i < in.px16.size(); ++i) {
    const double stored = in.isSigned ? double(static_cast<std::int16_t>(in.px16[i])) : double(in.px16[i]);
    const double value = in.hasRescale ? stored * in.slope + in.intercept : stored;
    out.px8[i] = static_cast<std::uint8_t>(std::clamp(std::round((value - lo) / width * 255.0), 0.0, 255.0));
  }
  if (in.hasRescale) {
    // 0..255 maps back onto the window [lo, lo + width] in the original units (HU for CT).
    out.slope = width / 255.0;
    out.intercept = lo;
    out.windowCenter = in.windowCenter;
    out.windowWidth = in.windowWidth;
  } else {
    out.windowCenter = 127.5;
    out.windowWidth = 256.0;
  }
  return out;
}

}  // namespace medvqa::gen
