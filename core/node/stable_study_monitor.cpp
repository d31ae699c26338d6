#include "node/stable_study_monitor.h"

#include <algorithm>

#include "common/clock.h"
#include "common/error.h"
#include "common/log.h"
#include "index/index.h"
#include "node/study_activity.h"

namespace medvqa::node {

namespace {

// Polls at a quarter of the quiet period (bounded), so a study is reported at most ~25% late.
std::chrono::milliseconds pollPeriod(std::chrono::milliseconds stableAge) {
  return std::clamp<std::chrono::milliseconds>(stableAge / 4, std::chrono::milliseconds(50),
                                                std::chrono::milliseconds(1000));
}

}  // namespace

StableStudyMonitor::StableStudyMonitor(Index& index, const StudyActivity& activity,
                                       std::chrono::milliseconds stableAge, Listener onStable)
    : index_(index),
      activity_(activity),
      stableAge_(stableAge),
      onStable_(std::move(onStable)),
      worker_("stable-study check", [this](const std::stop_token&) {
        checkNow();
        return pollPeriod(stableAge_);
      }) {}

std::size_t StableStudyMonitor::checkNow() {
  const std::int64_t now = nowUnixMs();
  const std::int64_t cutoff = now - stableAge_.count();
  std::size_t marked = 0;
  for (const auto& study : index_.studiesQuietSince(cutoff)) {
    if (activity_.hasOpenSender(study)) continue;
    // Conditional on the cutoff: an instance that arrived since the query keeps it unstable.
    if (!index_.markStable(study, now, cutoff)) continue;
    ++marked;
    log::info("study stable: " + study);
    if (onStable_) onStable_(study);
  }
  return marked;
}

}  // namespace medvqa::node
