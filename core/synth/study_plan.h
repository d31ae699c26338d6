// Everything one synthetic study will be, decided before a pixel is drawn.
#pragma once

#include <cstdint>

#include "synth/chest_anatomy.h"
#include "synth/chest_phantom.h"
#include "synth/ct_anatomy.h"
#include "synth/ct_phantom.h"
#include "synth/findings.h"
#include "synth/study_identity.h"

namespace medvqa::synth {

struct ChestStudy {
  StudyIdentity id;
  ChestFindings findings;
  ChestAnatomy anatomy;
  ChestAcquisition acquisition;
  std::uint64_t noiseSeed = 0;
};

struct CtStudy {
  StudyIdentity id;
  CtFindings findings;
  CtAnatomy anatomy;
  CtAcquisition acquisition;
  std::uint64_t noiseSeed = 0;  // slice i uses streamSeed(noiseSeed, "slice", {i})
};

/// Study `studyIndex` of the run, the `kindIndex`-th of its kind (findings are balanced per kind).
ChestStudy planChestStudy(std::uint64_t seed, unsigned studyIndex, unsigned kindIndex);
CtStudy planCtStudy(std::uint64_t seed, unsigned studyIndex, unsigned kindIndex);

/// The same study with other findings: same patient, anatomy draw and acquisition, so tests can
/// compare images that differ only by a finding.
ChestStudy planChestStudy(std::uint64_t seed, unsigned studyIndex, const ChestFindings& findings);
CtStudy planCtStudy(std::uint64_t seed, unsigned studyIndex, const CtFindings& findings);

}  // namespace medvqa::synth
