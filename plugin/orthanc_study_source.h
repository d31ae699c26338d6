#pragma once

#include <string>
#include <vector>

#include "orthanc_rest.h"
#include "pipeline/study_source.h"

namespace medvqa::plugin {

// Orthanc's studies for the answer pipeline: series facts from Orthanc's index (main DICOM tags,
// SOP class from the instance metadata), instance files read through the REST API. MedVQA's own
// SR series are left out, so storing an SR never changes what a study is answered on.
class OrthancStudySource : public pipeline::StudySource {
 public:
  explicit OrthancStudySource(const OrthancApi& api) : api_(api) {}

  std::optional<pipeline::StudySnapshot> snapshot(const std::string& studyUid) override;
  void materialize(const std::string& studyUid, const std::filesystem::path& folder) override;

 private:
  struct Instance {
    std::string orthancId;
    std::string sopInstanceUid;
  };
  struct Study {
    pipeline::StudyFacts facts;
    std::vector<Instance> instances;  // MedVQA's own SRs left out
  };
  std::optional<Study> read(const std::string& studyUid) const;

  const OrthancApi& api_;
};

}  // namespace medvqa::plugin
