#pragma once

#include "pipeline/study_source.h"

namespace medvqa {
class Index;
}
namespace medvqa::store {
class FileStore;
}

namespace medvqa::node {

// The node's studies for the answer pipeline: facts from the index plus one header per series
// (body part, SOP class), instances linked from the file store.
class NodeStudySource : public pipeline::StudySource {
 public:
  NodeStudySource(const Index& index, const store::FileStore& files) : index_(index), files_(files) {}

  std::optional<pipeline::StudySnapshot> snapshot(const std::string& studyUid) override;
  void materialize(const std::string& studyUid, const std::filesystem::path& folder) override;

 private:
  const Index& index_;
  const store::FileStore& files_;
};

}  // namespace medvqa::node
