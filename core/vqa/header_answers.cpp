#include "vqa/header_answers.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

namespace medvqa::vqa {

namespace {

// What a header answer says before the common fields are filled in.
struct Finding {
  std::string text;
  std::optional<Code> code;
  double confidence = 1.0;
};

const Finding kUnknown{"unknown", std::nullopt, 0.0};

// The top level first, then nested sequences: enhanced multi-frame objects keep orientation and
// contrast in their functional groups, but a referenced item must not shadow the image's own value.
std::string stringOf(DcmItem& header, const DcmTagKey& tag) {
  OFString value;
  if (header.findAndGetOFStringArray(tag, value, false).bad() && header.findAndGetOFStringArray(tag, value, true).bad()) {
    return {};
  }
  std::string text(value.c_str());
  const auto first = text.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

Code sct(const char* value, const char* meaning) { return {value, "SCT", meaning}; }

Finding modality(DcmItem& header) {
  static const std::map<std::string, std::string> kMeanings = {
      {"CT", "Computed Tomography"},   {"MR", "Magnetic Resonance"},       {"CR", "Computed Radiography"},
      {"DX", "Digital Radiography"},   {"US", "Ultrasound"},               {"PT", "Positron emission tomography"},
      {"MG", "Mammography"},           {"XA", "X-Ray Angiography"},        {"NM", "Nuclear Medicine"},
      {"RF", "Radio Fluoroscopy"},     {"OT", "Other"}};
  auto value = stringOf(header, DCM_Modality);
  if (value.empty()) return kUnknown;
  Finding finding{value, std::nullopt};
  if (auto it = kMeanings.find(value); it != kMeanings.end()) finding.code = Code{value, "DCM", it->second};
  return finding;
}

Finding plane(DcmItem& header) {
  std::array<double, 6> cosines{};
  for (unsigned long i = 0; i < cosines.size(); ++i) {
    Float64 value = 0;
    if (header.findAndGetFloat64(DCM_ImageOrientationPatient, value, i, false).bad() &&
        header.findAndGetFloat64(DCM_ImageOrientationPatient, value, i, true).bad()) {
      return kUnknown;
    }
    cosines[i] = value;
  }
  auto name = imagingPlane(cosines);
  if (!name) return kUnknown;
  static const std::map<std::string, Code> kCodes = {{"axial", sct("62824007", "Transverse")},
                                                     {"coronal", sct("81654009", "Coronal")},
                                                     {"sagittal", sct("30730003", "Sagittal")}};
  auto it = kCodes.find(*name);
  return {*name, it == kCodes.end() ? std::nullopt : std::optional<Code>(it->second)};
}

Finding bodyPart(DcmItem& header) {
  auto value = stringOf(header, DCM_BodyPartExamined);
  if (value.empty()) return kUnknown;
  return {lower(value), std::nullopt};
}

Finding laterality(DcmItem& header) {
  auto value = stringOf(header, DCM_ImageLaterality);
  if (value.empty()) value = stringOf(header, DCM_Laterality);
  if (value == "L") return {"left", sct("7771000", "Left")};
  if (value == "R") return {"right", sct("24028007", "Right")};
  if (value == "B") return {"bilateral", sct("51440002", "Right and left")};
  if (value == "U") return {"unpaired", std::nullopt};
  return kUnknown;
}

Finding sex(DcmItem& header) {
  auto value = stringOf(header, DCM_PatientSex);
  if (value == "M") return {"male", sct("248153007", "Male")};
  if (value == "F") return {"female", sct("248152002", "Female")};
  if (value == "O") return {"other", std::nullopt};
  return kUnknown;
}

Finding age(DcmItem& header) {
  auto value = stringOf(header, DCM_PatientAge);
  if (value.empty()) return kUnknown;
  return {describeAge(value), std::nullopt};
}

Finding studyDate(DcmItem& header) {
  auto value = stringOf(header, DCM_StudyDate);
  if (value.size() != 8 || !std::all_of(value.begin(), value.end(), isDigit)) return value.empty() ? kUnknown : Finding{value, std::nullopt};
  return {value.substr(0, 4) + "-" + value.substr(4, 2) + "-" + value.substr(6, 2), std::nullopt};
}

// The Contrast/Bolus module is present only when contrast was given: its absence is a "no".
Finding contrast(DcmItem& header) {
  const bool given = !stringOf(header, DCM_ContrastBolusAgent).empty() ||
                     header.tagExistsWithValue(DCM_ContrastBolusAgentSequence, true);
  if (given) return {"yes", sct("373066001", "Yes")};
  return {"no", sct("373067005", "No")};
}

Finding findingFor(HeaderAttribute attribute, DcmItem& header) {
  switch (attribute) {
    case HeaderAttribute::Modality: return modality(header);
    case HeaderAttribute::ImagingPlane: return plane(header);
    case HeaderAttribute::BodyPart: return bodyPart(header);
    case HeaderAttribute::Laterality: return laterality(header);
    case HeaderAttribute::PatientSex: return sex(header);
    case HeaderAttribute::PatientAge: return age(header);
    case HeaderAttribute::StudyDate: return studyDate(header);
    case HeaderAttribute::ContrastAgent: return contrast(header);
  }
  return kUnknown;
}

}  // namespace

Answer answerFromHeader(HeaderAttribute attribute, DcmItem& header, const std::string& question) {
  auto finding = findingFor(attribute, header);
  Answer answer;
  answer.question = question;
  answer.text = std::move(finding.text);
  answer.confidence = finding.confidence;
  answer.code = std::move(finding.code);
  answer.source = AnswerSource::Header;
  answer.modelName = kHeaderModelName;
  answer.modelVersion = MEDVQA_VERSION;
  if (auto uid = stringOf(header, DCM_SOPInstanceUID); !uid.empty()) answer.sopInstanceUids.push_back(uid);
  return answer;
}

std::optional<std::string> imagingPlane(const std::array<double, 6>& o) {
  // The slice normal is row x column; its dominant patient axis names the plane
  // (x: left-right -> sagittal, y: anterior-posterior -> coronal, z: head-foot -> axial).
  const double n[3] = {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
  const double length = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
  if (!(length > 1e-6)) return std::nullopt;
  const double ax[3] = {std::abs(n[0]) / length, std::abs(n[1]) / length, std::abs(n[2]) / length};
  const auto dominant = static_cast<int>(std::max_element(ax, ax + 3) - ax);
  constexpr double kCos30 = 0.8660254037844386;
  if (ax[dominant] < kCos30) return "oblique";
  static constexpr const char* kPlanes[3] = {"sagittal", "coronal", "axial"};
  return kPlanes[dominant];
}

std::string describeAge(const std::string& dicomAge) {
  if (dicomAge.size() != 4 || !std::all_of(dicomAge.begin(), dicomAge.begin() + 3, isDigit)) return dicomAge;
  const int number = std::stoi(dicomAge.substr(0, 3));
  const char* unit = nullptr;
  switch (dicomAge[3]) {
    case 'Y': unit = number == 1 ? "year" : "years"; break;
    case 'M': unit = number == 1 ? "month" : "months"; break;
    case 'W': unit = number == 1 ? "week" : "weeks"; break;
    case 'D': unit = number == 1 ? "day" : "days"; break;
    default: return dicomAge;
  }
  return std::to_string(number) + " " + unit;
}

}  // namespace medvqa::vqa
