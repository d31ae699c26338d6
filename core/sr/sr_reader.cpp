#include "sr/sr_reader.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmsr/codes/dcm.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "sr/content_tree.h"
#include "sr/dcmtk_status.h"
#include "sr/group_reader.h"
#include "sr/sr_codes.h"

namespace medvqa::sr {

namespace {

void requireComprehensiveSr(DcmItem& dataset) {
  OFString sopClass;
  dataset.findAndGetOFString(DCM_SOPClassUID, sopClass);
  if (sopClass == UID_ComprehensiveSRStorage) return;
  const std::string shown = sopClass.empty() ? std::string("none") : std::string(sopClass.c_str());
  throw Error(ErrorCode::InvalidArgument, "not a Comprehensive SR (SOP Class UID " + shown +
                                              "); MedVQA writes its "
                                              "answers as Comprehensive SR " UID_ComprehensiveSRStorage);
}

// The group's Tracking Identifier names it in errors ("MedVQA question 2").
std::string labelOf(const ContentItem& group, std::size_t index) {
  if (const ContentItem* id = group.child("TEXT", DSRCodedEntryValue(CODE_DCM_TrackingIdentifier))) return id->text;
  return "measurement group " + std::to_string(index + 1);
}

std::vector<vqa::Answer> answersOf(const ContentItem& root) {
  const ContentItem* measurements = root.child("CONTAINER", DSRCodedEntryValue(CODE_DCM_ImagingMeasurements));
  std::vector<vqa::Answer> answers;
  if (measurements == nullptr) return answers;
  for (std::size_t i = 0; i < measurements->children.size(); ++i) {
    const ContentItem& group = measurements->children[i];
    if (isAnswerGroup(group)) answers.push_back(answerFromGroup(group, labelOf(group, i)));
  }
  return answers;
}

}  // namespace

ReportAnswers readAnswers(DcmItem& dataset) {
  requireComprehensiveSr(dataset);
  DSRDocument document;
  check(document.read(dataset), "reading the SR document");
  const ContentItem root = snapshotTree(document.getTree());
  ReportAnswers report;
  report.answers = answersOf(root);
  if (report.answers.empty()) {
    throw Error(ErrorCode::InvalidArgument,
                "not a MedVQA answer SR: no measurement group holds a " + std::string(kPrivateScheme) + " question");
  }
  OFString study;
  check(document.getStudyInstanceUID(study), "Study Instance UID");
  report.studyInstanceUid = study.c_str();
  return report;
}

ReportAnswers readAnswersFile(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error))
    throw Error(ErrorCode::NotFound, "no such file: " + file.string());
  DcmFileFormat format;
  const OFCondition status = format.loadFile(file.c_str());
  if (status.bad()) throw Error(ErrorCode::Dicom, file.string() + " is not a readable DICOM file: " + status.text());
  return readAnswers(*format.getDataset());
}

void to_json(nlohmann::json& out, const ReportAnswers& report) {
  out = {{"study_uid", report.studyInstanceUid}, {"answers", report.answers}};
}

}  // namespace medvqa::sr
