#include "vqa/header_attribute.h"

#include <array>
#include <string>
#include <utility>

#include "common/error.h"

namespace medvqa::vqa {

namespace {

constexpr std::array<std::pair<HeaderAttribute, std::string_view>, 8> kNames = {{
    {HeaderAttribute::Modality, "modality"},
    {HeaderAttribute::ImagingPlane, "imaging_plane"},
    {HeaderAttribute::BodyPart, "body_part"},
    {HeaderAttribute::Laterality, "laterality"},
    {HeaderAttribute::PatientSex, "patient_sex"},
    {HeaderAttribute::PatientAge, "patient_age"},
    {HeaderAttribute::StudyDate, "study_date"},
    {HeaderAttribute::ContrastAgent, "contrast_agent"},
}};

}  // namespace

std::string_view toString(HeaderAttribute attribute) {
  for (const auto& [value, name] : kNames) {
    if (value == attribute) return name;
  }
  return "unknown";
}

HeaderAttribute parseHeaderAttribute(std::string_view name) {
  for (const auto& [value, known] : kNames) {
    if (known == name) return value;
  }
  throw Error(ErrorCode::Config, "unknown header attribute \"" + std::string(name) +
                                     "\" (modality, imaging_plane, body_part, laterality, patient_sex, patient_age, "
                                     "study_date, contrast_agent)");
}

}  // namespace medvqa::vqa
