#pragma once

#include <cstdint>
#include <vector>

class DcmDataset;

namespace medvqa::imaging {

// True when the data set's pixel data is still encapsulated JPEG 2000 (1.2.840.10008.1.2.4.90
// or .91), which DCMTK 3.6.7 cannot decode.
bool hasJpeg2000PixelData(DcmDataset& dataset);

// Decodes `frames` (0-based, in that order) with OpenJPEG and replaces the pixel data by native
// pixel data holding just those frames, so the rest of the pipeline treats the data set as
// uncompressed: Number of Frames becomes frames.size(), Planar Configuration 0, YBR_RCT/YBR_ICT
// become RGB (the decoder undid the colour transform). Throws Error(Dicom).
void decodeJpeg2000PixelData(DcmDataset& dataset, const std::vector<int>& frames);

// The reverse, for writers of test and synthetic data: replaces the pixel data by `codestreams`
// (one J2K codestream per frame, as encodeJ2k makes them) encapsulated for 1.2.840.10008.1.2.4.90
// (lossless) or .91 (not): a Basic Offset Table and one fragment per frame. Save the data set in
// that transfer syntax. Throws Error(Dicom).
void putJpeg2000PixelData(DcmDataset& dataset, const std::vector<std::vector<std::uint8_t>>& codestreams,
                          bool lossless);

}  // namespace medvqa::imaging
