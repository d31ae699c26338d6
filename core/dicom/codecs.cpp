#include "dicom/codecs.h"

#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/dcmjpls/djencode.h>

namespace medvqa::dicom {

CodecRegistration::CodecRegistration() {
  DJDecoderRegistration::registerCodecs();
  DJLSDecoderRegistration::registerCodecs();
  DcmRLEDecoderRegistration::registerCodecs();
}

CodecRegistration::~CodecRegistration() {
  DcmRLEDecoderRegistration::cleanup();
  DJLSDecoderRegistration::cleanup();
  DJDecoderRegistration::cleanup();
}

EncoderRegistration::EncoderRegistration() {
  DJEncoderRegistration::registerCodecs(ECC_lossyYCbCr, EUC_never);
  DJLSEncoderRegistration::registerCodecs(0, 0, 0, 0, OFTrue, 0, OFTrue, EJLSUC_never);
  DcmRLEEncoderRegistration::registerCodecs();
}

EncoderRegistration::~EncoderRegistration() {
  DcmRLEEncoderRegistration::cleanup();
  DJLSEncoderRegistration::cleanup();
  DJEncoderRegistration::cleanup();
}

}  // namespace medvqa::dicom
