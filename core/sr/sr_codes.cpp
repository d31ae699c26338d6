#include "sr/sr_codes.h"

#include <dcmtk/dcmsr/codes/dcm.h>
#include <dcmtk/dcmsr/dsrcsidl.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "common/error.h"

namespace medvqa::sr {

namespace {

DSRCodedEntryValue privateConcept(const char* value, const char* meaning) {
  return DSRCodedEntryValue(value, kPrivateScheme, meaning);
}

struct StandardAnswer {
  const char* text;  // lower case
  const char* value;
  const char* meaning;
};

// SNOMED CT concepts of CID 230 (Yes-No) and CID 244 (Laterality).
constexpr std::array kStandardAnswers = {
    StandardAnswer{"yes", "373066001", "Yes"},
    StandardAnswer{"no", "373067005", "No"},
    StandardAnswer{"left", "7771000", "Left"},
    StandardAnswer{"right", "24028007", "Right"},
    StandardAnswer{"bilateral", "51440002", "Bilateral"},
};

std::string lowerTrimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower;
}

}  // namespace

DSRCodedEntryValue questionConcept() {
  return privateConcept("MVQA001", "Question");
}
DSRCodedEntryValue answerConcept() {
  return privateConcept("MVQA002", "Answer");
}
DSRCodedEntryValue answerSourceConcept() {
  return privateConcept("MVQA003", "Answer source");
}
DSRCodedEntryValue alternativeAnswerConcept() {
  return privateConcept("MVQA004", "Alternative answer");
}

DSRCodedEntryValue confidenceConcept() {
  return DSRCodedEntryValue(CODE_DCM_CertaintyOfFinding);
}
DSRCodedEntryValue ratioUnit() {
  return DSRCodedEntryValue("{ratio}", "UCUM", "ratio");
}

std::optional<vqa::Code> standardAnswerCode(std::string_view answerText) {
  const std::string key = lowerTrimmed(answerText);
  for (const auto& answer : kStandardAnswers) {
    if (key == answer.text) return vqa::Code{answer.value, "SCT", answer.meaning};
  }
  return std::nullopt;
}

DSRCodedEntryValue toCodedEntry(const vqa::Code& code, std::string_view what) {
  DSRCodedEntryValue entry;
  const OFCondition status = entry.setCode(code.value.c_str(), code.scheme.c_str(), code.meaning.c_str());
  if (status.bad()) {
    throw Error(ErrorCode::InvalidArgument, std::string(what) + ": DCMTK refuses the code (" + code.value + ", " +
                                                code.scheme + ", \"" + code.meaning + "\"): " + status.text());
  }
  return entry;
}

vqa::Code fromCodedEntry(const DSRCodedEntryValue& entry) {
  return {entry.getCodeValue().c_str(), entry.getCodingSchemeDesignator().c_str(), entry.getCodeMeaning().c_str()};
}

bool sameConcept(const DSRCodedEntryValue& a, const DSRCodedEntryValue& b) {
  return a.getCodeValue() == b.getCodeValue() && a.getCodingSchemeDesignator() == b.getCodingSchemeDesignator();
}

void declarePrivateScheme(DSRCodingSchemeIdentificationList& schemes) {
  OFCondition status = schemes.addItem(kPrivateScheme);
  if (status.good()) status = schemes.setCodingSchemeName(kPrivateSchemeName);
  if (status.good()) status = schemes.setCodingSchemeResponsibleOrganization(kPrivateSchemeOrganization);
  if (status.bad())
    throw Error(ErrorCode::Dicom, std::string("cannot declare coding scheme 99MEDVQA: ") + status.text());
}

}  // namespace medvqa::sr
