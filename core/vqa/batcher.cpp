#include "vqa/batcher.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "common/error.h"
#include "metrics/metrics.h"
#include "vqa/feature_cache.h"

namespace medvqa::vqa {

namespace {

using Clock = std::chrono::steady_clock;

struct Request {
  ImageInput image;
  std::vector<std::int64_t> tokens;
  std::promise<Probabilities> promise;
  Clock::time_point arrival;
  std::shared_ptr<const Features> features;  // resolved by the worker
  bool failed = false;
  bool settled = false;  // the promise has its value or its error
};

void fail(Request& request, std::exception_ptr error) {
  request.failed = true;
  request.settled = true;
  request.promise.set_exception(std::move(error));
}

void succeed(Request& request, Probabilities probabilities) {
  request.settled = true;
  request.promise.set_value(std::move(probabilities));
}

// The requests of one batch that share an image: encoded once.
struct ImageGroup {
  std::span<const float> pixels;
  std::vector<Request*> requests;
};

// Requests about the same image share one encoding: same cache key, or, for an image without a
// key, the same pixel buffer ("@" cannot start a key: keys start with a UID digit).
std::string groupKey(const ImageInput& image) {
  if (!image.key.empty()) return image.key;
  std::string key = "@";
  key += std::to_string(reinterpret_cast<std::uintptr_t>(image.pixels.get()));
  return key;
}

}  // namespace

struct Batcher::State {
  const Model& model;
  const BatcherConfig& config;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Request> queue;
  bool stopping = false;
  Stats stats;
  FeatureCache cache;  // the worker's alone
  std::thread worker;

  State(const Model& m, const BatcherConfig& c) : model(m), config(c), cache(c.cacheCapacity) {}

  void run();
  std::vector<Request> nextBatch();
  void execute(std::vector<Request>& batch);
  void resolveFeatures(std::vector<Request>& batch);
  void encodeGroups(std::vector<ImageGroup>& groups, std::vector<std::string>& keys);
  // The model's rows for the ready requests, not yet handed to their callers (a request the
  // model fails on is failed at once).
  std::vector<std::pair<Request*, Probabilities>> answer(std::vector<Request*>& ready);
};

void Batcher::State::run() {
  for (;;) {
    auto batch = nextBatch();
    if (batch.empty()) return;
    try {
      execute(batch);
    } catch (...) {
      // Never let the worker die (std::terminate) or leave a caller waiting forever.
      for (auto& request : batch) {
        if (!request.settled) fail(request, std::current_exception());
      }
    }
  }
}

// Waits for the first request, then for company until maxBatch requests are queued or the first
// has waited maxWait. Requests that queued while the previous batch ran go at once. Empty when
// stopping with nothing left to do.
std::vector<Request> Batcher::State::nextBatch() {
  std::unique_lock lock(mutex);
  wake.wait(lock, [&] { return stopping || !queue.empty(); });
  if (queue.empty()) return {};
  const auto deadline = queue.front().arrival + config.maxWait;
  wake.wait_until(lock, deadline, [&] { return stopping || queue.size() >= config.maxBatch; });
  const auto count = std::min(queue.size(), config.maxBatch);
  std::vector<Request> batch;
  batch.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    batch.push_back(std::move(queue.front()));
    queue.pop_front();
  }
  return batch;
}

void Batcher::State::execute(std::vector<Request>& batch) {
  const auto started = std::chrono::steady_clock::now();
  resolveFeatures(batch);
  std::vector<Request*> ready;
  for (auto& request : batch) {
    if (!request.failed) ready.push_back(&request);
  }
  auto answered = answer(ready);
  // Counted before any caller hears its answer: a caller that then reads the metrics or the
  // stats finds its own forward pass in them.
  if (config.metrics) config.metrics->inferenceRan(batch.size(), std::chrono::steady_clock::now() - started);
  {
    std::lock_guard lock(mutex);
    stats.batches += 1;
    stats.requests += batch.size();
  }
  for (auto& [request, row] : answered) succeed(*request, std::move(row));
}

