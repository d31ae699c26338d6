#include "sr/sr_writer.h"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmsr/cmr/init.h>
#include <dcmtk/dcmsr/cmr/tid1500.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <mutex>

#include "common/error.h"
#include "dicom/uid.h"
#include "sr/answer_group.h"
#include "sr/dcmtk_status.h"
#include "sr/document_header.h"
#include "sr/evidence.h"
#include "sr/group_extensions.h"
#include "sr/report_uids.h"

namespace medvqa::sr {

namespace {

// DCMTK asks that its context groups be initialised once before concurrent use.
void initialiseContextGroups() {
  static std::once_flag once;
  std::call_once(once, [] { CMR_ContentMappingResource::initializeAllContextGroups(); });
}

// TID 1500 Row 4 wants the imaging procedure from CID 100; the modality is all we know.
CID100_QuantitativeDiagnosticImagingProcedures procedureFor(DcmItem& header) {
  using Procedure = CID100_QuantitativeDiagnosticImagingProcedures;
  OFString modality;
  header.findAndGetOFString(DCM_Modality, modality);
  if (modality == "CT") return Procedure(Procedure::CTUnspecifiedBodyRegion);
  if (modality == "MR") return Procedure(Procedure::MRIUnspecifiedBodyRegion);
  if (modality == "PT") return Procedure(Procedure::PETUnspecifiedBodyRegion);
  if (modality == "NM") return Procedure(Procedure::NMUnspecifiedBodyRegion);
  return Procedure(Procedure::ImagingProcedure);
}

// TID 1600: every source image in one group, for viewers that list a report's images.
void addImageLibrary(TID1600_ImageLibrary& library, const Evidence& evidence) {
  check(library.createNewImageLibrary(), "image library");
  check(library.addImageGroup(), "image library group");
  for (const auto& instance : evidence.instances()) {
    const OFCondition status = library.addImageEntry(*instance.header, TID1600_ImageLibrary::withoutDescriptors);
    if (status != CMR_EC_NoImageLibraryEntryDescriptorsToBeAdded) {  // DCMTK: "not regarded as an error"
      check(status, "image library entry " + instance.sopInstanceUid);
    }
  }
}

// TID 1500 Rows 1-8: title, language, device observer, procedure reported, image library.
void buildReportRoot(TID1500_MeasurementReport& report, const ReportRequest& request, const Evidence& evidence) {
  const auto& device = request.device;
  check(report.setLanguage(CID5000_Languages(CID5000_Languages::English_US)), "language of content");
  check(report.getObservationContext().addDeviceObserver(dicom::requireUid(device.uid, "Device Observer UID").c_str(),
                                                         device.name.c_str(), device.manufacturer.c_str(),
                                                         device.modelName.c_str()),
        "device observer");
  check(report.addProcedureReported(procedureFor(*evidence.instances().front().header)), "procedure reported");
  addImageLibrary(report.getImageLibrary(), evidence);
}

std::vector<const SourceInstance*> imagesOf(const vqa::Answer& answer, const Evidence& evidence,
                                            const std::string& what) {
  std::vector<const SourceInstance*> images;
  for (const auto& uid : answer.sopInstanceUids) images.push_back(&evidence.find(uid, what));
  return images;
}

std::vector<AnswerGroup> answerGroups(const ReportRequest& request, const Evidence& evidence, const ReportUids& uids) {
  std::vector<AnswerGroup> groups;
  for (std::size_t i = 0; i < request.answers.size(); ++i) {
    const std::string label = "MedVQA question " + std::to_string(i + 1);
    const auto& answer = request.answers[i];
    groups.push_back(
        {answer, label, trackingUid(uids.sopInstanceUid, i), imagesOf(answer, evidence, label), request.algorithm});
  }
  return groups;
}

void buildTemplate(TID1500_MeasurementReport& report, const ReportRequest& request, const Evidence& evidence,
                   const std::vector<AnswerGroup>& groups) {
  buildReportRoot(report, request, evidence);
  for (const auto& group : groups) addAnswerGroup(report, group);
  if (!report.isValid()) throw Error(ErrorCode::Dicom, "DCMTK finds the TID 1500 report incomplete");
}

// DSRDocument mints its own series and SOP instance UIDs and has no setter for them; ours (given,
// or minted before the tracking UIDs were derived from them) replace them in the data set.
void setInstanceUids(DcmDataset& dataset, const ReportUids& uids) {
  check(dataset.putAndInsertString(DCM_SeriesInstanceUID, uids.seriesInstanceUid.c_str()), "Series Instance UID");
  check(dataset.putAndInsertString(DCM_SOPInstanceUID, uids.sopInstanceUid.c_str()), "SOP Instance UID");
}

}  // namespace

std::unique_ptr<DcmDataset> writeReport(const ReportRequest& request) {
  initialiseContextGroups();
  const Evidence evidence(request.sources);
  if (request.answers.empty()) throw Error(ErrorCode::InvalidArgument, "an answer SR needs at least one answer");
  const ReportUids uids = reportUids(request.seriesInstanceUid, request.sopInstanceUid);
  const auto groups = answerGroups(request, evidence, uids);
  TID1500_MeasurementReport report(CID7021_MeasurementReportDocumentTitles::ImagingMeasurementReport);
  buildTemplate(report, request, evidence, groups);

  DSRDocument document;
  check(document.setTreeFromRootTemplate(report), "SR content tree");
  // DCMTK's TID 1500 tree is an Enhanced SR; MedVQA writes Comprehensive SR, the class viewers
  // and IHE AIR consumers expect (and whose constraints the additions below are checked against).
  check(document.changeDocumentType(DSRTypes::DT_ComprehensiveSR), "Comprehensive SR");
  extendAnswerGroups(document.getTree(), groups);
  const bool sourceCharset = copyPatientAndStudy(document, *evidence.instances().front().header);
  document.createNewSeries();
  setCharacterSet(document, request, sourceCharset);
  setSeriesAndReferences(document, request, evidence);

  auto dataset = std::make_unique<DcmDataset>();
  check(document.write(*dataset), "encoding the SR");
  setInstanceUids(*dataset, uids);
  return dataset;
}

void saveReport(const DcmDataset& report, const std::filesystem::path& file) {
  DcmFileFormat format(const_cast<DcmDataset*>(&report));  // deep copy: `report` is not touched
  const OFCondition status = format.saveFile(file.c_str(), EXS_LittleEndianExplicit);
  if (status.bad()) throw Error(ErrorCode::Io, "cannot write " + file.string() + ": " + status.text());
}

}  // namespace medvqa::sr
