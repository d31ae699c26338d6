#include "encode.h"

#include <stdexcept>
#include <string>

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/oflog/oflog.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>

#include "j2k.h"

namespace medvqa::gen {

CodecRegistration::CodecRegistration() {
  // DCMTK's encoders log informational notes ("ignoring possible modality transform"): warnings up.
  OFLog::configure(OFLogger::WARN_LOG_LEVEL);
  // Never a new SOP Instance UID on lossy compression: UIDs must stay a function of the seed.
  DJEncoderRegistration::registerCodecs(ECC_lossyYCbCr, EUC_never);
  DJLSEncoderRegistration::registerCodecs(0, 0, 0, 0, OFTrue, 0, OFTrue, EJLSUC_never);
  DcmRLEEncoderRegistration::registerCodecs();
}

CodecRegistration::~CodecRegistration() {
  DcmRLEEncoderRegistration::cleanup();
  DJLSEncoderRegistration::cleanup();
  DJEncoderRegistration::cleanup();
}

E_TransferSyntax transferSyntaxOf(Syntax s) {
  switch (s) {
    case Syntax::Implicit: return EXS_LittleEndianImplicit;
    case Syntax::Explicit: return EXS_LittleEndianExplicit;
    case Syntax::BigEndian: return EXS_BigEndianExplicit;
    case Syntax::Deflated: return EXS_DeflatedLittleEndianExplicit;
    case Syntax::JpegBaseline: return EXS_JPEGProcess1;
    case Syntax::JpegExtended: return EXS_JPEGProcess2_4;
    case Syntax::JpegLossless: return EXS_JPEGProcess14SV1;
    case Syntax::JpegLS: return EXS_JPEGLSLossless;
    case Syntax::Rle: return EXS_RLELossless;
    case Syntax::J2k: return EXS_JPEG2000LosslessOnly;
  }
  return EXS_Unknown;
}

bool needsEightBit(Syntax s) { return s == Syntax::JpegBaseline; }

void saveInSyntax(DcmFileFormat& ff, const Image& img, Syntax s, const std::filesystem::path& path) {
  DcmDataset& ds = *ff.getDataset();
  const E_TransferSyntax xfer = transferSyntaxOf(s);
  OFCondition c = EC_Normal;
  switch (s) {
    case Syntax::Implicit:
    case Syntax::Explicit:
    case Syntax::BigEndian:
    case Syntax::Deflated:
      break;  // no pixel encoding: the writer converts byte order / deflates the stream
    case Syntax::JpegBaseline:
    case Syntax::JpegExtended: {
      DJ_RPLossy rp(90);
      c = ds.chooseRepresentation(xfer, &rp);
      break;
    }
    case Syntax::JpegLossless: {
      DJ_RPLossless rp(1, 0);  // first-order prediction, no point transform
      c = ds.chooseRepresentation(xfer, &rp);
      break;
    }
    case Syntax::JpegLS: {
      DJLSRepresentationParameter rp(0, OFTrue);
      c = ds.chooseRepresentation(xfer, &rp);
      break;
    }
    case Syntax::Rle: {
      DcmRLERepresentationParameter rp;
      c = ds.chooseRepresentation(xfer, &rp);
      break;
    }
    case Syntax::J2k:
      encapsulateJ2k(ds, encodeJ2kLossless(img));
      break;
  }
  if (c.bad() || !ds.canWriteXfer(xfer))
    throw std::runtime_error(std::string("cannot encode as ") + syntaxName(s) + ": " +
                             (c.bad() ? c.text() : "no codec produced this transfer syntax"));
  c = ff.saveFile(path.c_str(), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange);
  if (c.bad()) throw std::runtime_error("cannot write " + path.string() + ": " + c.text());
}

}  // namespace medvqa::gen
