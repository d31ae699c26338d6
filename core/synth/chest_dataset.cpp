// CR Image and DX Image (For Presentation) IODs for the chest phantoms.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "common/error.h"
#include "synth/dicom_instances.h"
#include "synth/dicom_modules.h"

namespace medvqa::synth {
namespace {

void putDxModules(DcmDataset& ds, const ChestAcquisition& acq) {
  // DX Series
  put(ds, DCM_PresentationIntentType, "FOR PRESENTATION");
  // DX Anatomy Imaged: a chest is not a paired body part. (No View Code Sequence: it is optional,
  // and dciodvfy only warns that ViewPosition alone names the view.)
  put(ds, DCM_ImageLaterality, "U");
  DcmItem* region = nullptr;
  if (ds.findOrCreateSequenceItem(DCM_AnatomicRegionSequence, region, -2).bad() || region == nullptr)
    throw Error(ErrorCode::Dicom, "cannot create AnatomicRegionSequence");
  put(*region, DCM_CodeValue, "43799004");  // SNOMED CT "Chest" (CID 4031)
  put(*region, DCM_CodingSchemeDesignator, "SCT");
  put(*region, DCM_CodeMeaning, "Chest");
  // DX Image: values are log-exposure; which way they run depends on the photometric
  // interpretation (MONOCHROME1 stores air high, i.e. more beam intensity = higher value).
  put(ds, DCM_PixelIntensityRelationship, "LOG");
  put(ds, DCM_PixelIntensityRelationshipSign, acq.monochrome1 ? "1" : "-1");
  put(ds, DCM_RescaleIntercept, "0");
  put(ds, DCM_RescaleSlope, "1");
  put(ds, DCM_RescaleType, "US");
  // INVERSE is what PS3.3 requires with MONOCHROME1: it names that same inversion, not a second one.
  put(ds, DCM_PresentationLUTShape, acq.monochrome1 ? "INVERSE" : "IDENTITY");
  // DX Detector
  put(ds, DCM_DetectorType, "SCINTILLATOR");
  // DX Positioning: an upright chest stand (PA) or a free cassette at the bedside (AP).
  put(ds, DCM_PositionerType, acq.anteroposterior ? "NONE" : "COLUMN");
  // Acquisition Context: nothing to record, but the module is mandatory.
  ds.insertEmptyElement(DCM_AcquisitionContextSequence);
}

void putCrModules(DcmDataset& ds) {
  // CR Image
  put(ds, DCM_PlateType, "STANDARD");
}

}  // namespace

std::unique_ptr<DcmFileFormat> buildChestInstance(const StudyIdentity& id, const ChestAcquisition& acq,
                                                  const PixelImage& img) {
  auto file = std::make_unique<DcmFileFormat>();
  DcmDataset& ds = *file->getDataset();
  const bool dx = acq.modality == ChestModality::DX;
  const char* view = acq.anteroposterior ? "AP" : "PA";
  putSopCommon(ds, dx ? UID_DigitalXRayImageStorageForPresentation : UID_ComputedRadiographyImageStorage,
               id.sopInstanceUid(0), id);
  const std::string description = std::string("XR CHEST ") + view;
  putPatientStudySeries(ds, id, {toString(acq.modality), description, view, "CHEST"});
  putGeneralEquipment(ds);
  putGeneralImage(ds, id, 1);
  put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY");
  // Displayed as read, facing the patient: columns run to the patient's left, rows to the feet.
  put(ds, DCM_PatientOrientation, "L\\F");
  put(ds, DCM_ViewPosition, view);
  put(ds, DCM_KVP, decimalString(acq.kvp));
  const std::string spacing = decimalString(acq.pixelSpacing);
  put(ds, DCM_ImagerPixelSpacing, spacing + "\\" + spacing);
  putImagePixel(ds, img);
  if (dx) putDxModules(ds, acq);
  else putCrModules(ds);
  return file;
}

}  // namespace medvqa::synth
