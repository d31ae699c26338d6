#include "vqa/feature_cache.h"

namespace medvqa::vqa {

std::string FeatureCache::key(std::string_view sopInstanceUid, int frame) {
  if (sopInstanceUid.empty()) return {};
  return std::string(sopInstanceUid) + "#" + std::to_string(frame);
}

std::shared_ptr<const Features> FeatureCache::find(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);  // most recently used first
  return it->second->second;
}

void FeatureCache::put(const std::string& key, std::shared_ptr<const Features> features) {
  if (capacity_ == 0 || key.empty()) return;
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->second = std::move(features);
    entries_.splice(entries_.begin(), entries_, it->second);
    return;
  }
  entries_.emplace_front(key, std::move(features));
  index_.emplace(key, entries_.begin());
  while (entries_.size() > capacity_) {
    index_.erase(entries_.back().first);
    entries_.pop_back();
  }
}

}  // namespace medvqa::vqa
