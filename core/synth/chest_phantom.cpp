#include "synth/chest_phantom.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "synth/lung_markings.h"

namespace medvqa::synth {
namespace {

constexpr double kMaxAttenuation = 1.3;  // the densest sum below (spine behind the heart)

double bodyThickness(const ChestAnatomy& a, double u, double v) {
  const double s = smoothstep(a.shoulderV - 60.0, a.shoulderV, v);  // neck widening into the shoulders
  const double halfWidth = a.neckHalfWidth + (a.bodyHalfWidth - a.neckHalfWidth) * s;
  const double r = u / halfWidth;
  return r * r >= 1.0 ? 0.0 : std::sqrt(1.0 - r * r);  // a cylinder's chord length
}

/// Posterior ribs: bands that leave the spine and curve down towards the lateral chest wall.
double ribs(const ChestAnatomy& a, double u, double v) {
  const double x = std::fabs(u) - a.spineHalfWidth;
  if (x < 4.0 || x > a.thoraxHalfWidth + 10.0) return 0.0;
  const double t = x / a.thoraxHalfWidth;
  const double k = (v - a.ribTopV - (18.0 * t + 30.0 * t * t)) / a.ribSpacing;
  if (k < -0.5 || k > 10.5) return 0.0;
  const double d = (k - std::round(k)) * a.ribSpacing;
  return insideness(std::fabs(d) - 4.5, 1.2);
}

double clavicles(const ChestAnatomy& a, double u, double v) {
  if (v > a.shoulderV + 35.0 || v < a.shoulderV - 20.0) return 0.0;
  const double s = u < 0.0 ? -1.0 : 1.0;
  const Point medial{s * 25.0, a.shoulderV + 20.0}, lateral{s * (a.thoraxHalfWidth + 25.0), a.shoulderV - 5.0};
  return insideness(distanceToSegment({u, v}, medial, lateral) - 6.5, 1.5);
}

double nodules(const ChestAnatomy& a, double u, double v) {
  double sum = 0.0;
  for (const Nodule& n : a.nodules) {
    const double du = (u - n.centre.x) / n.radius, dv = (v - n.centre.y) / n.radius;
    const double r2 = du * du + dv * dv;
    if (r2 < 1.0) sum += std::min(1.0, 1.6 * std::sqrt(1.0 - r2));  // a sphere, flattened: solid
  }
  return sum;
}

/// X-ray attenuation along the ray through (u, v), roughly 0 (air) .. kMaxAttenuation.
double attenuation(const ChestAnatomy& a, double u, double v, double marking) {
  const double body = bodyThickness(a, u, v);
  if (body <= 0.0) return 0.0;
  const ChestTissues t = tissuesAt(a, u, v);
  // Air in the lung removes a share of the chord; free pleural air removes more (no parenchyma)
  // and shows no vessels. Fluid and heart replace air with soft tissue.
  double soft = 0.95 - 0.52 * t.aerated - 0.70 * t.freeAir + 0.10 * marking * t.aerated + 0.06 * t.pleuralLine;
  soft += 0.06 * t.heart;
  const double spine = insideness(std::fabs(u) - a.spineHalfWidth, 2.0);
  return body * soft + 0.32 * nodules(a, u, v) + 0.18 * spine + 0.07 * ribs(a, u, v) + 0.14 * clavicles(a, u, v);
}

/// x^gamma on [0, 1] from a table: std::pow per pixel was a quarter of the run time.
class GammaCurve {
 public:
  explicit GammaCurve(double gamma) {
    for (std::size_t i = 0; i < table_.size(); ++i) table_[i] = std::pow(double(i) / kSteps, gamma);
  }
  double operator()(double x) const {
    const double t = std::clamp(x, 0.0, 1.0) * kSteps;
    const auto i = std::min(static_cast<std::size_t>(t), kSteps - 1);
    return table_[i] + (table_[i + 1] - table_[i]) * (t - double(i));
  }

