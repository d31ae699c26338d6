#include "synth/study_identity.h"

#include <algorithm>
#include <cstdio>

#include "synth/derived_uid.h"
#include "synth/random.h"

namespace medvqa::synth {
namespace {

struct CivilDate {
  int year;
  unsigned month, day;
};

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, day 0 = 1970-01-01).
long daysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

CivilDate civilFromDays(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2)), m, d};
}

std::string formatDate(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", d.year, d.month, d.day);
  return buf;
}

std::string formatTime(unsigned secondsOfDay) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u%02u%02u", secondsOfDay / 3600 % 24, secondsOfDay / 60 % 60, secondsOfDay % 60);
  return buf;
}

std::string numbered(const char* format, unsigned long long value) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace

std::string StudyIdentity::sopInstanceUid(unsigned instance) const {
  return derivedUid(seed, "sop-instance", {index, instance});
}

StudyIdentity makeStudyIdentity(std::uint64_t seed, unsigned index, const std::string& kindLabel) {
  StudyIdentity id;
  id.seed = seed;
  id.index = index;
  id.directory = numbered("study-%04llu", index + 1ULL);
  id.studyUid = derivedUid(seed, "study", {index});
  id.seriesUid = derivedUid(seed, "series", {index});
  id.frameOfReferenceUid = derivedUid(seed, "frame-of-reference", {index});
  Rng rng(seed, "study-identity", {index});
  id.patientName = "SYNTH^" + kindLabel + numbered(" %04llu", index + 1ULL);
  id.patientId = numbered("SYN%04llu", seed % 10000) + numbered("-%06llu", index + 1ULL);
  id.sex.assign(1, rng.chance(0.5) ? 'M' : 'F');  // (assign: GCC 12 warns falsely on operator=, PR105651)
  const long studyDay = daysFromCivil(2016, 1, 1) + rng.integer(0, 8 * 365);
  const CivilDate study = civilFromDays(studyDay);
  const int ageYears = rng.integer(25, 85);
  // Birthday: ageYears before the study, then back up to 364 days more (still that age).
  const CivilDate birth = civilFromDays(daysFromCivil(study.year - ageYears, study.month, std::min(study.day, 28u)) -
                                        rng.integer(0, 364));
  id.birthDate = formatDate(birth);
  id.age = numbered("%03lluY", static_cast<unsigned long long>(ageYears));
  id.studyDate = formatDate(study);
  const unsigned start = 7 * 3600 + static_cast<unsigned>(rng.integer(0, 12 * 3600));
  id.studyTime = formatTime(start);
  id.seriesTime = formatTime(start + 60 + static_cast<unsigned>(rng.integer(0, 600)));
  id.accessionNumber = numbered("SYN%010llu", (seed * 1000003ULL + index) % 10000000000ULL);
  id.studyId = std::to_string(index + 1);
  return id;
}

}  // namespace medvqa::synth
