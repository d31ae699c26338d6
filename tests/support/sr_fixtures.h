#pragma once

// Source images and answers for the SR tests (unit and integration): image headers built in
// memory with DCMTK (the SR writer reads headers only), and one answer of every kind the SR must
// carry: a header answer, a coded yes/no, a coded laterality, a plain text count, alternatives,
// several images. Header-only so both test executables can use it.

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sr/sr_writer.h"
#include "vqa/answer.h"

namespace medvqa::test::srfix {

inline constexpr const char* kStudyUid = "1.2.826.0.1.3680043.10.1500.1";
inline constexpr const char* kCtSeriesUid = "1.2.826.0.1.3680043.10.1500.1.1";
inline constexpr const char* kScoutSeriesUid = "1.2.826.0.1.3680043.10.1500.1.2";

inline std::string ctSopUid(int slice) {
  return std::string(kCtSeriesUid) + "." + std::to_string(slice);
}
inline std::string scoutSopUid() {
  return std::string(kScoutSeriesUid) + ".1";
}

// An image header: patient, general study, series and SOP common attributes.
inline std::unique_ptr<DcmDataset> makeHeader(const std::string& seriesUid, const std::string& sopUid,
                                              const char* sopClassUid = UID_CTImageStorage,
                                              const char* modality = "CT") {
  auto ds = std::make_unique<DcmDataset>();
  ds->putAndInsertString(DCM_SOPClassUID, sopClassUid);
  ds->putAndInsertString(DCM_SOPInstanceUID, sopUid.c_str());
  ds->putAndInsertString(DCM_StudyInstanceUID, kStudyUid);
  ds->putAndInsertString(DCM_SeriesInstanceUID, seriesUid.c_str());
  ds->putAndInsertString(DCM_Modality, modality);
  ds->putAndInsertString(DCM_PatientName, "DOE^JANE");
  ds->putAndInsertString(DCM_PatientID, "MVQA-0001");
  ds->putAndInsertString(DCM_PatientBirthDate, "19700315");
  ds->putAndInsertString(DCM_PatientSex, "F");
  ds->putAndInsertString(DCM_StudyDate, "20240102");
  ds->putAndInsertString(DCM_StudyTime, "101500");
  ds->putAndInsertString(DCM_StudyID, "S1");
  ds->putAndInsertString(DCM_AccessionNumber, "ACC123");
  ds->putAndInsertString(DCM_ReferringPhysicianName, "HOUSE^GREGORY");
  ds->putAndInsertString(DCM_StudyDescription, "CT CHEST");
  ds->putAndInsertString(DCM_SeriesNumber, "2");
  ds->putAndInsertString(DCM_InstanceNumber, "1");
  return ds;
}

// A CT study: three axial slices in one series and a scout in another.
inline std::vector<std::unique_ptr<DcmDataset>> makeCtStudy() {
  std::vector<std::unique_ptr<DcmDataset>> study;
  for (int slice = 1; slice <= 3; ++slice) study.push_back(makeHeader(kCtSeriesUid, ctSopUid(slice)));
  study.push_back(makeHeader(kScoutSeriesUid, scoutSopUid()));
  return study;
}

inline std::vector<DcmItem*> pointers(const std::vector<std::unique_ptr<DcmDataset>>& study) {
  std::vector<DcmItem*> items;
  for (const auto& ds : study) items.push_back(ds.get());
  return items;
}

inline vqa::Answer modelAnswer(std::string question, std::string text, double confidence) {
  vqa::Answer answer;
  answer.question = std::move(question);
  answer.text = std::move(text);
  answer.confidence = confidence;
  answer.source = vqa::AnswerSource::Model;
  answer.modelName = "medvqa-demo";
  answer.modelVersion = "1.2.0";
  return answer;
}

// One answer of each kind the SR must carry.
inline std::vector<vqa::Answer> sampleAnswers() {
  vqa::Answer modality;
  modality.question = "What is the modality?";
  modality.text = "CT";
  modality.confidence = 1.0;
  modality.source = vqa::AnswerSource::Header;
  modality.modelName = "dicom-header";
  modality.modelVersion = "0.1.0";
  modality.sopInstanceUids = {ctSopUid(1)};
  modality.code = vqa::Code{"CT", "DCM", "Computed Tomography"};

  auto effusion = modelAnswer("Is there a pleural effusion?", "yes", 0.9137254901960784);
  effusion.code = vqa::Code{"373066001", "SCT", "Yes"};
  effusion.alternatives = {{"no", 0.0862745098039216}};
  effusion.sopInstanceUids = {ctSopUid(1), ctSopUid(2), ctSopUid(3)};

  auto side = modelAnswer("Which side is the effusion on?", "left", 0.71);
  side.code = vqa::Code{"7771000", "SCT", "Left"};
  side.alternatives = {{"right", 0.2}, {"bilateral", 0.09}};
  side.sopInstanceUids = {ctSopUid(2), scoutSopUid()};

  auto nodules = modelAnswer("How many nodules are there?", "3", 0.55);
  nodules.alternatives = {{"2", 0.25}, {"4", 0.12}, {"1", 0.08}};
  nodules.sopInstanceUids = {ctSopUid(3)};
  return {modality, effusion, side, nodules};
}

inline sr::ReportRequest sampleRequest(const std::vector<std::unique_ptr<DcmDataset>>& study) {
  sr::ReportRequest request;
  request.sources = pointers(study);
  request.answers = sampleAnswers();
  request.device = {"1.2.826.0.1.3680043.10.1500.99", "medvqa-test-node", "MedVQA", "MedVQA node"};
  request.algorithm = {"medvqa-demo", "1.2.0", {"input=128x128", "top-k=3"}};
  return request;
}

// A fresh folder under the system temp folder, removed with its content on destruction.
class TempFolder {
 public:
  TempFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "medvqa-sr-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace medvqa::test::srfix
