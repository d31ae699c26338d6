// Study / series / instance metadata derived from the seed, and the DCMTK dataset built from it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "options.h"
#include "phantom.h"

class DcmFileFormat;

namespace medvqa::gen {

struct PatientInfo {
  std::string id;
  std::string name;       // PN, UTF-8 (may be non-ASCII)
  std::string birthDate;  // YYYYMMDD
  std::string sex;        // M / F / O
};

struct StudyInfo {
  unsigned index = 0;
  PatientInfo patient;
  std::string uid;
  std::string date, time;  // YYYYMMDD, HHMMSS
  std::string accession, studyId, description, referringPhysician;
  std::string patientAge;  // nnnY
  std::string bodyPart;
  Anatomy anatomy = Anatomy::Chest;
  std::string laterality;  // "", "L" or "R" (paired body parts)
};

struct SeriesInfo {
  unsigned index = 0;
  std::string uid, frameOfReferenceUid;
  std::string description, time;
  unsigned number = 1;
  double sliceThickness = 5.0;
  double pixelSpacing = 0.7;
  std::string viewPosition;  // CR
  unsigned variant = 0;      // index into the modality's series protocols
};

/// Derives everything about a corpus from its options.  Pure: same options, same answers.
class CorpusPlan {
 public:
  explicit CorpusPlan(const GenOptions& o) : o_(o) {}

  PatientInfo patient(unsigned p) const;
  StudyInfo study(unsigned s) const;
  SeriesInfo series(const StudyInfo& st, unsigned se) const;
  std::string sopInstanceUid(unsigned s, unsigned se, unsigned i) const;
  std::uint64_t noiseSeed(unsigned s, unsigned se, unsigned i) const;

 private:
  const GenOptions& o_;
};

/// Builds one instance (Part 10 file in memory, meta header filled when saved).
/// `derived8bit`: the pixels were windowed to 8 bits (JPEG baseline): ImageType DERIVED.
std::unique_ptr<DcmFileFormat> buildInstance(Modality m, const StudyInfo& st, const SeriesInfo& se,
                                             unsigned instanceIndex,
                                             const std::string& sopInstanceUid, const Image& img,
                                             bool derived8bit);

/// A UID of (seed, purpose, indices): core's derivation (dicom::derivedUid) under purposes of
/// medvqa-gen's own, so that a corpus never shares a UID with a `medvqa synth` data set (or an
/// SR) derived from the same seed.
std::string genUid(std::uint64_t seed, std::string_view purpose, std::initializer_list<std::uint64_t> indices = {});

/// SOP Class UID written for a modality.
const char* sopClassFor(Modality m);

}  // namespace medvqa::gen
