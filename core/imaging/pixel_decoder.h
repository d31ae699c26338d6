#pragma once

#include <vector>

class DcmDataset;

namespace medvqa::imaging {

// One frame as decoded by DCMTK's DicomImage, before any VOI.
struct DecodedFrame {
  enum class Kind {
    Stored,       // monochrome stored values (signed as the file says); the rescale is still to apply
    ModalityLut,  // monochrome values after the file's Modality LUT Sequence (DCMTK applied it)
    Colour,       // R,G,B per pixel in [0,1] (YBR, palette and planar layouts already converted)
  };
  Kind kind = Kind::Stored;
  int rows = 0;
  int columns = 0;
  bool monochrome1 = false;
  std::vector<float> values;  // rows * columns (monochrome) or 3 * rows * columns (colour)
};

// Makes the listed frames (0-based) decodable by decodeFrame and says where they now are: JPEG
// 2000 pixel data is decoded (those frames only) and replaced by native pixel data, so the
// frames become 0..n-1; any other syntax is left alone and the numbers returned unchanged.
std::vector<int> makeDecodable(DcmDataset& dataset, const std::vector<int>& frames);

// Decodes frame `frame` (0-based) of a data set whose pixel data is native or compressed in a
// syntax DCMTK decodes (JPEG 2000 must go through makeDecodable first). Native pixel
// data shorter than its header promises is refused rather than padded. Throws Error(Dicom).
//
// Why DCMTK's rescale is not used: DicomImage keeps modality values in integer types, so a
// fractional slope (PET, many MR) truncates them, e.g. 0.001 * stored collapses to 0..3.
// Monochrome frames are therefore read as stored values and rescaled in float here.
DecodedFrame decodeFrame(DcmDataset& dataset, int frame);

// The frame's modality values (rescale slope/intercept or Modality LUT applied), row-major.
// Throws Error(InvalidArgument) for a colour image. For tests and for callers that want HU.
std::vector<float> modalityValues(DcmDataset& dataset, int frame);

}  // namespace medvqa::imaging
