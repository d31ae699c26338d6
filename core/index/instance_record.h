#pragma once

#include <cstdint>
#include <optional>
#include <string>

class DcmDataset;

namespace medvqa {

// Everything the index keeps about one stored instance. Text is UTF-8, trimmed of DICOM padding;
// an empty string means the attribute was absent or empty. Dates and times are kept as received
// (the index derives the comparable forms it matches on).
struct InstanceRecord {
  // Patient
  std::string patientId;
  std::string issuerOfPatientId;
  std::string patientName;  // PN, trailing empty components dropped
  std::string patientBirthDate;
  std::string patientSex;

  // Study
  std::string studyInstanceUid;
  std::string studyDate;
  std::string studyTime;
  std::string accessionNumber;
  std::string studyId;
  std::string studyDescription;
  std::string referringPhysicianName;

  // Series
  std::string seriesInstanceUid;
  std::string modality;
  std::optional<std::int64_t> seriesNumber;  // IS; absent or unparsable -> nullopt
  std::string seriesDescription;
  std::string bodyPartExamined;
  std::string seriesDate;
  std::string seriesTime;

  // Instance
  std::string sopInstanceUid;
  std::string sopClassUid;
  std::optional<std::int64_t> instanceNumber;
  std::string contentDate;
  std::string contentTime;
  std::optional<std::int64_t> numberOfFrames;
  std::string acquisitionDateTime;    // DT, as received
  std::string timezoneOffsetFromUtc;  // (0008,0201): the offset of date-times that carry none

  // Storage
  std::string transferSyntaxUid;
  std::string relPath;  // relative to the store's root
  std::uint64_t fileSize = 0;
};

// Extracts the record for an instance. Text attributes are converted to UTF-8 from the dataset's
// Specific Character Set; when that fails the raw bytes are indexed and a warning is logged, so
// one oddly encoded name never costs a hospital an image. Only the extracted attributes are
// converted (on a small copy): `ds` is not modified and its pixel data is never copied.
// Throws Error(InvalidArgument) naming the attribute when a required UID (Study, Series and SOP
// Instance UID, SOP Class UID) or the transfer syntax UID is missing or malformed.
InstanceRecord recordFromDataset(DcmDataset& ds, std::string transferSyntaxUid, std::string relPath,
                                 std::uint64_t fileSize);

}  // namespace medvqa
