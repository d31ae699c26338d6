#include "node/study_activity.h"

namespace medvqa::node {

void StudyActivity::noteStored(std::uint64_t associationId, const std::string& studyUid) {
  std::lock_guard lock(mutex_);
  if (studiesByAssociation_[associationId].insert(studyUid).second) ++openSenders_[studyUid];
}

void StudyActivity::associationEnded(std::uint64_t associationId) {
  std::lock_guard lock(mutex_);
  const auto it = studiesByAssociation_.find(associationId);
  if (it == studiesByAssociation_.end()) return;
  for (const auto& study : it->second) {
    if (--openSenders_[study] == 0) openSenders_.erase(study);
  }
  studiesByAssociation_.erase(it);
}

bool StudyActivity::hasOpenSender(const std::string& studyUid) const {
  std::lock_guard lock(mutex_);
  return openSenders_.count(studyUid) > 0;
}

}  // namespace medvqa::node
