#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace medvqa::imaging {

// One JPEG 2000 image as OpenJPEG decoded it, the inverse colour transform (RCT/ICT) applied.
struct J2kImage {
  int width = 0;
  int height = 0;
  int components = 0;
  int precision = 0;  // bits per sample, of the first component
  bool isSigned = false;
  std::vector<std::int32_t> samples;  // interleaved: components values per pixel, row-major
};

// Decodes a raw J2K codestream (what DICOM encapsulates) or a JP2 file (what some writers
// encapsulate by mistake). Every component must have full resolution. Throws Error(Dicom) with
// OpenJPEG's first error message.
J2kImage decodeJ2k(std::span<const std::uint8_t> bytes);

// The J2K start-of-codestream marker then SIZ: a fragment that begins a frame.
bool startsJ2kCodestream(std::span<const std::uint8_t> bytes);

}  // namespace medvqa::imaging
