#pragma once

namespace medvqa::imaging {

// Makes sure DCMTK's JPEG, JPEG-LS and RLE decoders are registered before pixel data is read.
// Idempotent and cheap; it registers again if another owner (dicom::CodecRegistration) has
// cleaned them up since. The registration is never undone here: other threads may be decoding.
void ensureDecodersRegistered();

}  // namespace medvqa::imaging
