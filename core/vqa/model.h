#pragma once

// A loaded TorchScript VQA model: its manifest, its tokenizer and the module on one device.
// Torch stays behind the pimpl: including this header costs nothing.
//
// Thread safety: every method is const and may be called from several threads; the Batcher
// normally is the only caller so that requests share batches.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vqa/device.h"
#include "vqa/manifest.h"
#include "vqa/tokenizer.h"

namespace medvqa::vqa {

// What the runtime keeps per image: encode_image's feature row (feature_size floats), or, for a
// module without encode_image/answer, the preprocessed pixels themselves (C*H*W floats).
using Features = std::vector<float>;
// One softmax row over the manifest's answers, after the temperature.
using Probabilities = std::vector<float>;

// What the model's `understand` method reads in one question (manifest format 2): the
// probability of each question type and, last, of "none of these" (with the understanding
// temperature), and the probability that the question is asked with inverse polarity.
struct QuestionReading {
  std::vector<float> typeProbabilities;  // question types + 1
  float inverseProbability = 0.0f;
};

struct ModelLoadOptions {
  DeviceSpec device;
  int warmupCalls = 20;  // TorchScript's profiling executor is slow for its first few calls
};

class Model {
 public:
  // Reads FOLDER/manifest.json, loads the module on the device, checks the manifest against the
  // module (methods, answers, feature_size, input shape) and warms it up. Throws Error(NotFound)
  // for a missing folder or module file, Error(Config) naming the field on a mismatch or a bad
  // manifest, Error(InvalidArgument) for an unavailable device.
  static std::shared_ptr<const Model> load(const std::filesystem::path& folder, ModelLoadOptions options = {});
  static std::shared_ptr<const Model> load(const std::filesystem::path& folder, DeviceSpec device) {
    return load(folder, ModelLoadOptions{.device = device});
  }

  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const Manifest& manifest() const;
  const Tokenizer& tokenizer() const;
  std::string device() const;  // "cpu", "cuda:0"
  // True when features are encode_image rows that every question about the image reuses.
  bool reusesFeatures() const;
  // Floats per Features row: feature_size, or C*H*W without encode_image.
  std::size_t featureWidth() const;
  std::size_t pixelCount() const;  // C*H*W

  // One Features row per image (each pixelCount() floats). Error(InvalidArgument) for a wrong
  // size; Error(Config) with the model's name and version when the module fails.
  std::vector<Features> encode(std::span<const std::span<const float>> images) const;
  // One probability row per (features, tokens) pair; tokens are maxLength ids each.
  std::vector<Probabilities> answer(std::span<const std::span<const float>> features,
                                    std::span<const std::span<const std::int64_t>> tokens) const;
  // One reading per token row. Error(InvalidArgument) when the module exports no `understand`.
  std::vector<QuestionReading> understand(std::span<const std::span<const std::int64_t>> tokens) const;
  bool understands() const { return manifest().understanding.has_value(); }
  // encode + answer in one call (forward when the module has no encode_image).
  std::vector<Probabilities> predict(std::span<const std::span<const float>> images,
                                     std::span<const std::span<const std::int64_t>> tokens) const;

  struct Impl;

 private:
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace medvqa::vqa
