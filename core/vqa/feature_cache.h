#pragma once

// A bounded LRU of image features keyed by SOP Instance UID + frame, so a study's images are
// encoded once and every question about them (standing questions, an ad-hoc question on a study
// just answered) reuses the rows. Not thread-safe: the Batcher's worker thread owns it.

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "vqa/model.h"

namespace medvqa::vqa {

class FeatureCache {
 public:
  explicit FeatureCache(std::size_t capacity) : capacity_(capacity) {}

  // "uid#frame"; an image without a SOP Instance UID has no key and is never cached.
  static std::string key(std::string_view sopInstanceUid, int frame);

  // The features, marked most recently used; null when absent.
  std::shared_ptr<const Features> find(const std::string& key);
  // Inserts or replaces; evicts the least recently used beyond capacity. Capacity 0 keeps nothing.
  void put(const std::string& key, std::shared_ptr<const Features> features);

  std::size_t size() const { return entries_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const Features>>;
  std::size_t capacity_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace medvqa::vqa
