#include "index/instance_record.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>

#include <charconv>

#include "common/log.h"
#include "dicom/uid.h"
#include "index/date_time.h"
#include "index/text_match.h"

namespace medvqa {
namespace {

// Every attribute recordFromDataset reads; only these are copied and converted to UTF-8.
const DcmTagKey kIndexedTags[] = {DCM_SpecificCharacterSet,
                                  DCM_PatientID,
                                  DCM_IssuerOfPatientID,
                                  DCM_PatientName,
                                  DCM_PatientBirthDate,
                                  DCM_PatientSex,
                                  DCM_StudyInstanceUID,
                                  DCM_StudyDate,
                                  DCM_StudyTime,
                                  DCM_AccessionNumber,
                                  DCM_StudyID,
                                  DCM_StudyDescription,
                                  DCM_ReferringPhysicianName,
                                  DCM_SeriesInstanceUID,
                                  DCM_Modality,
                                  DCM_SeriesNumber,
                                  DCM_SeriesDescription,
                                  DCM_BodyPartExamined,
                                  DCM_SeriesDate,
                                  DCM_SeriesTime,
                                  DCM_SOPInstanceUID,
                                  DCM_SOPClassUID,
                                  DCM_InstanceNumber,
                                  DCM_ContentDate,
                                  DCM_ContentTime,
                                  DCM_NumberOfFrames,
                                  DCM_AcquisitionDateTime,
                                  DCM_TimezoneOffsetFromUTC};

DcmDataset copyIndexedAttributes(DcmDataset& ds) {
  DcmDataset subset;
  for (const DcmTagKey& tag : kIndexedTags) {
    DcmElement* element = nullptr;
    if (ds.findAndGetElement(tag, element).good() && element != nullptr) {
      subset.insert(static_cast<DcmElement*>(element->clone()));
    }
  }
  return subset;
}

// The indexed attributes in UTF-8, or as received when the character set cannot be converted.
DcmDataset utf8IndexedAttributes(DcmDataset& ds) {
  DcmDataset subset = copyIndexedAttributes(ds);
  DcmDataset converted(subset);
  const OFCondition status = converted.convertToUTF8();
  if (status.good()) return converted;
  OFString charset;
  subset.findAndGetOFStringArray(DCM_SpecificCharacterSet, charset);
  OFString sopUid;
  subset.findAndGetOFString(DCM_SOPInstanceUID, sopUid);
  log::warn("instance " + std::string(sopUid.c_str()) + ": cannot convert character set '" +
            charset.c_str() + "' to UTF-8 (" + status.text() + "); indexing raw values");
  return subset;
}

std::string text(DcmDataset& ds, const DcmTagKey& tag) {
  OFString value;
  if (ds.findAndGetOFStringArray(tag, value).bad()) return {};
  return value.c_str();
}

// First value of an IS attribute; nullopt when absent or not an integer.
std::optional<std::int64_t> integer(DcmDataset& ds, const DcmTagKey& tag) {
  OFString value;
  if (ds.findAndGetOFString(tag, value).bad()) return std::nullopt;
  std::string_view digits(value.c_str(), value.size());
  while (!digits.empty() && digits.front() == ' ') digits.remove_prefix(1);
  while (!digits.empty() && digits.back() == ' ') digits.remove_suffix(1);
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
    return std::nullopt;
  }
  return out;
}

std::string uid(DcmDataset& ds, const DcmTagKey& tag, std::string_view what) {
  return dicom::requireUid(text(ds, tag), what);
}

// Dates are indexed in their modern form so "2024.01.31" and "20240131" compare equal; a value
// that is not a date at all is kept as received (it can still be returned, never range-matched).
std::string date(DcmDataset& ds, const DcmTagKey& tag) {
  std::string value = text(ds, tag);
  return index_detail::normalizeDate(value).value_or(value);
}

}  // namespace

InstanceRecord recordFromDataset(DcmDataset& ds, std::string transferSyntaxUid, std::string relPath,
                                 std::uint64_t fileSize) {
  DcmDataset utf8 = utf8IndexedAttributes(ds);
  InstanceRecord r;
  r.patientId = text(utf8, DCM_PatientID);
  r.issuerOfPatientId = text(utf8, DCM_IssuerOfPatientID);
  r.patientName = index_detail::normalizePersonName(text(utf8, DCM_PatientName));
  r.patientBirthDate = date(utf8, DCM_PatientBirthDate);
  r.patientSex = text(utf8, DCM_PatientSex);

  r.studyInstanceUid = uid(utf8, DCM_StudyInstanceUID, "Study Instance UID");
  r.studyDate = date(utf8, DCM_StudyDate);
  r.studyTime = text(utf8, DCM_StudyTime);
  r.accessionNumber = text(utf8, DCM_AccessionNumber);
  r.studyId = text(utf8, DCM_StudyID);
  r.studyDescription = text(utf8, DCM_StudyDescription);
  r.referringPhysicianName =
      index_detail::normalizePersonName(text(utf8, DCM_ReferringPhysicianName));

  r.seriesInstanceUid = uid(utf8, DCM_SeriesInstanceUID, "Series Instance UID");
  r.modality = text(utf8, DCM_Modality);
  r.seriesNumber = integer(utf8, DCM_SeriesNumber);
  r.seriesDescription = text(utf8, DCM_SeriesDescription);
  r.bodyPartExamined = text(utf8, DCM_BodyPartExamined);
  r.seriesDate = date(utf8, DCM_SeriesDate);
  r.seriesTime = text(utf8, DCM_SeriesTime);

  r.sopInstanceUid = uid(utf8, DCM_SOPInstanceUID, "SOP Instance UID");
  r.sopClassUid = uid(utf8, DCM_SOPClassUID, "SOP Class UID");
  r.instanceNumber = integer(utf8, DCM_InstanceNumber);
  r.contentDate = date(utf8, DCM_ContentDate);
  r.contentTime = text(utf8, DCM_ContentTime);
  r.numberOfFrames = integer(utf8, DCM_NumberOfFrames);
  r.acquisitionDateTime = text(utf8, DCM_AcquisitionDateTime);
  r.timezoneOffsetFromUtc = text(utf8, DCM_TimezoneOffsetFromUTC);

  r.transferSyntaxUid = dicom::requireUid(transferSyntaxUid, "Transfer Syntax UID");
  r.relPath = std::move(relPath);
  r.fileSize = fileSize;
  return r;
}

}  // namespace medvqa
