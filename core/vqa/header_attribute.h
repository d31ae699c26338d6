#pragma once

// The questions that DICOM attributes answer exactly, without the model.

#include <string_view>

namespace medvqa::vqa {

enum class HeaderAttribute {
  Modality,       // (0008,0060)
  ImagingPlane,   // from Image Orientation (Patient) (0020,0037): axial/coronal/sagittal/oblique
  BodyPart,       // Body Part Examined (0018,0015)
  Laterality,     // Image Laterality (0020,0062), else Laterality (0020,0060)
  PatientSex,     // (0010,0040)
  PatientAge,     // (0010,1010)
  StudyDate,      // (0008,0020)
  ContrastAgent,  // Contrast/Bolus Agent (0018,0010) present and not empty
};

// "modality", "imaging_plane", "body_part", "laterality", "patient_sex", "patient_age",
// "study_date", "contrast_agent". parse throws Error(Config) naming the value.
std::string_view toString(HeaderAttribute attribute);
HeaderAttribute parseHeaderAttribute(std::string_view name);

}  // namespace medvqa::vqa
