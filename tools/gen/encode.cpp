#include "encode.h"

#include <stdexcept>
#include <string>

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>
#include <dcmtk/dcmjpls/djrparam.h>
#include <dcmtk/oflog/oflog.h>

#include "imaging/j2k_encoder.h"
#include "imaging/j2k_pixel_data.h"

namespace medvqa::gen {

namespace {

/// The image's one frame as core's JPEG 2000 encoder takes it.
imaging::J2kImage j2kImageOf(const Image& img) {
  imaging::J2kImage j;
  j.width = int(img.cols);
  j.height = int(img.rows);
  j.components = 1;
  j.precision = int(img.bitsStored);
  j.isSigned = img.isSigned;
  const std::size_t n = std::size_t(img.rows) * img.cols;
  j.samples.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (img.bitsAllocated == 8) j.samples[i] = img.px8[i];
    else j.samples[i] = img.isSigned ? std::int32_t(static_cast<std::int16_t>(img.px16[i])) : std::int32_t(img.px16[i]);
  }
  return j;
}

}  // namespace

CodecRegistration::CodecRegistration() {
  // DCMTK's encoders log informational notes ("ignoring possible modality transform"): warnings up.
  OFLog::configure(OFLogger::WARN_LOG_LEVEL);
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
      imaging::putJpeg2000PixelData(ds, {imaging::encodeJ2k(j2kImageOf(img))}, true /* lossless */);
      break;
  }
  if (c.bad() || !ds.canWriteXfer(xfer))
    throw std::runtime_error(std::string("cannot encode as ") + syntaxName(s) + ": " +
                             (c.bad() ? c.text() : "no codec produced this transfer syntax"));
  c = ff.saveFile(path.c_str(), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange);
  if (c.bad()) throw std::runtime_error("cannot write " + path.string() + ": " + c.text());
}

}  // namespace medvqa::gen
