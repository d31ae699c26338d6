#include "imaging/j2k_pixel_data.h"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "common/error.h"
#include "imaging/dicom_file.h"
#include "imaging/encapsulated_frames.h"
#include "imaging/j2k_decoder.h"

namespace medvqa::imaging {
namespace {

[[noreturn]] void fail(const std::string& why) {
  throw Error(ErrorCode::Dicom, "JPEG 2000 pixel data: " + why);
}

bool isJpeg2000(E_TransferSyntax xfer) {
  return xfer == EXS_JPEG2000LosslessOnly || xfer == EXS_JPEG2000;
}

DcmPixelSequence* jpeg2000Sequence(DcmDataset& dataset) {
  DcmElement* element = nullptr;
  const E_TransferSyntax xfer = dataset.getOriginalXfer();
  if (!isJpeg2000(xfer) || dataset.findAndGetElement(DCM_PixelData, element).bad()) return nullptr;
  auto* pixelData = dynamic_cast<DcmPixelData*>(element);
  DcmPixelSequence* sequence = nullptr;
  if (!pixelData || pixelData->getEncapsulatedRepresentation(xfer, nullptr, sequence).bad()) return nullptr;
  return sequence;
}

struct NativeLayout {
  int rows = 0, columns = 0, samplesPerPixel = 1, bitsAllocated = 0, bitsStored = 0, frames = 1;
};

NativeLayout layoutOf(DcmDataset& dataset) {
  NativeLayout layout;
  Uint16 value = 0;
  auto get = [&](const DcmTagKey& tag) {
    if (dataset.findAndGetUint16(tag, value).bad()) fail(std::string("missing ") + DcmTag(tag).getTagName());
    return int(value);
  };
  layout.rows = get(DCM_Rows);
  layout.columns = get(DCM_Columns);
  layout.samplesPerPixel = get(DCM_SamplesPerPixel);
  layout.bitsAllocated = get(DCM_BitsAllocated);
  layout.bitsStored = get(DCM_BitsStored);
  Sint32 frames = 1;
  if (dataset.findAndGetSint32(DCM_NumberOfFrames, frames).good()) layout.frames = std::max<Sint32>(frames, 1);
  if (layout.bitsAllocated != 8 && layout.bitsAllocated != 16)
    fail("Bits Allocated " + std::to_string(layout.bitsAllocated) + " (8 or 16 supported)");
  return layout;
}

void checkMatches(const J2kImage& image, const NativeLayout& layout) {
  if (image.width != layout.columns || image.height != layout.rows)
    fail("codestream is " + std::to_string(image.width) + "x" + std::to_string(image.height) + ", header says " +
         std::to_string(layout.columns) + "x" + std::to_string(layout.rows));
  if (image.components != layout.samplesPerPixel)
    fail("codestream has " + std::to_string(image.components) + " components, header says " +
         std::to_string(layout.samplesPerPixel) + " samples per pixel");
  if (image.precision > layout.bitsAllocated)
    fail("codestream precision " + std::to_string(image.precision) + " exceeds Bits Allocated");
}

// OpenJPEG clips decoded samples to the codestream's precision and sign (lossy ringing never
// leaves the range; a test holds it to that). The bit pattern is written as is: some writers
// encode signed pixels as an unsigned codestream, and the header's Pixel Representation then
// reads the two's complement pattern as they meant it.
template <typename T>
void appendSamples(const J2kImage& image, std::vector<T>& out) {
  for (std::int32_t s : image.samples) out.push_back(T(s));
}

void updateHeader(DcmDataset& dataset, const NativeLayout& layout, int precision, std::size_t frames) {
  dataset.putAndInsertString(DCM_NumberOfFrames, std::to_string(frames).c_str());
  if (layout.frames == 1 && frames == 1) dataset.findAndDeleteElement(DCM_NumberOfFrames);
  if (layout.samplesPerPixel > 1) dataset.putAndInsertUint16(DCM_PlanarConfiguration, 0);
  const std::string photometric = stringOf(dataset, DCM_PhotometricInterpretation);
  if (photometric == "YBR_RCT" || photometric == "YBR_ICT")
    dataset.putAndInsertString(DCM_PhotometricInterpretation, "RGB");
  if (precision > layout.bitsStored) {  // else Bits Stored would mask the codestream's top bits away
    dataset.putAndInsertUint16(DCM_BitsStored, Uint16(precision));
    dataset.putAndInsertUint16(DCM_HighBit, Uint16(precision - 1));
  }
}

}  // namespace

bool hasJpeg2000PixelData(DcmDataset& dataset) {
  return jpeg2000Sequence(dataset) != nullptr;
}

void decodeJpeg2000PixelData(DcmDataset& dataset, const std::vector<int>& frames) {
  DcmPixelSequence* sequence = jpeg2000Sequence(dataset);
  if (!sequence) fail("no encapsulated JPEG 2000 pixel data");
  const NativeLayout layout = layoutOf(dataset);
  std::vector<Uint8> bytes8;
  std::vector<Uint16> words16;
  int precision = 0;
  for (int frame : frames) {
    const J2kImage image = decodeJ2k(encapsulatedFrame(*sequence, frame, layout.frames, startsJ2kCodestream));
    checkMatches(image, layout);
    precision = std::max(precision, image.precision);
    if (layout.bitsAllocated == 8)
      appendSamples(image, bytes8);
    else
      appendSamples(image, words16);
  }
  // Replacing the element drops the encapsulated representation: the sequence is gone now.
  const OFCondition status = layout.bitsAllocated == 8
                                 ? dataset.putAndInsertUint8Array(DCM_PixelData, bytes8.data(), bytes8.size())
                                 : dataset.putAndInsertUint16Array(DCM_PixelData, words16.data(), words16.size());
  if (status.bad()) fail(std::string("cannot store decoded pixels: ") + status.text());
  updateHeader(dataset, layout, precision, frames.size());
}

void putJpeg2000PixelData(DcmDataset& dataset, const std::vector<std::vector<std::uint8_t>>& codestreams,
                          bool lossless) {
  auto sequence = std::make_unique<DcmPixelSequence>(DCM_PixelSequenceTag);
  auto* offsetTable = new DcmPixelItem(DCM_PixelItemTag);
  sequence->insert(offsetTable);
  DcmOffsetList offsets;
  for (const auto& codestream : codestreams) {
    // storeCompressedFrame copies the bytes; 0: one fragment per frame.
    const OFCondition status = sequence->storeCompressedFrame(offsets, const_cast<Uint8*>(codestream.data()),
                                                              static_cast<Uint32>(codestream.size()), 0);
    if (status.bad()) fail(std::string("cannot encapsulate a codestream: ") + status.text());
  }
  OFCondition status = offsetTable->createOffsetTable(offsets);
  if (status.bad()) fail(std::string("cannot write the Basic Offset Table: ") + status.text());
  auto pixelData = std::make_unique<DcmPixelData>(DCM_PixelData);
  pixelData->putOriginalRepresentation(lossless ? EXS_JPEG2000LosslessOnly : EXS_JPEG2000, nullptr, sequence.release());
  status = dataset.insert(pixelData.get(), true /* replace the native pixel data */);
  if (status.bad()) fail(std::string("cannot insert the encapsulated pixel data: ") + status.text());
  pixelData.release();  // the data set owns it now
}

}  // namespace medvqa::imaging
