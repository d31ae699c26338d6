#include "imaging/pixel_decoder.h"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimage/diregist.h>  // makes DicomImage handle colour (RGB, YBR, palette)
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmimgle/dipixel.h>

#include <algorithm>
#include <string>

#include "common/error.h"
#include "imaging/codec_support.h"
#include "imaging/dicom_file.h"
#include "imaging/j2k_pixel_data.h"
#include "imaging/modality.h"

namespace medvqa::imaging {
namespace {

[[noreturn]] void fail(const std::string& why) {
  throw Error(ErrorCode::Dicom, why);
}

// JPEG 2000 pixel data replaced by its decoded form is native, whatever the original syntax.
E_TransferSyntax pixelSyntax(DcmDataset& dataset) {
  const E_TransferSyntax xfer = dataset.getOriginalXfer();
  if (xfer == EXS_Unknown ||
      ((xfer == EXS_JPEG2000LosslessOnly || xfer == EXS_JPEG2000) && !hasJpeg2000PixelData(dataset)))
    return EXS_LittleEndianExplicit;
  return xfer;
}

Uint16 uint16Of(DcmDataset& dataset, const DcmTagKey& tag) {
  Uint16 value = 0;
  dataset.findAndGetUint16(tag, value);
  return value;
}

// DCMTK pads short native pixel data with zeros and reports success; a slice with a black band
// must not reach the model as if it were the image.
void checkNativeLength(DcmDataset& dataset) {
  DcmElement* pixels = nullptr;
  if (dataset.findAndGetElement(DCM_PixelData, pixels).bad()) fail("no pixel data");
  Sint32 frames = 1;
  dataset.findAndGetSint32(DCM_NumberOfFrames, frames);
  const std::string photometric = stringOf(dataset, DCM_PhotometricInterpretation);
  const bool subsampled = photometric == "YBR_FULL_422" || photometric == "YBR_PARTIAL_422";
  const unsigned long long samples = 1ULL * uint16Of(dataset, DCM_Rows) * uint16Of(dataset, DCM_Columns) *
                                     std::max<Sint32>(frames, 1) *
                                     (subsampled ? 2 : std::max<Uint16>(uint16Of(dataset, DCM_SamplesPerPixel), 1));
  const unsigned long long expected = (samples * uint16Of(dataset, DCM_BitsAllocated) + 7) / 8;
  if (pixels->getLength() < expected)
    fail("pixel data truncated: " + std::to_string(pixels->getLength()) + " bytes, header needs " +
         std::to_string(expected));
}

template <typename T>
void copyAsFloat(const void* data, std::size_t count, std::vector<float>& out) {
  const T* p = static_cast<const T*>(data);
  out.assign(p, p + count);
}

std::vector<float> interAsFloat(const DiPixel& inter, std::size_t count) {
  std::vector<float> out;
  const void* data = inter.getData();
  if (!data || inter.getCount() < count) fail("DCMTK returned no pixel values");
  switch (inter.getRepresentation()) {  // once per frame, never per pixel
    case EPR_Uint8: copyAsFloat<Uint8>(data, count, out); break;
    case EPR_Sint8: copyAsFloat<Sint8>(data, count, out); break;
    case EPR_Uint16: copyAsFloat<Uint16>(data, count, out); break;
    case EPR_Sint16: copyAsFloat<Sint16>(data, count, out); break;
    case EPR_Uint32: copyAsFloat<Uint32>(data, count, out); break;
    case EPR_Sint32: copyAsFloat<Sint32>(data, count, out); break;
  }
  return out;
}

template <typename T>
std::vector<float> scaledToUnit(const void* data, std::size_t count, int bits) {
  const T* p = static_cast<const T*>(data);
  const float scale = 1.0f / float((1u << bits) - 1u);
  std::vector<float> out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = float(p[i]) * scale;
  return out;
}

void readColour(DicomImage& image, DecodedFrame& frame) {
  const int bits = image.getDepth() <= 8 ? 8 : 16;
  const void* data = image.getOutputData(bits, 0, 0 /* interleaved R,G,B */);
  if (!data) fail(std::string("DCMTK could not render colour pixels: ") + DicomImage::getString(image.getStatus()));
  const std::size_t count = 3 * std::size_t(frame.rows) * std::size_t(frame.columns);
  frame.values = bits == 8 ? scaledToUnit<Uint8>(data, count, 8) : scaledToUnit<Uint16>(data, count, 16);
}

bool isMonochrome(DcmDataset& dataset) {
  return stringOf(dataset, DCM_PhotometricInterpretation).rfind("MONOCHROME", 0) == 0;
}

}  // namespace

DecodedFrame decodeFrame(DcmDataset& dataset, int frame) {
  ensureDecodersRegistered();
  const E_TransferSyntax xfer = pixelSyntax(dataset);
  if (!DcmXfer(xfer).isEncapsulated()) checkNativeLength(dataset);
  DecodedFrame out;
  const bool monochrome = isMonochrome(dataset);
  const bool modalityLut = monochrome && hasModalityLutSequence(dataset);
  unsigned long flags = 0;
  // Compressed: decompress only this frame, not all of a 500-frame instance. Native: DCMTK's
  // partial access copies the frame through a slow path (5 ms for 512x512 against under 1 ms
  // reading the pixel data in place), and without it only the asked frame is converted anyway.
  if (DcmXfer(xfer).isEncapsulated()) flags |= CIF_UsePartialAccessToPixelData;
  if (monochrome && !modalityLut) flags |= CIF_IgnoreModalityTransformation;
  DicomImage image(&dataset, xfer, flags, static_cast<unsigned long>(frame), 1);
  if (image.getStatus() != EIS_Normal)
    fail(std::string("DCMTK cannot decode the pixels: ") + DicomImage::getString(image.getStatus()));
  out.rows = int(image.getHeight());
  out.columns = int(image.getWidth());
  if (image.isMonochrome()) {
    const DiPixel* inter = image.getInterData();
    if (!inter) fail("DCMTK returned no pixel values");
    out.kind = modalityLut ? DecodedFrame::Kind::ModalityLut : DecodedFrame::Kind::Stored;
    out.monochrome1 = image.getPhotometricInterpretation() == EPI_Monochrome1;
    out.values = interAsFloat(*inter, std::size_t(out.rows) * std::size_t(out.columns));
  } else {
    out.kind = DecodedFrame::Kind::Colour;
    readColour(image, out);
  }
  return out;
}

std::vector<int> makeDecodable(DcmDataset& dataset, const std::vector<int>& frames) {
  if (!hasJpeg2000PixelData(dataset)) return frames;
  decodeJpeg2000PixelData(dataset, frames);
  std::vector<int> decoded(frames.size());
  for (std::size_t i = 0; i < decoded.size(); ++i) decoded[i] = int(i);
  return decoded;
}

std::vector<float> modalityValues(DcmDataset& dataset, int frame) {
  DecodedFrame decoded = decodeFrame(dataset, makeDecodable(dataset, {frame}).front());
  if (decoded.kind == DecodedFrame::Kind::Colour)
    throw Error(ErrorCode::InvalidArgument, "a colour image has no modality values");
  if (decoded.kind == DecodedFrame::Kind::Stored) applyRescale(decoded.values, rescaleOf(dataset, frame));
  return std::move(decoded.values);
}

}  // namespace medvqa::imaging
