#include "index/query_keys.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <iterator>
#include <utility>

namespace medvqa::index_detail {
namespace {

using K = MatchKind;
using L = QueryLevel;

// Aliases: p = patients, st = studies, se = series, i = instances (see query_sql.cpp).
const KeySpec kKeys[] = {
    // Patient
    {DCM_PatientID, L::Patient, K::Text, "PatientID", "p.patient_id", "p.patient_id"},
    {DCM_IssuerOfPatientID, L::Patient, K::Text, "IssuerOfPatientID", "p.issuer", "p.issuer"},
    {DCM_PatientName, L::Patient, K::PersonName, "PatientName", "p.patient_name",
     "p.patient_name_upper"},
    {DCM_PatientBirthDate, L::Patient, K::Date, "PatientBirthDate", "p.birth_date", "p.birth_date"},
    {DCM_PatientSex, L::Patient, K::Code, "PatientSex", "p.sex", "p.sex"},
    {DCM_NumberOfPatientRelatedStudies, L::Patient, K::Count, "NumberOfPatientRelatedStudies",
     "p.num_studies", nullptr},
    {DCM_NumberOfPatientRelatedSeries, L::Patient, K::Count, "NumberOfPatientRelatedSeries",
     "p.num_series", nullptr},
    {DCM_NumberOfPatientRelatedInstances, L::Patient, K::Count, "NumberOfPatientRelatedInstances",
     "p.num_instances", nullptr},
    // Study
    {DCM_StudyInstanceUID, L::Study, K::Uid, "StudyInstanceUID", "st.study_uid", "st.study_uid"},
    {DCM_StudyDate, L::Study, K::Date, "StudyDate", "st.study_date", "st.study_date"},
    {DCM_StudyTime, L::Study, K::Time, "StudyTime", "st.study_time", "st.study_time_norm"},
    {DCM_AccessionNumber, L::Study, K::Text, "AccessionNumber", "st.accession", "st.accession"},
    {DCM_StudyID, L::Study, K::Text, "StudyID", "st.study_id", "st.study_id"},
    {DCM_StudyDescription, L::Study, K::Text, "StudyDescription", "st.description",
     "st.description"},
    {DCM_ReferringPhysicianName, L::Study, K::PersonName, "ReferringPhysicianName",
     "st.referring_physician", "st.referring_physician_upper"},
    {DCM_ModalitiesInStudy, L::Study, K::ModalitiesInStudy, "ModalitiesInStudy", "st.modalities",
     nullptr},
    {DCM_NumberOfStudyRelatedSeries, L::Study, K::Count, "NumberOfStudyRelatedSeries",
     "st.num_series", nullptr},
    {DCM_NumberOfStudyRelatedInstances, L::Study, K::Count, "NumberOfStudyRelatedInstances",
     "st.num_instances", nullptr},
    // Series
    {DCM_SeriesInstanceUID, L::Series, K::Uid, "SeriesInstanceUID", "se.series_uid",
     "se.series_uid"},
    {DCM_Modality, L::Series, K::Code, "Modality", "se.modality", "se.modality"},
    {DCM_SeriesNumber, L::Series, K::Integer, "SeriesNumber", "se.series_number",
     "se.series_number"},
    {DCM_SeriesDescription, L::Series, K::Text, "SeriesDescription", "se.description",
     "se.description"},
    {DCM_BodyPartExamined, L::Series, K::Code, "BodyPartExamined", "se.body_part", "se.body_part"},
    {DCM_SeriesDate, L::Series, K::Date, "SeriesDate", "se.series_date", "se.series_date"},
    {DCM_SeriesTime, L::Series, K::Time, "SeriesTime", "se.series_time", "se.series_time_norm"},
    {DCM_NumberOfSeriesRelatedInstances, L::Series, K::Count, "NumberOfSeriesRelatedInstances",
     "se.num_instances", nullptr},
    // Image
    {DCM_SOPInstanceUID, L::Image, K::Uid, "SOPInstanceUID", "i.sop_instance_uid",
     "i.sop_instance_uid"},
    {DCM_SOPClassUID, L::Image, K::Uid, "SOPClassUID", "i.sop_class_uid", "i.sop_class_uid"},
    {DCM_InstanceNumber, L::Image, K::Integer, "InstanceNumber", "i.instance_number",
     "i.instance_number"},
    {DCM_ContentDate, L::Image, K::Date, "ContentDate", "i.content_date", "i.content_date"},
    {DCM_ContentTime, L::Image, K::Time, "ContentTime", "i.content_time", "i.content_time_norm"},
    {DCM_AcquisitionDateTime, L::Image, K::DateTime, "AcquisitionDateTime", "i.acquisition_datetime",
     "i.acquisition_datetime_norm"},
    {DCM_NumberOfFrames, L::Image, K::Integer, "NumberOfFrames", "i.number_of_frames",
     "i.number_of_frames"},
    {DCM_AvailableTransferSyntaxUID, L::Image, K::Uid, "AvailableTransferSyntaxUID",
     "i.transfer_syntax_uid", "i.transfer_syntax_uid"},
};

}  // namespace

const KeySpec* findKey(const DcmTagKey& tag) {
  for (const KeySpec& key : kKeys) {
    if (key.tag == tag) return &key;
  }
  return nullptr;
}

const KeySpec& uniqueKey(QueryLevel level) {
  switch (level) {
    case QueryLevel::Patient: return *findKey(DCM_PatientID);
    case QueryLevel::Study: return *findKey(DCM_StudyInstanceUID);
    case QueryLevel::Series: return *findKey(DCM_SeriesInstanceUID);
    case QueryLevel::Image: return *findKey(DCM_SOPInstanceUID);
  }
  return *findKey(DCM_SOPInstanceUID);
}

const KeySpec* pairedTimeKey(const KeySpec& dateKey) {
  static const std::pair<DcmTagKey, DcmTagKey> kPairs[] = {
      {DCM_StudyDate, DCM_StudyTime}, {DCM_SeriesDate, DCM_SeriesTime}, {DCM_ContentDate, DCM_ContentTime}};
  for (const auto& [date, time] : kPairs) {
    if (dateKey.tag == date) return findKey(time);
  }
  return nullptr;
}

}  // namespace medvqa::index_detail
