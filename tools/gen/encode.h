// Writing a dataset in a chosen transfer syntax (DCMTK codecs; OpenJPEG for JPEG 2000).
#pragma once

#include <filesystem>

#include <dcmtk/dcmdata/dcxfer.h>

#include "dicom/codecs.h"
#include "options.h"
#include "phantom.h"

class DcmFileFormat;

namespace medvqa::gen {

/// Core's DCMTK encoders (JPEG, JPEG-LS, RLE; lossy JPEG keeps the UIDs) for its lifetime, with
/// DCMTK's informational notes silenced.
class CodecRegistration {
 public:
  CodecRegistration();

 private:
  dicom::EncoderRegistration encoders_;
};

E_TransferSyntax transferSyntaxOf(Syntax s);

/// JPEG baseline only takes 8-bit samples: the generator windows the image to 8 bits first.
bool needsEightBit(Syntax s);

/// Encodes `ff` (whose PixelData holds `img` uncompressed) in `s` and writes it to `path`.
/// Throws std::runtime_error on failure.
void saveInSyntax(DcmFileFormat& ff, const Image& img, Syntax s, const std::filesystem::path& path);

}  // namespace medvqa::gen
