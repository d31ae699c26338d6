#include "sr/evidence.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmsr/dsrsoprf.h>

#include "common/error.h"
#include "dicom/uid.h"

namespace medvqa::sr {

namespace {

std::string requiredUid(DcmItem& header, const DcmTagKey& tag, const char* name, std::size_t index) {
  OFString value;
  header.findAndGetOFString(tag, value);
  return dicom::requireUid(value.c_str(), "source instance " + std::to_string(index + 1) + ": " + name);
}

SourceInstance readInstance(DcmItem* header, std::size_t index) {
  if (header == nullptr) {
    throw Error(ErrorCode::InvalidArgument, "source instance " + std::to_string(index + 1) + " is null");
  }
  return {requiredUid(*header, DCM_StudyInstanceUID, "Study Instance UID", index),
          requiredUid(*header, DCM_SeriesInstanceUID, "Series Instance UID", index),
          requiredUid(*header, DCM_SOPClassUID, "SOP Class UID", index),
          requiredUid(*header, DCM_SOPInstanceUID, "SOP Instance UID", index), header};
}

}  // namespace

Evidence::Evidence(const std::vector<DcmItem*>& headers) {
  if (headers.empty()) throw Error(ErrorCode::InvalidArgument, "an answer SR needs at least one source instance");
  for (std::size_t i = 0; i < headers.size(); ++i) {
    auto instance = readInstance(headers[i], i);
    if (!instances_.empty() && instance.studyInstanceUid != studyInstanceUid()) {
      throw Error(ErrorCode::InvalidArgument, "source instance " + std::to_string(i + 1) + " belongs to study " +
                                                  instance.studyInstanceUid + ", not " + studyInstanceUid() +
                                                  ": an answer SR covers one study");
    }
    bool known = false;
    for (const auto& kept : instances_) known = known || kept.sopInstanceUid == instance.sopInstanceUid;
    if (!known) instances_.push_back(std::move(instance));
  }
}

const SourceInstance& Evidence::find(std::string_view sopInstanceUid, std::string_view what) const {
  for (const auto& instance : instances_) {
    if (instance.sopInstanceUid == sopInstanceUid) return instance;
  }
  throw Error(ErrorCode::InvalidArgument, std::string(what) + " cites SOP Instance UID " + std::string(sopInstanceUid) +
                                              ", which is not among the source instances");
}

void Evidence::addTo(DSRSOPInstanceReferenceList& list) const {
  for (const auto& instance : instances_) {
    const OFCondition status = list.addItem(instance.studyInstanceUid.c_str(), instance.seriesInstanceUid.c_str(),
                                            instance.sopClassUid.c_str(), instance.sopInstanceUid.c_str());
    if (status.bad()) {
      throw Error(ErrorCode::Dicom, "cannot reference " + instance.sopInstanceUid + " as evidence: " + status.text());
    }
  }
}

}  // namespace medvqa::sr
