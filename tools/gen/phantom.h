// Synthetic phantom images with noise: cheap to compute, plausible to look at.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "options.h"

namespace medvqa::gen {

/// Image pixel module values plus the pixels (one frame, one sample per pixel, MONOCHROME2).
struct Image {
  unsigned rows = 0;
  unsigned cols = 0;
  unsigned bitsAllocated = 16;  // 8 or 16
  unsigned bitsStored = 16;
  bool isSigned = false;        // PixelRepresentation 1
  bool hasRescale = false;      // write RescaleSlope/Intercept (CT)
  double slope = 1.0;
  double intercept = 0.0;
  double windowCenter = 0.0;
  double windowWidth = 0.0;
  std::vector<std::uint16_t> px16;  // bitsAllocated 16 (signed values as two's complement)
  std::vector<std::uint8_t> px8;    // bitsAllocated 8

  std::size_t pixelBytes() const { return bitsAllocated == 8 ? px8.size() : px16.size() * 2; }
};

/// Which anatomy the phantom shows.
enum class Anatomy { Chest, Abdomen, Head, Knee, Hand };

/// Makes slice `slice` of `sliceCount` of a phantom of `anatomy` for modality `m`.
/// CT: stored = HU + 1024, signed 16-bit (outside the reconstruction circle -2000 HU, i.e. < 0).
/// MR, CR: unsigned, 12 bits stored.  `noiseSeed` drives the noise only.
Image makePhantom(Modality m, Anatomy anatomy, unsigned rows, unsigned cols, unsigned slice,
                  unsigned sliceCount, std::uint64_t noiseSeed);

/// Applies the image's window and returns an 8-bit MONOCHROME2 image (for JPEG baseline).
/// Where the image has a rescale, the new rescale maps 0..255 back onto the window's range.
Image toEightBit(const Image& in);

}  // namespace medvqa::gen
