// Who and when: the patient, study, series and instance identifiers of one synthetic study.
//
// All derived from (seed, study index), dates included, so a run never depends on the clock
// and the same seed writes the same bytes.
#pragma once

#include <cstdint>
#include <string>

namespace medvqa::synth {

struct StudyIdentity {
  std::uint64_t seed = 0;
  unsigned index = 0;           // 0-based within the run
  std::string directory;        // "study-0001" (1-based, at least four digits)
  std::string studyUid;
  std::string seriesUid;
  std::string frameOfReferenceUid;
  std::string patientName;      // synthetic: "SYNTH^CHEST 0001"-style, never a real name
  std::string patientId;
  std::string birthDate;        // YYYYMMDD
  std::string sex;              // "M" or "F"
  std::string age;              // "063Y"
  std::string studyDate;        // YYYYMMDD
  std::string studyTime;        // HHMMSS
  std::string seriesTime;
  std::string accessionNumber;
  std::string studyId;

  /// SOP Instance UID of image `instance` (0-based) of the study's one series.
  std::string sopInstanceUid(unsigned instance) const;
};

/// `kindLabel` ("CHEST", "CT") only flavours the synthetic patient name.
StudyIdentity makeStudyIdentity(std::uint64_t seed, unsigned index, const std::string& kindLabel);

}  // namespace medvqa::synth
