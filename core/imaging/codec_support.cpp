#include "imaging/codec_support.h"

#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include <mutex>

namespace medvqa::imaging {

void ensureDecodersRegistered() {
  // DCMTK's registerCodecs() checks a plain static flag: serialise so that two threads decoding
  // their first image at once do not register twice.
  static std::mutex mutex;
  const std::lock_guard lock(mutex);
  DJDecoderRegistration::registerCodecs();
  DJLSDecoderRegistration::registerCodecs();
  DcmRLEDecoderRegistration::registerCodecs();
}

}  // namespace medvqa::imaging
