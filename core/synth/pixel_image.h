// One rendered frame and the Image Pixel / Modality LUT / VOI LUT values that describe it.
#pragma once

#include <cstdint>
#include <vector>

namespace medvqa::synth {

struct PixelImage {
  unsigned rows = 0;
  unsigned cols = 0;
  unsigned bitsStored = 16;   // BitsAllocated is always 16
  bool isSigned = false;      // PixelRepresentation 1
  bool monochrome1 = false;   // stored values inverted: low values display white
  double pixelSpacing = 1.0;  // mm, equal along rows and columns
  bool hasRescale = false;    // CT: RescaleSlope/Intercept into HU
  double rescaleSlope = 1.0;
  double rescaleIntercept = 0.0;
  double windowCenter = 0.0;  // VOI window in rescaled units; none when the width is 0
  double windowWidth = 0.0;
  std::vector<std::uint16_t> pixels;  // row-major; signed values as two's complement
};

}  // namespace medvqa::synth
