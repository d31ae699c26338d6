// Writing a dataset in a chosen transfer syntax (DCMTK codecs; OpenJPEG for JPEG 2000).
#pragma once

#include <filesystem>

#include <dcmtk/dcmdata/dcxfer.h>

#include "options.h"
#include "phantom.h"

class DcmFileFormat;

namespace medvqa::gen {

/// Registers DCMTK's JPEG, JPEG-LS and RLE encoders for its lifetime.
class CodecRegistration {
 public:
  CodecRegistration();
  ~CodecRegistration();
  CodecRegistration(const CodecRegistration&) = delete;
  CodecRegistration& operator=(const CodecRegistration&) = delete;
};

E_TransferSyntax transferSyntaxOf(Syntax s);

/// JPEG baseline only takes 8-bit samples: the generator windows the image to 8 bits first.
bool needsEightBit(Syntax s);

/// Encodes `ff` (whose PixelData holds `img` uncompressed) in `s` and writes it to `path`.
/// Throws std::runtime_error on failure.
void saveInSyntax(DcmFileFormat& ff, const Image& img, Syntax s, const std::filesystem::path& path);

}  // namespace medvqa::gen
