#pragma once

// Dynamic batching: requests from any thread are grouped (up to maxBatch, waiting at most maxWait
// for company) and run on one worker thread; each caller gets a future. Images are encoded once
// and their features kept in a FeatureCache, so questions about an image already seen run only
// the small answer head. One bad request fails its own future, never its batch-mates.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "vqa/model.h"

namespace medvqa::metrics {
class Metrics;
}

namespace medvqa::vqa {

struct BatcherConfig {
  std::size_t maxBatch = 32;
  std::chrono::microseconds maxWait{2000};
  std::size_t cacheCapacity = 4096;  // images; 4096 x 256 floats = 4 MiB
  metrics::Metrics* metrics = nullptr;  // batch sizes and forward-pass times, when set
};

// One image as the batcher needs it: a cache key (FeatureCache::key; empty = not cacheable) and
// its preprocessed pixels, shared so that many questions about it cost no copies.
struct ImageInput {
  std::string key;
  std::shared_ptr<const std::vector<float>> pixels;
};

class Batcher {
 public:
  Batcher(std::shared_ptr<const Model> model, BatcherConfig config = {});
  // Finishes the requests already submitted, then stops the worker.
  ~Batcher();
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  // Probabilities over the manifest's answers for one question (already tokenized) on one image.
  // A malformed request (wrong pixel count or token length) fails its future with
  // Error(InvalidArgument); a module failure with Error(Config) naming the model.
  std::future<Probabilities> submit(ImageInput image, std::vector<std::int64_t> tokens);

  struct Stats {
    std::uint64_t requests = 0;
    std::uint64_t batches = 0;
    std::uint64_t imagesEncoded = 0;
    std::uint64_t cacheHits = 0;
  };
  Stats stats() const;
  const Model& model() const { return *model_; }
  const BatcherConfig& config() const { return config_; }

  struct State;

 private:
  std::shared_ptr<const Model> model_;
  BatcherConfig config_;
  std::unique_ptr<State> state_;
};

}  // namespace medvqa::vqa