 private:
  static constexpr std::size_t kSteps = 4096;
  std::array<double, kSteps + 1> table_{};
};

/// A window over the 0.5 .. 99.5 percentiles of the stored values, as a CR/DX console would set.
void setWindow(PixelImage& img, Rng& rng) {
  std::vector<std::uint32_t> histogram(std::size_t{1} << img.bitsStored, 0);
  for (std::uint16_t p : img.pixels) ++histogram[p];
  const std::size_t lowCount = img.pixels.size() / 200, highCount = img.pixels.size() - lowCount;
  std::size_t seen = 0, low = 0, high = histogram.size() - 1;
  bool lowSet = false;
  for (std::size_t value = 0; value < histogram.size(); ++value) {
    seen += histogram[value];
    if (!lowSet && seen > lowCount) low = value, lowSet = true;
    if (seen >= highCount) {
      high = value;
      break;
    }
  }
  const double width = std::max(16.0, (double(high) - double(low)) * rng.uniform(1.0, 1.15));
  img.windowWidth = std::round(width);
  img.windowCenter = std::round(0.5 * (double(low) + double(high)) + width * rng.uniform(-0.04, 0.04));
}

}  // namespace

std::string_view toString(ChestModality modality) { return modality == ChestModality::CR ? "CR" : "DX"; }

ChestAcquisition planChestAcquisition(Rng& rng) {
  ChestAcquisition acq;
  acq.modality = rng.chance(0.5) ? ChestModality::CR : ChestModality::DX;
  acq.anteroposterior = rng.chance(0.25);
  acq.cols = 384 + 16 * static_cast<unsigned>(rng.integer(0, 16));
  const double aspect = rng.uniform(1.0, 1.22);  // portrait or square cassettes
  acq.rows = std::clamp(16 * static_cast<unsigned>(std::lround(acq.cols * aspect / 16.0)), 384u, 640u);
  // The model squeezes both sides to 128 pixels: keeping the longer side within 455 mm keeps a
  // 16 mm nodule above 4.5 pixels in both directions.
  const double aspectUsed = double(acq.rows) / acq.cols;
  // (Rounded to 0.1 um, so the header's decimal string is the exact spacing the pixels use.)
  acq.pixelSpacing = std::round(rng.uniform(360.0, std::min(440.0, kMaxFieldMm / aspectUsed)) / acq.cols * 1e4) / 1e4;
  acq.rotation = rng.uniform(-4.0, 4.0) * M_PI / 180.0;
  acq.centre = {rng.uniform(-15.0, 15.0), -10.0 + rng.uniform(-15.0, 15.0)};
  acq.offset = rng.uniform(0.04, 0.12);
  acq.gain = rng.uniform(0.58, 0.78);
  acq.gamma = rng.uniform(0.8, 1.25);
  acq.heel = rng.uniform(-0.06, 0.06);
  acq.noiseSd = rng.uniform(0.008, 0.022);
  acq.bitsStored = static_cast<unsigned>(rng.integer(12, 16));
  acq.monochrome1 = rng.chance(0.35);
  // DX For Presentation requires a VOI LUT; a CR reader may leave the window to the viewer.
  acq.window = acq.modality == ChestModality::DX || rng.chance(0.75);
  acq.kvp = std::round(acq.anteroposterior ? rng.uniform(85.0, 100.0) : rng.uniform(110.0, 125.0));
  return acq;
}

Affine2 pixelToPatient(const ChestAcquisition& acq) {
  const double c = std::cos(acq.rotation) * acq.pixelSpacing, s = std::sin(acq.rotation) * acq.pixelSpacing;
  const double cx = acq.cols / 2.0, cy = acq.rows / 2.0;
  Affine2 m;
  m.a = c, m.b = -s, m.c = acq.centre.x - (c * cx - s * cy);
  m.d = s, m.e = c, m.f = acq.centre.y - (s * cx + c * cy);
  return m;
}

PixelImage renderChest(const ChestAnatomy& anatomy, const ChestAcquisition& acq, std::uint64_t noiseSeed) {
  PixelImage img;
  img.rows = acq.rows;
  img.cols = acq.cols;
  img.bitsStored = acq.bitsStored;
  img.monochrome1 = acq.monochrome1;
  img.pixelSpacing = acq.pixelSpacing;
  img.pixels.resize(static_cast<std::size_t>(acq.rows) * acq.cols);
  const Affine2 toPatient = pixelToPatient(acq);
  const std::vector<float> markings =
      rasterizeVessels(anatomy.vessels, toPatient.inverse(), 1.0 / acq.pixelSpacing, acq.rows, acq.cols);
  const double maxStored = double((1u << acq.bitsStored) - 1);
  const GammaCurve curve(acq.gamma);
  Rng noise(noiseSeed);
  for (unsigned y = 0; y < acq.rows; ++y) {
    for (unsigned x = 0; x < acq.cols; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * acq.cols + x;
      const Point p = toPatient.apply({x + 0.5, y + 0.5});
      const double a = attenuation(anatomy, p.x, p.y, markings[i]) / kMaxAttenuation;
      double display = acq.offset + acq.gain * curve(a);
      display += acq.heel * ((x + 0.5) / acq.cols - 0.5) + acq.noiseSd * noise.noise();
      const double stored = std::floor(std::clamp(display, 0.0, 1.0) * maxStored + 0.5);  // round, non-negative
      img.pixels[i] = static_cast<std::uint16_t>(acq.monochrome1 ? maxStored - stored : stored);
    }
  }
  if (acq.window) setWindow(img, noise);
  return img;
}

}  // namespace medvqa::synth
