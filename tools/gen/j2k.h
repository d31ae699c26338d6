// JPEG 2000 (lossless) for DICOM via OpenJPEG: DCMTK 3.6.7 has no JPEG 2000 codec.
#pragma once

#include <cstdint>
#include <vector>

#include "phantom.h"

class DcmDataset;

namespace medvqa::gen {

/// A raw J2K codestream (not a JP2 file), reversible 5/3 wavelet, one quality layer.
std::vector<std::uint8_t> encodeJ2kLossless(const Image& img);

/// Replaces the dataset's PixelData by an encapsulated one (Basic Offset Table item + one
/// fragment) holding `codestream`, in transfer syntax 1.2.840.10008.1.2.4.90.
void encapsulateJ2k(DcmDataset& ds, const std::vector<std::uint8_t>& codestream);

}  // namespace medvqa::gen
