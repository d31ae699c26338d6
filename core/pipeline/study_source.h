#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/rules.h"

class DcmDataset;

namespace medvqa::pipeline {

// A study as the pipeline needs it, whichever front door holds it (the node's store, Orthanc).
struct StudySnapshot {
  StudyFacts facts;                        // the study's series, MedVQA's own SR series left out
  std::vector<std::string> instanceUids;   // its instances, MedVQA's own SRs left out
  std::string fingerprint() const;         // a digest of instanceUids (order-independent)
};

// Where studies come from. The node implements it over its index and file store, the Orthanc
// plugin over Orthanc's REST API.
class StudySource {
 public:
  virtual ~StudySource() = default;
  // nullopt when the study is unknown (deleted since).
  virtual std::optional<StudySnapshot> snapshot(const std::string& studyUid) = 0;
  // Puts the study's instances (MedVQA's own SRs left out) into the empty folder `folder`, as
  // files or links, for the engine to load.
  virtual void materialize(const std::string& studyUid, const std::filesystem::path& folder) = 0;
};

// Where an SR goes back: into the same store that holds the study. Returns when it is durable.
class ReportSink {
 public:
  virtual ~ReportSink() = default;
  virtual void store(DcmDataset& report) = 0;
};

// Whether a series is one of MedVQA's own answer SRs (never a reason to answer a study again).
bool isMedVqaSeries(const std::string& modality, const std::string& seriesDescription);
inline constexpr const char* kAnswerSeriesDescription = "MedVQA answers";

}  // namespace medvqa::pipeline
