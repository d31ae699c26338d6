#include "imaging/windowing.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "imaging/functional_groups.h"

namespace medvqa::imaging {
namespace {

// Both linear functions are y = clamp(a * x + b); computed once per image, not per pixel.
struct Affine {
  float a = 0.0f;
  float b = 0.0f;
};

Affine affineOf(const Window& w) {
  if (w.function == VoiFunction::LinearExact) {
    const double a = 1.0 / w.width;
    return {float(a), float(0.5 - w.center * a)};
  }
  const double a = 1.0 / (w.width - 1.0);
  return {float(a), float(0.5 - (w.center - 0.5) * a)};
}

VoiFunction parseFunction(const std::string& name) {
  if (name == "LINEAR_EXACT") return VoiFunction::LinearExact;
  if (name == "SIGMOID") return VoiFunction::Sigmoid;
  return VoiFunction::Linear;  // the default, also for values the standard does not define
}

std::optional<Window> readWindow(DcmItem& item) {
  Window window;
  // First value of a multi-valued window: the one the modality considers primary.
  if (item.findAndGetFloat64(DCM_WindowCenter, window.center, 0).bad() ||
      item.findAndGetFloat64(DCM_WindowWidth, window.width, 0).bad())
    return std::nullopt;
  OFString function;
  if (item.findAndGetOFString(DCM_VOILUTFunction, function).good()) window.function = parseFunction(function.c_str());
  return window;
}

}  // namespace

float windowed(double x, const Window& window) {
  if (window.function == VoiFunction::Sigmoid)
    return float(1.0 / (1.0 + std::exp(-4.0 * (x - window.center) / window.width)));
  if (window.function == VoiFunction::Linear) {
    // The standard's borders: a width-1 window is a step at c - 0.5.
    const double half = (window.width - 1.0) / 2.0;
    if (x <= window.center - 0.5 - half) return 0.0f;
    if (x > window.center - 0.5 + half) return 1.0f;
    return float((x - (window.center - 0.5)) / (window.width - 1.0) + 0.5);
  }
  return float(std::clamp((x - window.center) / window.width + 0.5, 0.0, 1.0));
}

void applyWindow(std::span<const float> in, const Window& window, bool invert, std::span<float> out) {
  const std::size_t n = std::min(in.size(), out.size());
  if (window.function == VoiFunction::Sigmoid || (window.function == VoiFunction::Linear && window.width == 1.0)) {
    for (std::size_t i = 0; i < n; ++i) out[i] = invert ? 1.0f - windowed(in[i], window) : windowed(in[i], window);
    return;
  }
  Affine f = affineOf(window);
  if (invert) f = {-f.a, 1.0f - f.b};  // 1 - (a x + b), folded so the loop stays one FMA + clamp
  for (std::size_t i = 0; i < n; ++i) out[i] = std::clamp(f.a * in[i] + f.b, 0.0f, 1.0f);
}

bool usable(const Window& window) {
  if (!std::isfinite(window.center) || !std::isfinite(window.width)) return false;
  return window.function == VoiFunction::Linear ? window.width >= 1.0 : window.width > 0.0;
}

std::optional<Window> fileWindow(DcmItem& dataset, int frame) {
  std::optional<Window> window = readWindow(dataset);
  if (!window)
    if (DcmItem* group = functionalGroup(dataset, frame, DCM_FrameVOILUTSequence)) window = readWindow(*group);
  if (window && !usable(*window)) return std::nullopt;
  return window;
}

Window minMaxWindow(std::span<const float> values) {
  if (values.empty()) return {0.0, 1.0, VoiFunction::LinearExact};
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  if (*hi <= *lo) return {double(*lo) + 0.5, 1.0, VoiFunction::LinearExact};  // constant: all 0
  return {(double(*lo) + double(*hi)) / 2.0, double(*hi) - double(*lo), VoiFunction::LinearExact};
}

}  // namespace medvqa::imaging