// Gives every request its image's features: from the cache, or encoded now, once per distinct
// image of the batch (same key, or same pixel buffer when the image has no key).
void Batcher::State::resolveFeatures(std::vector<Request>& batch) {
  if (!model.reusesFeatures()) {
    // A forward-only module takes the pixels themselves: nothing to encode or cache.
    for (auto& request : batch) request.features = std::shared_ptr<const Features>(request.image.pixels, request.image.pixels.get());
    return;
  }
  std::vector<ImageGroup> groups;
  std::vector<std::string> keys;
  std::unordered_map<std::string, std::size_t> byKey;
  std::uint64_t hits = 0;
  for (auto& request : batch) {
    if (auto cached = cache.find(request.image.key)) {
      request.features = std::move(cached);
      ++hits;
      continue;
    }
    auto [it, inserted] = byKey.try_emplace(groupKey(request.image), groups.size());
    if (inserted) {
      groups.push_back({std::span<const float>(*request.image.pixels), {}});
      keys.push_back(request.image.key);
    }
    groups[it->second].requests.push_back(&request);
  }
  encodeGroups(groups, keys);
  std::lock_guard lock(mutex);
  stats.cacheHits += hits;
  stats.imagesEncoded += groups.size();
}

void Batcher::State::encodeGroups(std::vector<ImageGroup>& groups, std::vector<std::string>& keys) {
  if (groups.empty()) return;
  std::vector<std::span<const float>> images;
  for (const auto& group : groups) images.push_back(group.pixels);
  std::vector<Features> rows;
  try {
    rows = model.encode(images);
  } catch (...) {
    // One bad image must not fail the others: encode one by one to find it.
    for (auto& group : groups) {
      try {
        auto row = model.encode(std::span(&group.pixels, 1));
        rows.push_back(std::move(row.front()));
      } catch (...) {
        for (auto* request : group.requests) fail(*request, std::current_exception());
        rows.emplace_back();
      }
    }
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (groups[i].requests.front()->failed) continue;
    auto features = std::make_shared<const Features>(std::move(rows[i]));
    cache.put(keys[i], features);
    for (auto* request : groups[i].requests) request->features = features;
  }
}

std::vector<std::pair<Request*, Probabilities>> Batcher::State::answer(std::vector<Request*>& ready) {
  std::vector<std::pair<Request*, Probabilities>> answered;
  if (ready.empty()) return answered;
  std::vector<std::span<const float>> features;
  std::vector<std::span<const std::int64_t>> tokens;
  for (auto* request : ready) {
    features.emplace_back(*request->features);
    tokens.emplace_back(request->tokens);
  }
  std::vector<Probabilities> rows;
  try {
    rows = model.answer(features, tokens);
  } catch (...) {
    // Same rule as encoding: isolate the culprit, answer the rest.
    for (std::size_t i = 0; i < ready.size(); ++i) {
      try {
        answered.emplace_back(ready[i], std::move(model.answer(std::span(&features[i], 1), std::span(&tokens[i], 1)).front()));
      } catch (...) {
        fail(*ready[i], std::current_exception());
      }
    }
    return answered;
  }
  for (std::size_t i = 0; i < ready.size(); ++i) answered.emplace_back(ready[i], std::move(rows[i]));
  return answered;
}

Batcher::Batcher(std::shared_ptr<const Model> model, BatcherConfig config)
    : model_(std::move(model)), config_(config) {
  if (!model_) throw Error(ErrorCode::InvalidArgument, "batcher: no model");
  if (config_.maxBatch == 0) throw Error(ErrorCode::Config, "batcher.max_batch: must be at least 1");
  state_ = std::make_unique<State>(*model_, config_);
  state_->worker = std::thread([state = state_.get()] { state->run(); });
}

Batcher::~Batcher() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  state_->worker.join();
}

std::future<Probabilities> Batcher::submit(ImageInput image, std::vector<std::int64_t> tokens) {
  Request request{std::move(image), std::move(tokens), {}, Clock::now(), nullptr, false, false};
  auto future = request.promise.get_future();
  // Malformed requests fail here, before they can share a batch with anyone.
  const auto length = static_cast<std::size_t>(model_->manifest().tokenizer.maxLength);
  if (!request.image.pixels || request.image.pixels->size() != model_->pixelCount()) {
    fail(request, std::make_exception_ptr(Error(
                      ErrorCode::InvalidArgument,
                      "image has " + std::to_string(request.image.pixels ? request.image.pixels->size() : 0) +
                          " values, model " + model_->manifest().name + " takes " + std::to_string(model_->pixelCount()))));
    return future;
  }
  if (request.tokens.size() != length) {
    fail(request, std::make_exception_ptr(Error(ErrorCode::InvalidArgument,
                                                "token row has " + std::to_string(request.tokens.size()) +
                                                    " ids, model takes " + std::to_string(length))));
    return future;
  }
  {
    std::lock_guard lock(state_->mutex);
    state_->queue.push_back(std::move(request));
  }
  state_->wake.notify_one();
  return future;
}

Batcher::Stats Batcher::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->stats;
}

}  // namespace medvqa::vqa
