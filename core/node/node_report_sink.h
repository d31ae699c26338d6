#pragma once

#include "pipeline/study_source.h"

namespace medvqa::store {
class FileStore;
}
namespace medvqa::metrics {
class Metrics;
}

namespace medvqa::node {

class Ingestor;

// Stores an answer SR in the node exactly as a received instance is stored (same durability,
// same index), so C-FIND finds it and C-GET/C-MOVE serve it.
class NodeReportSink : public pipeline::ReportSink {
 public:
  NodeReportSink(store::FileStore& files, Ingestor& ingestor, std::string aet, metrics::Metrics* metrics = nullptr)
      : files_(files), ingestor_(ingestor), aet_(std::move(aet)), metrics_(metrics) {}

  void store(DcmDataset& report) override;

 private:
  void storeOnce(DcmDataset& report);

  store::FileStore& files_;
  Ingestor& ingestor_;
  std::string aet_;
  metrics::Metrics* metrics_;
};

}  // namespace medvqa::node
