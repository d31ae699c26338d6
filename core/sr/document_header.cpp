#include "sr/document_header.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <memory>

#include "common/error.h"
#include "dicom/uid.h"
#include "sr/dcmtk_status.h"
#include "sr/sr_codes.h"

namespace medvqa::sr {

namespace {

constexpr const char* kSeriesDescription = "MedVQA answers";
constexpr const char* kManufacturer = "MedVQA";

void addPredecessor(DSRDocument& document, const InstanceReference& predecessor) {
  const auto study = dicom::requireUid(predecessor.studyInstanceUid, "predecessor Study Instance UID");
  const auto series = dicom::requireUid(predecessor.seriesInstanceUid, "predecessor Series Instance UID");
  const auto sopClass = dicom::requireUid(predecessor.sopClassUid, "predecessor SOP Class UID");
  const auto sopInstance = dicom::requireUid(predecessor.sopInstanceUid, "predecessor SOP Instance UID");
  check(
      document.getPredecessorDocuments().addItem(study.c_str(), series.c_str(), sopClass.c_str(), sopInstance.c_str()),
      "predecessor document " + sopInstance);
}

void setCompletion(DSRDocument& document, const ReportRequest& request) {
  if (request.complete) {
    check(request.completionNote.empty() ? document.completeDocument()
                                         : document.completeDocument(request.completionNote.c_str()),
          "completion flag");
  } else if (!request.completionNote.empty()) {
    check(document.setCompletionFlagDescription(request.completionNote.c_str()), "completion flag description");
  }
  // A new DSRDocument is PARTIAL and UNVERIFIED: nobody has verified a machine's answers.
}

bool hasNonAscii(const std::string& text) {
  for (const unsigned char c : text) {
    if (c >= 0x80) return true;
  }
  return false;
}

bool hasNonAscii(const vqa::Answer& answer) {
  bool found = hasNonAscii(answer.question) || hasNonAscii(answer.text) || hasNonAscii(answer.modelName) ||
               hasNonAscii(answer.modelVersion) || (answer.code && hasNonAscii(answer.code->meaning));
  for (const auto& alternative : answer.alternatives) found = found || hasNonAscii(alternative.text);
  return found;
}

bool hasNonAscii(const ReportRequest& request) {
  const auto& device = request.device;
  bool found = hasNonAscii(device.name) || hasNonAscii(device.manufacturer) || hasNonAscii(device.modelName) ||
               hasNonAscii(request.completionNote) || hasNonAscii(request.algorithm.name) ||
               hasNonAscii(request.algorithm.version);
  for (const auto& parameter : request.algorithm.parameters) found = found || hasNonAscii(parameter);
  for (const auto& answer : request.answers) found = found || hasNonAscii(answer);
  return found;
}

}  // namespace

bool copyPatientAndStudy(DSRDocument& document, DcmItem& source) {
  OFString charset;
  source.findAndGetOFStringArray(DCM_SpecificCharacterSet, charset);
  if (charset.empty() || charset == "ISO_IR 6") {
    check(document.readStudyData(source), "patient and study modules");
    return !charset.empty();
  }
  // The SR's own text is UTF-8; copy the patient's name in the same character set.
  std::unique_ptr<DcmItem> utf8(static_cast<DcmItem*>(source.clone()));
  check(utf8->convertToUTF8(), "converting the source's " + std::string(charset.c_str()) + " to UTF-8");
  check(document.readStudyData(*utf8), "patient and study modules");
  return true;
}

void setCharacterSet(DSRDocument& document, const ReportRequest& request, bool sourceDeclaredCharset) {
  if (sourceDeclaredCharset || hasNonAscii(request)) {
    check(document.setSpecificCharacterSetType(DSRTypes::CS_UTF8), "Specific Character Set");
  }
}

void setSeriesAndReferences(DSRDocument& document, const ReportRequest& request, const Evidence& evidence) {
  check(document.setSeriesDescription(kSeriesDescription), "Series Description");
  check(document.setSeriesNumber(std::to_string(request.seriesNumber).c_str()), "Series Number");
  check(document.setInstanceNumber(std::to_string(request.instanceNumber).c_str()), "Instance Number");
  check(document.setManufacturer(kManufacturer), "Manufacturer");
  if (!request.device.modelName.empty()) {
    check(document.setManufacturerModelName(request.device.modelName.c_str()), "Manufacturer's Model Name");
  }
  check(document.setSoftwareVersions(MEDVQA_VERSION), "Software Versions");
  setCompletion(document, request);
  if (request.predecessor) addPredecessor(document, *request.predecessor);
  evidence.addTo(document.getCurrentRequestedProcedureEvidence());
  declarePrivateScheme(document.getCodingSchemeIdentification());
}

}  // namespace medvqa::sr
