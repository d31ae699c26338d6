#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/worker.h"

namespace medvqa {
class Index;
}

namespace medvqa::node {

class StudyActivity;

// Emits "study stable" once a study has received nothing for `stableAge` and no association that
// sent into it is still open. The state is persisted in the index, so it survives a restart; a
// late instance makes the study unstable again (the index resets it on insert).
class StableStudyMonitor {
 public:
  using Listener = std::function<void(const std::string& studyUid)>;

  StableStudyMonitor(Index& index, const StudyActivity& activity, std::chrono::milliseconds stableAge,
                     Listener onStable = {});

  void start() { worker_.start(); }
  // One pass: marks every study that is stable now; returns how many. Used by the thread.
  std::size_t checkNow();

 private:
  Index& index_;
  const StudyActivity& activity_;
  std::chrono::milliseconds stableAge_;
  Listener onStable_;
  Worker worker_;  // last: stopped (in its destructor) before the members its passes use
};

}  // namespace medvqa::node
