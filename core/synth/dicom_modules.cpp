#include "synth/dicom_modules.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <charconv>

#include "common/error.h"

namespace medvqa::synth {

void put(DcmItem& item, const DcmTagKey& tag, std::string_view value) {
  const std::string text(value);  // putAndInsertString parses numbers too (US, SS); it needs a C string
  const OFCondition c = item.putAndInsertString(tag, text.c_str());
  if (c.bad()) throw Error(ErrorCode::Dicom, std::string("cannot set ") + DcmTag(tag).getTagName() + ": " + c.text());
}

std::string decimalString(double value) {
  // to_chars, not printf: a decimal comma from the process locale would make the file invalid.
  char buf[32];
  for (int precision = 12; precision > 1; --precision) {
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, precision);
    if (ec == std::errc() && end - buf <= 16) return std::string(buf, end);
  }
  throw Error(ErrorCode::InvalidArgument, "no 16-character decimal string for " + std::to_string(value));
}

void putPatientStudySeries(DcmDataset& ds, const StudyIdentity& id, const SeriesText& text) {
  // Patient
  put(ds, DCM_PatientName, id.patientName);
  put(ds, DCM_PatientID, id.patientId);
  put(ds, DCM_PatientBirthDate, id.birthDate);
  put(ds, DCM_PatientSex, id.sex);
  // General Study, Patient Study
  put(ds, DCM_StudyInstanceUID, id.studyUid);
  put(ds, DCM_StudyDate, id.studyDate);
  put(ds, DCM_StudyTime, id.studyTime);
  put(ds, DCM_ReferringPhysicianName, "");
  put(ds, DCM_StudyID, id.studyId);
  put(ds, DCM_AccessionNumber, id.accessionNumber);
  put(ds, DCM_StudyDescription, text.studyDescription);
  put(ds, DCM_PatientAge, id.age);
  // General Series
  put(ds, DCM_Modality, text.modality);
  put(ds, DCM_SeriesInstanceUID, id.seriesUid);
  put(ds, DCM_SeriesNumber, "1");
  put(ds, DCM_SeriesDate, id.studyDate);
  put(ds, DCM_SeriesTime, id.seriesTime);
  put(ds, DCM_SeriesDescription, text.seriesDescription);
  put(ds, DCM_BodyPartExamined, text.bodyPart);
}

void putGeneralEquipment(DcmDataset& ds) {
  put(ds, DCM_Manufacturer, "MedVQA");
  put(ds, DCM_ManufacturerModelName, "medvqa synth");
  put(ds, DCM_InstitutionName, "MEDVQA SYNTHETIC DATA");
  put(ds, DCM_SoftwareVersions, MEDVQA_VERSION);
}

void putSopCommon(DcmDataset& ds, const char* sopClassUid, const std::string& sopInstanceUid, const StudyIdentity& id) {
  put(ds, DCM_SOPClassUID, sopClassUid);
  put(ds, DCM_SOPInstanceUID, sopInstanceUid);
  put(ds, DCM_InstanceCreationDate, id.studyDate);
  put(ds, DCM_InstanceCreationTime, id.seriesTime);
}

void putGeneralImage(DcmDataset& ds, const StudyIdentity& id, unsigned instanceNumber) {
  put(ds, DCM_InstanceNumber, std::to_string(instanceNumber));
  put(ds, DCM_ContentDate, id.studyDate);
  put(ds, DCM_ContentTime, id.seriesTime);
  put(ds, DCM_AcquisitionNumber, "1");
  put(ds, DCM_AcquisitionDate, id.studyDate);
  put(ds, DCM_AcquisitionTime, id.seriesTime);
  put(ds, DCM_BurnedInAnnotation, "NO");
  put(ds, DCM_LossyImageCompression, "00");
}

void putImagePixel(DcmDataset& ds, const PixelImage& img) {
  put(ds, DCM_SamplesPerPixel, "1");
  put(ds, DCM_PhotometricInterpretation, img.monochrome1 ? "MONOCHROME1" : "MONOCHROME2");
  put(ds, DCM_Rows, std::to_string(img.rows));
  put(ds, DCM_Columns, std::to_string(img.cols));
  put(ds, DCM_BitsAllocated, "16");
  put(ds, DCM_BitsStored, std::to_string(img.bitsStored));
  put(ds, DCM_HighBit, std::to_string(img.bitsStored - 1));
  put(ds, DCM_PixelRepresentation, img.isSigned ? "1" : "0");
  if (img.hasRescale) {
    put(ds, DCM_RescaleIntercept, decimalString(img.rescaleIntercept));
    put(ds, DCM_RescaleSlope, decimalString(img.rescaleSlope));
  }
  if (img.windowWidth > 0.0) {
    put(ds, DCM_WindowCenter, decimalString(img.windowCenter));
    put(ds, DCM_WindowWidth, decimalString(img.windowWidth));
  }
  const OFCondition c =
      ds.putAndInsertUint16Array(DCM_PixelData, img.pixels.data(), static_cast<unsigned long>(img.pixels.size()));
  if (c.bad()) throw Error(ErrorCode::Dicom, std::string("cannot set PixelData: ") + c.text());
}

}  // namespace medvqa::synth
