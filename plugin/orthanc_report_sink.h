#pragma once

#include <functional>
#include <string>

#include "orthanc_rest.h"
#include "pipeline/study_source.h"

namespace medvqa::plugin {

// Stores an answer SR into Orthanc (POST /instances), so it appears in the same study and
// Orthanc's C-FIND, C-MOVE and DICOMweb serve it. A retried job rewrites the same SOP Instance
// UID; Orthanc then says "AlreadyStored", which counts as stored.
class OrthancReportSink : public pipeline::ReportSink {
 public:
  // `onOutcome` hears whether each SR was stored (the metrics count both).
  OrthancReportSink(const OrthancApi& api, std::function<void(bool stored)> onOutcome)
      : api_(api), onOutcome_(std::move(onOutcome)) {}

  void store(DcmDataset& report) override;

 private:
  const OrthancApi& api_;
  std::function<void(bool stored)> onOutcome_;
};

}  // namespace medvqa::plugin
