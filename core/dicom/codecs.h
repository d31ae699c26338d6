#pragma once

namespace medvqa::dicom {

// Registers DCMTK's decoders (JPEG, JPEG-LS, RLE) for the lifetime of the object, so that an
// instance stored compressed can still go to a peer that only accepts uncompressed syntaxes
// (C-GET, C-MOVE). One per process; JPEG 2000 has no DCMTK codec.
class CodecRegistration {
 public:
  CodecRegistration();
  ~CodecRegistration();
  CodecRegistration(const CodecRegistration&) = delete;
  CodecRegistration& operator=(const CodecRegistration&) = delete;
};

}  // namespace medvqa::dicom
