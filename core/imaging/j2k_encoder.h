#pragma once

#include <cstdint>
#include <vector>

#include "imaging/j2k_decoder.h"

namespace medvqa::imaging {

struct J2kEncoding {
  bool lossless = true;  // reversible 5/3 wavelet (and RCT); else irreversible 9/7 (and ICT)
  float ratio = 10.0f;   // the compression ratio of a lossy encoding
  int resolutions = 0;   // 0: as many as the image allows (the smallest at least 1 pixel), at most 6
};

// Encodes `image` (1 or 3 components, each of `precision` bits, signed or not; samples
// interleaved as decodeJ2k returns them) as a raw J2K codestream with one quality layer: what
// DICOM encapsulates (1.2.840.10008.1.2.4.90 lossless, .91 lossy). Three components get the
// colour transform (so a DICOM file says YBR_RCT or YBR_ICT). For writers of test and
// synthetic data (medvqa-gen, tests): the node itself never encodes JPEG 2000. Throws
// Error(Dicom) with OpenJPEG's first error message.
std::vector<std::uint8_t> encodeJ2k(const J2kImage& image, const J2kEncoding& encoding = {});

}  // namespace medvqa::imaging
