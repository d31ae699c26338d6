#include "stable_study_inbox.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "common/error.h"
#include "common/log.h"

namespace medvqa::plugin {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kCheckpointEvery = std::chrono::seconds(60);
constexpr auto kCallbackGrace = std::chrono::seconds(5);
constexpr int kChangesPage = 1000;

}  // namespace

StableStudyInbox::StableStudyInbox(const OrthancApi& api, std::filesystem::path cursorFile, Handler handler)
    : api_(api),
      cursorFile_(std::move(cursorFile)),
      handler_(std::move(handler)),
      worker_("stable-study inbox", [this](const std::stop_token& stop) { return pass(stop); }) {}

void StableStudyInbox::push(const std::string& orthancStudyId) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({orthancStudyId, std::nullopt});
  }
  worker_.wake();
}

std::size_t StableStudyInbox::waiting() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& item : queue_) n += item.studyId.empty() ? 0 : 1;
  return n;
}

std::chrono::milliseconds StableStudyInbox::pass(const std::stop_token& stop) {
  if (!replayed_) {
    replayed_ = true;
    try {
      replay();
    } catch (const std::exception& e) {
      log::error(std::string("replaying Orthanc's change log failed; studies that went stable while MedVQA was "
                             "not running are answered on request only: ") + e.what());
    }
  }
  // What is left at a stop is not lost: the cursor has not moved past it, the next start replays it.
  while (!stop.stop_requested()) {
    const auto item = next();
    if (!item) break;
    handle(*item);
  }
  scheduleCheckpoint(Clock::now());
  std::lock_guard lock(mutex_);
  return queue_.empty() ? std::chrono::milliseconds(1000) : std::chrono::milliseconds(0);
}

std::optional<StableStudyInbox::Item> StableStudyInbox::next() {
  std::lock_guard lock(mutex_);
  if (queue_.empty()) return std::nullopt;
  Item item = std::move(queue_.front());
  queue_.pop_front();
  return item;
}

void StableStudyInbox::handle(const Item& item) {
  try {
    if (item.checkpoint) {
      writeCursor(*item.checkpoint);
      return;
    }
    handledSinceCheckpoint_ = true;
    handler_(item.studyId);
  } catch (const std::exception& e) {
    log::error("Orthanc study " + item.studyId + " went stable but could not be handed to the pipeline: " + e.what());
  }
}

void StableStudyInbox::scheduleCheckpoint(Clock::time_point now) {
  try {
    if (pendingCheckpoint_) {
      if (now < pendingCheckpoint_->second) return;
      {
        std::lock_guard lock(mutex_);
        queue_.push_back({"", pendingCheckpoint_->first});
      }
      pendingCheckpoint_.reset();
      return;
    }
    if (!handledSinceCheckpoint_ || now - lastCheckpoint_ < kCheckpointEvery) return;
    pendingCheckpoint_ = {lastChange(), now + kCallbackGrace};
    handledSinceCheckpoint_ = false;
    lastCheckpoint_ = now;
  } catch (const std::exception& e) {
    log::warn(std::string("cannot read Orthanc's change log for a checkpoint: ") + e.what());
  }
}

void StableStudyInbox::replay() {
  const std::int64_t last = lastChange();
  const auto cursor = readCursor();
  if (!cursor) {
    writeCursor(last);
    log::info("first start: studies are answered from Orthanc change " + std::to_string(last) + " on");
    return;
  }
  std::int64_t since = std::min(*cursor, last);  // Orthanc's log may have been cleared
  std::vector<std::string> studies;
  std::set<std::string> seen;
  while (true) {
    const auto page = api_.getJson("/changes?since=" + std::to_string(since) + "&limit=" + std::to_string(kChangesPage));
    if (!page || !page->contains("Changes") || (*page)["Changes"].empty()) break;
    for (const auto& change : (*page)["Changes"]) {
      since = std::max(since, change.value("Seq", since));
      const std::string id = change.value("ID", "");
      if (change.value("ChangeType", "") == "StableStudy" && seen.insert(id).second) studies.push_back(id);
    }
    if (page->value("Done", true)) break;
  }
  if (!studies.empty()) {
    log::info("replaying " + std::to_string(studies.size()) + " stable stud" + (studies.size() == 1 ? "y" : "ies") +
              " from Orthanc's change log (changes " + std::to_string(*cursor) + " to " + std::to_string(since) + ")");
  }
  std::lock_guard lock(mutex_);
  std::deque<Item> replayed;
  for (auto& id : studies) replayed.push_back({std::move(id), std::nullopt});
  replayed.push_back({"", since});
  queue_.insert(queue_.begin(), replayed.begin(), replayed.end());
}

std::int64_t StableStudyInbox::lastChange() const {
  const auto last = api_.getJson("/changes?last");
  if (!last || !last->contains("Last")) throw Error(ErrorCode::Io, "Orthanc's /changes?last has no \"Last\"");
  return (*last)["Last"].get<std::int64_t>();
}

std::optional<std::int64_t> StableStudyInbox::readCursor() const {
  std::ifstream in(cursorFile_);
  std::int64_t seq = 0;
  if (in >> seq) return seq;
  return std::nullopt;
}

void StableStudyInbox::writeCursor(std::int64_t seq) const {
  const auto temp = cursorFile_.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << seq << '\n';
    if (!out.flush()) throw Error(ErrorCode::Io, "cannot write " + temp);
  }
  std::filesystem::rename(temp, cursorFile_);
}

}  // namespace medvqa::plugin
