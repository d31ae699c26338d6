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

// Registers DCMTK's encoders (JPEG, JPEG-LS, RLE) for the lifetime of the object, for writers of
// test and synthetic data (medvqa-gen): the node stores what it receives and never compresses.
// Lossy JPEG keeps the SOP Instance UID (a generated file's UIDs stay a function of its seed)
// and colour goes to YCbCr; JPEG-LS follows the standard's default parameters. JPEG 2000 has no
// DCMTK codec: imaging/j2k_encoder.h. One per process.
class EncoderRegistration {
 public:
  EncoderRegistration();
  ~EncoderRegistration();
  EncoderRegistration(const EncoderRegistration&) = delete;
  EncoderRegistration& operator=(const EncoderRegistration&) = delete;
};

}  // namespace medvqa::dicom
