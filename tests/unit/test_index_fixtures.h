#pragma once

// Shared helpers for the index and query unit tests: a temporary folder, in-memory instances
// with sensible defaults, C-FIND identifiers, and collecting what a C-FIND user would see.

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "index/index.h"
#include "index/instance_record.h"

namespace medvqa::index_test {

// A fresh folder removed with everything in it when the test ends.
class TempDir {
 public:
  explicit TempDir(const std::filesystem::path& parent = std::filesystem::temp_directory_path()) {
    std::string pattern = (parent / "medvqa-index-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

constexpr const char* kCtImageStorage = UID_CTImageStorage;
constexpr const char* kMrImageStorage = UID_MRImageStorage;
constexpr const char* kExplicitLittleEndian = UID_LittleEndianExplicitTransferSyntax;

// One instance as a test describes it; every field has a usable default.
struct Spec {
  std::string patientId = "PID1";
  std::string issuer;
  std::string patientName = "DOE^JOHN";
  std::string birthDate = "19700101";
  std::string sex = "M";
  std::string studyUid = "1.2.3.1";
  std::string studyDate = "20240115";
  std::string studyTime = "101500";
  std::string accession = "ACC1";
  std::string studyId = "S1";
  std::string studyDescription = "CHEST CT";
  std::string referring = "HOUSE^GREGORY";
  std::string seriesUid = "1.2.3.1.1";
  std::string modality = "CT";
  std::string seriesNumber = "1";
  std::string seriesDescription = "AXIAL";
  std::string bodyPart = "CHEST";
  std::string seriesDate = "20240115";
  std::string seriesTime = "101600";
  std::string sopUid = "1.2.3.1.1.1";
  std::string sopClassUid = kCtImageStorage;
  std::string instanceNumber = "1";
  std::string contentDate = "20240115";
  std::string contentTime = "101700";
  std::string charset = "ISO_IR 192";
  std::string relPath;  // default: derived from sopUid
};

inline void putIfSet(DcmDataset& ds, const DcmTagKey& tag, const std::string& value) {
  if (!value.empty()) ds.putAndInsertString(tag, value.c_str());
}

inline std::unique_ptr<DcmDataset> makeDataset(const Spec& s) {
  auto ds = std::make_unique<DcmDataset>();
  putIfSet(*ds, DCM_SpecificCharacterSet, s.charset);
  putIfSet(*ds, DCM_PatientID, s.patientId);
  putIfSet(*ds, DCM_IssuerOfPatientID, s.issuer);
  putIfSet(*ds, DCM_PatientName, s.patientName);
  putIfSet(*ds, DCM_PatientBirthDate, s.birthDate);
  putIfSet(*ds, DCM_PatientSex, s.sex);
  putIfSet(*ds, DCM_StudyInstanceUID, s.studyUid);
  putIfSet(*ds, DCM_StudyDate, s.studyDate);
  putIfSet(*ds, DCM_StudyTime, s.studyTime);
  putIfSet(*ds, DCM_AccessionNumber, s.accession);
  putIfSet(*ds, DCM_StudyID, s.studyId);
  putIfSet(*ds, DCM_StudyDescription, s.studyDescription);
  putIfSet(*ds, DCM_ReferringPhysicianName, s.referring);
  putIfSet(*ds, DCM_SeriesInstanceUID, s.seriesUid);
  putIfSet(*ds, DCM_Modality, s.modality);
  putIfSet(*ds, DCM_SeriesNumber, s.seriesNumber);
  putIfSet(*ds, DCM_SeriesDescription, s.seriesDescription);
  putIfSet(*ds, DCM_BodyPartExamined, s.bodyPart);
  putIfSet(*ds, DCM_SeriesDate, s.seriesDate);
  putIfSet(*ds, DCM_SeriesTime, s.seriesTime);
  putIfSet(*ds, DCM_SOPInstanceUID, s.sopUid);
  putIfSet(*ds, DCM_SOPClassUID, s.sopClassUid);
  putIfSet(*ds, DCM_InstanceNumber, s.instanceNumber);
  putIfSet(*ds, DCM_ContentDate, s.contentDate);
  putIfSet(*ds, DCM_ContentTime, s.contentTime);
  return ds;
}

inline InstanceRecord makeRecord(const Spec& s) {
  auto ds = makeDataset(s);
  const std::string relPath = s.relPath.empty() ? "instances/" + s.sopUid + ".dcm" : s.relPath;
  return recordFromDataset(*ds, kExplicitLittleEndian, relPath, 1000);
}

// A C-FIND / C-MOVE identifier: level plus (tag, value) keys; an empty value is a return key.
inline std::unique_ptr<DcmDataset> identifier(
    const char* level, std::initializer_list<std::pair<DcmTagKey, std::string>> keys) {
  auto ds = std::make_unique<DcmDataset>();
  if (level != nullptr) ds->putAndInsertString(DCM_QueryRetrieveLevel, level);
  for (const auto& [tag, value] : keys) {
    if (value.empty()) {
      ds->insertEmptyElement(tag);
    } else {
      ds->putAndInsertString(tag, value.c_str());
    }
  }
  return ds;
}

// Every response of a C-FIND, copied out of the callback.
inline std::vector<std::unique_ptr<DcmDataset>> findAll(const Index& index, QueryModel model,
                                                        const DcmDataset& query) {
  std::vector<std::unique_ptr<DcmDataset>> out;
  index.find(model, query, [&](DcmDataset& match) {
    out.push_back(std::make_unique<DcmDataset>(match));
    return true;
  });
  return out;
}

inline std::string valueOf(DcmDataset& ds, const DcmTagKey& tag) {
  OFString value;
  ds.findAndGetOFStringArray(tag, value);
  return value.c_str();
}

// The values of one attribute across all responses, as a set (C-FIND has no order).
inline std::multiset<std::string> valuesOf(const std::vector<std::unique_ptr<DcmDataset>>& rs,
                                           const DcmTagKey& tag) {
  std::multiset<std::string> out;
  for (const auto& r : rs) out.insert(valueOf(*r, tag));
  return out;
}

// Runs a one-key C-FIND and returns the set of `returned` values of its matches.
inline std::multiset<std::string> match(const Index& index, QueryModel model, const char* level,
                                        const DcmTagKey& key, const std::string& value,
                                        const DcmTagKey& returned) {
  auto query = key == returned ? identifier(level, {{key, value}})
                               : identifier(level, {{key, value}, {returned, ""}});
  return valuesOf(findAll(index, model, *query), returned);
}

}  // namespace medvqa::index_test
