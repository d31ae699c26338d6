#include "synth/study_identity.h"

#include <algorithm>
#include <cstdio>

#include "common/civil_date.h"
#include "dicom/uid.h"
#include "synth/random.h"

namespace medvqa::synth {
namespace {

std::string numbered(const char* format, unsigned long long value) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace

std::string StudyIdentity::sopInstanceUid(unsigned instance) const {
  return dicom::derivedUid(seed, "sop-instance", {index, instance});
}

StudyIdentity makeStudyIdentity(std::uint64_t seed, unsigned index, const std::string& kindLabel) {
  StudyIdentity id;
  id.seed = seed;
  id.index = index;
  id.directory = numbered("study-%04llu", index + 1ULL);
  id.studyUid = dicom::derivedUid(seed, "study", {index});
  id.seriesUid = dicom::derivedUid(seed, "series", {index});
  id.frameOfReferenceUid = dicom::derivedUid(seed, "frame-of-reference", {index});
  Rng rng(seed, "study-identity", {index});
  id.patientName = "SYNTH^" + kindLabel + numbered(" %04llu", index + 1ULL);
  id.patientId = numbered("SYN%04llu", seed % 10000) + numbered("-%06llu", index + 1ULL);
  id.sex.assign(1, rng.chance(0.5) ? 'M' : 'F');  // (assign: GCC 12 warns falsely on operator=, PR105651)
  const std::int64_t studyDay = daysFromCivil({2016, 1, 1}) + rng.integer(0, 8 * 365);
  const CivilDate study = civilFromDays(studyDay);
  const int ageYears = rng.integer(25, 85);
  // Birthday: ageYears before the study, then back up to 364 days more (still that age).
  const CivilDate birth = civilFromDays(daysFromCivil({study.year - ageYears, study.month, std::min(study.day, 28)}) -
                                        rng.integer(0, 364));
  id.birthDate = dicomDate(birth);
  id.age = numbered("%03lluY", static_cast<unsigned long long>(ageYears));
  id.studyDate = dicomDate(study);
  const unsigned start = 7 * 3600 + static_cast<unsigned>(rng.integer(0, 12 * 3600));
  id.studyTime = dicomTime(start);
  id.seriesTime = dicomTime(start + 60 + static_cast<unsigned>(rng.integer(0, 600)));
  id.accessionNumber = numbered("SYN%010llu", (seed * 1000003ULL + index) % 10000000000ULL);
  id.studyId = std::to_string(index + 1);
  return id;
}

}  // namespace medvqa::synth
