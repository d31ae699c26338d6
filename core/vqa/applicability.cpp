#include "vqa/applicability.h"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>

#include <algorithm>
#include <cctype>

namespace medvqa::vqa {

namespace {

std::string upperTrimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

std::string stringOf(const DcmDataset& header, const DcmTagKey& tag) {
  OFString value;
  if (const_cast<DcmDataset&>(header).findAndGetOFString(tag, value).bad()) return "";
  return upperTrimmed(value.c_str());
}

std::string joined(const std::vector<std::string>& values, const char* separator) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) text += (i == 0 ? "" : separator) + values[i];
  return text;
}

std::string describe(const ImagedRegion& region) {
  const std::string modality = region.modality.empty() ? "an unknown modality" : region.modality;
  const std::string part = region.bodyPart.empty() ? "no Body Part Examined" : "the " + region.bodyPart;
  return modality + " of " + part;
}

}  // namespace

ImagedRegion imagedRegionOf(const DcmDataset& header) {
  return {stringOf(header, DCM_Modality), stringOf(header, DCM_BodyPartExamined)};
}

bool appliesTo(const QuestionType& type, const ImagedRegion& region) {
  if (type.appliesTo.empty()) return true;
  return std::any_of(type.appliesTo.begin(), type.appliesTo.end(), [&](const Applicability& a) {
    return a.acceptsModality(region.modality) && a.acceptsBodyPart(region.bodyPart);
  });
}

std::string describeAppliesTo(const QuestionType& type) {
  if (type.appliesTo.empty()) return "any study";
  std::string text;
  for (std::size_t i = 0; i < type.appliesTo.size(); ++i) {
    const auto& a = type.appliesTo[i];
    text += i == 0 ? "" : "; ";
    text += a.modalities.empty() ? "any modality" : joined(a.modalities, " or ");
    if (!a.bodyParts.empty()) text += " of the " + joined(a.bodyParts, " or ");
  }
  return text;
}

std::optional<std::string> notApplicableReason(const Manifest& manifest, const QuestionType& type,
                                               const ImagedRegion& region) {
  if (appliesTo(type, region)) return std::nullopt;
  const std::string about = type.anatomy.empty() ? type.name : "the " + type.anatomy + " (" + type.name + ")";
  return "a question about " + about + ", which " + manifest.name + " reads only on " + describeAppliesTo(type) +
         "; this study is " + describe(region);
}

}  // namespace medvqa::vqa
