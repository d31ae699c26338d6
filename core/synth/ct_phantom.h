// Abdominal CT phantoms: axial slices of a ct_anatomy.h anatomy, stored as HU + 1024.
//
// Image Orientation (Patient) is 1\0\0\0\1\0: columns run towards the patient's left and rows
// towards posterior, so the patient's left is on the image's right (radiological convention).
#pragma once

#include <cstdint>

#include "synth/ct_anatomy.h"
#include "synth/geometry.h"
#include "synth/pixel_image.h"
#include "synth/random.h"

namespace medvqa::synth {

struct CtAcquisition {
  unsigned size = 256;          // rows = columns
  double pixelSpacing = 0.0;    // mm; field of view = size * pixelSpacing
  unsigned slices = 7;          // always odd: the middle slice is unambiguous
  double sliceThickness = 5.0;  // = spacing between slice centres
  double middleZ = 0.0;         // table position (patient z) of the middle slice
  Point bodyCentre;             // patient (x, y) of the body centre: the patient's shift
  double rotation = 0.0;        // radians: the patient's roll on the table
  double noiseSd = 10.0;        // HU
  bool signedPixels = false;    // PixelRepresentation 1, 16 bits stored; else unsigned, 12 bits
  double kvp = 120.0;
  double tubeCurrent = 200.0;   // mA

  unsigned middleSlice() const { return slices / 2; }
  double fieldOfView() const { return size * pixelSpacing; }
  /// Patient z of slice `index` (0 is the most superior; instance numbers follow).
  double sliceZ(unsigned index) const { return middleZ + (double(middleSlice()) - double(index)) * sliceThickness; }
  /// Image Position (Patient) x and y: the centre of the first pixel.
  Point firstPixelPosition() const { return {-fieldOfView() / 2.0 + pixelSpacing / 2.0, -fieldOfView() / 2.0 + pixelSpacing / 2.0}; }
};

CtAcquisition planCtAcquisition(Rng& rng);

/// Maps a pixel position (column, row; pixel centres at +0.5) onto the anatomy's (x, y) mm.
Affine2 pixelToAnatomy(const CtAcquisition& acq);

/// Renders slice `index`: RescaleSlope 1, RescaleIntercept -1024, window 40/400; outside the
/// reconstruction circle the stored value is 0 (unsigned) or -2000 HU (signed), as scanners pad.
PixelImage renderCtSlice(const CtAnatomy& anatomy, const CtAcquisition& acq, unsigned index, std::uint64_t noiseSeed);

}  // namespace medvqa::synth
