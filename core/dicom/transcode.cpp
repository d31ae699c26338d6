#include "dicom/transcode.h"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "common/error.h"
#include "imaging/codec_support.h"
#include "imaging/j2k_pixel_data.h"

namespace medvqa::dicom {
namespace {

[[noreturn]] void cannot(E_TransferSyntax from, E_TransferSyntax to, const std::string& why) {
  throw Error(ErrorCode::Dicom, std::string("cannot convert from ") + DcmXfer(from).getXferName() + " to " +
                                    DcmXfer(to).getXferName() + ": " + why);
}

bool isJpeg2000(E_TransferSyntax xfer) {
  return xfer == EXS_JPEG2000LosslessOnly || xfer == EXS_JPEG2000;
}

std::vector<int> allFrames(DcmDataset& dataset) {
  Sint32 frames = 1;
  dataset.findAndGetSint32(DCM_NumberOfFrames, frames);
  std::vector<int> all(static_cast<std::size_t>(std::max<Sint32>(frames, 1)));
  std::iota(all.begin(), all.end(), 0);
  return all;
}

// Every frame through OpenJPEG. The imaging decoder drops a Number of Frames of 1 (the model's
// pipeline has no use for it); a multi-frame IOD requires the attribute, so the original goes back.
void decodeJpeg2000(DcmDataset& dataset) {
  std::unique_ptr<DcmElement> numberOfFrames;
  DcmElement* element = nullptr;
  if (dataset.findAndGetElement(DCM_NumberOfFrames, element).good()) {
    numberOfFrames.reset(static_cast<DcmElement*>(element->clone()));
  }
  imaging::decodeJpeg2000PixelData(dataset, allFrames(dataset));
  if (numberOfFrames) dataset.insert(numberOfFrames.release(), OFTrue);
}

}  // namespace

void transcodeForPeer(DcmDataset& dataset, E_TransferSyntax target) {
  const E_TransferSyntax stored = dataset.getOriginalXfer();
  if (DcmXfer(target).isEncapsulated()) cannot(stored, target, "the node has decoders only, no encoders");
  const bool encapsulated = DcmXfer(stored).isEncapsulated();
  try {
    if (isJpeg2000(stored) && imaging::hasJpeg2000PixelData(dataset)) decodeJpeg2000(dataset);
  } catch (const Error& e) {
    cannot(stored, target, e.what());
  }
  imaging::ensureDecodersRegistered();
  const OFCondition status = dataset.chooseRepresentation(target, nullptr);
  if (status.bad()) cannot(stored, target, status.text());
  if (!dataset.canWriteXfer(target)) cannot(stored, target, "no decoder for its pixel data");
  // Offsets into fragments that are gone (PS3.5 A.4): the attribute is only valid encapsulated.
  if (encapsulated) {
    dataset.findAndDeleteElement(DCM_ExtendedOffsetTable);
    dataset.findAndDeleteElement(DCM_ExtendedOffsetTableLengths);
  }
}

}  // namespace medvqa::dicom
