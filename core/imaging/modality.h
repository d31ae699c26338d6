#pragma once

#include <span>

class DcmItem;

namespace medvqa::imaging {

// The Modality LUT as a linear rescale: modality value = stored * slope + intercept
// (Hounsfield units for CT). Identity when the file has none.
struct Rescale {
  double slope = 1.0;
  double intercept = 0.0;
};

// From the top level, else from the frame's Pixel Value Transformation functional group
// (enhanced multi-frame objects keep it there).
Rescale rescaleOf(DcmItem& dataset, int frame);

// A Modality LUT Sequence replaces the rescale; DCMTK applies it while decoding.
bool hasModalityLutSequence(DcmItem& dataset);

void applyRescale(std::span<float> values, const Rescale& rescale);

}  // namespace medvqa::imaging
