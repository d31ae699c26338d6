// The DICOM modules every synthetic instance shares (Patient, General Study, General Series,
// General Equipment, SOP Common, Image Pixel with its Modality and VOI LUT values).
#pragma once

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dctagkey.h>

#include <string>
#include <string_view>

#include "synth/pixel_image.h"
#include "synth/study_identity.h"

namespace medvqa::synth {

/// Sets one attribute; throws Error(Dicom) naming it when DCMTK refuses the value.
void put(DcmItem& item, const DcmTagKey& tag, std::string_view value);

/// A Decimal String value: at most 16 characters, no exponent for the values used here.
std::string decimalString(double value);

struct SeriesText {
  std::string_view modality;           // "CR", "DX", "CT"
  std::string_view studyDescription;
  std::string_view seriesDescription;
  std::string_view bodyPart;           // Body Part Examined
};

void putPatientStudySeries(DcmDataset& ds, const StudyIdentity& id, const SeriesText& text);
void putGeneralEquipment(DcmDataset& ds);
void putSopCommon(DcmDataset& ds, const char* sopClassUid, const std::string& sopInstanceUid, const StudyIdentity& id);
/// General Image timing (content / acquisition date and time) and the instance number (1-based).
void putGeneralImage(DcmDataset& ds, const StudyIdentity& id, unsigned instanceNumber);
/// Image Pixel (+ Rescale when the image has one, + the VOI window when it has one); one 16-bit
/// frame.
void putImagePixel(DcmDataset& ds, const PixelImage& img);

}  // namespace medvqa::synth
