// CT Image IOD for the abdominal phantom slices.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "synth/dicom_instances.h"
#include "synth/dicom_modules.h"

namespace medvqa::synth {

std::unique_ptr<DcmFileFormat> buildCtInstance(const StudyIdentity& id, const CtAcquisition& acq, unsigned index,
                                               const PixelImage& img) {
  auto file = std::make_unique<DcmFileFormat>();
  DcmDataset& ds = *file->getDataset();
  putSopCommon(ds, UID_CTImageStorage, id.sopInstanceUid(index), id);
  putPatientStudySeries(ds, id, {"CT", "CT ABDOMEN WITHOUT CONTRAST", "AXIAL SOFT TISSUE", "ABDOMEN"});
  putGeneralEquipment(ds);
  putGeneralImage(ds, id, index + 1);
  // Frame of Reference
  put(ds, DCM_FrameOfReferenceUID, id.frameOfReferenceUid);
  put(ds, DCM_PositionReferenceIndicator, "");
  // General Series: head first supine, the position ImageOrientationPatient below assumes.
  put(ds, DCM_PatientPosition, "HFS");
  // Image Plane: rows along +x (the patient's left), columns along +y (posterior).
  const Point first = acq.firstPixelPosition();
  const double z = acq.sliceZ(index);
  put(ds, DCM_ImagePositionPatient, decimalString(first.x) + "\\" + decimalString(first.y) + "\\" + decimalString(z));
  put(ds, DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
  const std::string spacing = decimalString(acq.pixelSpacing);
  put(ds, DCM_PixelSpacing, spacing + "\\" + spacing);
  put(ds, DCM_SliceThickness, decimalString(acq.sliceThickness));
  put(ds, DCM_SliceLocation, decimalString(z));
  // CT Image
  put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY\\AXIAL");
  put(ds, DCM_KVP, decimalString(acq.kvp));
  put(ds, DCM_XRayTubeCurrent, decimalString(acq.tubeCurrent));
  put(ds, DCM_ConvolutionKernel, "STANDARD");
  put(ds, DCM_ReconstructionDiameter, decimalString(acq.fieldOfView()));
  put(ds, DCM_RescaleType, "HU");
  putImagePixel(ds, img);
  return file;
}

}  // namespace medvqa::synth
