#pragma once

// Answers from DICOM attributes: source "header", confidence 1 when the attribute is there.

#include <array>
#include <optional>
#include <string>

#include "vqa/answer.h"
#include "vqa/header_attribute.h"

class DcmItem;

namespace medvqa::vqa {

// The model name header answers carry.
inline constexpr const char* kHeaderModelName = "dicom-header";

// The answer the data set gives, with the data set's SOP Instance UID as evidence. An absent
// attribute gives the answer "unknown" with confidence 0 (still source "header": the model cannot
// know it either); contrast is "no" when no Contrast/Bolus Agent is recorded.
Answer answerFromHeader(HeaderAttribute attribute, DcmItem& header, const std::string& question);

// "axial", "coronal", "sagittal" or "oblique" from the six direction cosines of Image
// Orientation (Patient): the plane whose normal (row x column) is within 30 degrees of a patient
// axis (a tilted CT gantry is still "axial"). nullopt for a degenerate vector.
std::optional<std::string> imagingPlane(const std::array<double, 6>& orientation);

// "054Y" -> "54 years", "003M" -> "3 months", "010W" -> "10 weeks", "005D" -> "5 days";
// anything else unchanged.
std::string describeAge(const std::string& dicomAge);

}  // namespace medvqa::vqa
