#include "synth/study_plan.h"

namespace medvqa::synth {

ChestStudy planChestStudy(std::uint64_t seed, unsigned studyIndex, const ChestFindings& findings) {
  ChestStudy s;
  s.id = makeStudyIdentity(seed, studyIndex, "CHEST");
  s.findings = findings;
  // Acquisition and anatomy draw from separate streams: another finding never moves the patient.
  Rng acquisition(seed, "chest-acquisition", {studyIndex});
  s.acquisition = planChestAcquisition(acquisition);
  s.anatomy = planChestAnatomy(findings, streamSeed(seed, "chest-anatomy", {studyIndex}));
  s.noiseSeed = streamSeed(seed, "chest-noise", {studyIndex});
  return s;
}

ChestStudy planChestStudy(std::uint64_t seed, unsigned studyIndex, unsigned kindIndex) {
  return planChestStudy(seed, studyIndex, drawChestFindings(seed, kindIndex));
}

CtStudy planCtStudy(std::uint64_t seed, unsigned studyIndex, const CtFindings& findings) {
  CtStudy s;
  s.id = makeStudyIdentity(seed, studyIndex, "CT");
  s.findings = findings;
  Rng acquisition(seed, "ct-acquisition", {studyIndex});
  s.acquisition = planCtAcquisition(acquisition);
  s.anatomy = planCtAnatomy(findings, streamSeed(seed, "ct-anatomy", {studyIndex}));
  s.noiseSeed = streamSeed(seed, "ct-noise", {studyIndex});
  return s;
}

CtStudy planCtStudy(std::uint64_t seed, unsigned studyIndex, unsigned kindIndex) {
  return planCtStudy(seed, studyIndex, drawCtFindings(seed, kindIndex));
}

}  // namespace medvqa::synth
