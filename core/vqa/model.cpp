// The only translation unit of core/vqa that sees LibTorch (each one costs ~20 s to compile).
#include "vqa/model.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/script.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "common/log.h"
#include "vqa/model_checksums.h"

namespace medvqa::vqa {

namespace {

// Intra-op threads: MEDVQA_TORCH_THREADS when set (a node that shares its cores with DICOM
// services may want fewer), else one per core: the batcher runs one batch at a time.
int intraOpThreads() {
  if (const char* text = std::getenv("MEDVQA_TORCH_THREADS")) {
    const int requested = std::atoi(text);
    if (requested > 0) return requested;
    log::warn(std::string("MEDVQA_TORCH_THREADS=") + text + " is not a positive number; using one thread per core");
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Torch's thread pools are process-wide and the inter-op pool can be sized only before its first
// use, so the sizes are set once, for the whole process, by the first model loaded.
void configureTorchThreadsOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    at::set_num_threads(intraOpThreads());
    try {
      at::set_num_interop_threads(1);
    } catch (const c10::Error&) {
      // Already in use (an embedding process ran torch before us): keep its setting.
    }
  });
}

torch::Device resolveDevice(const DeviceSpec& spec) {
  const bool cuda = torch::cuda::is_available();
  switch (spec.kind) {
    case DeviceSpec::Kind::Cpu: return torch::Device(torch::kCPU);
    case DeviceSpec::Kind::Auto: return cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    case DeviceSpec::Kind::Cuda: break;
  }
  if (!cuda) {
    throw Error(ErrorCode::InvalidArgument,
                "device " + spec.toString() + ": CUDA is not available (CPU-only LibTorch build or no GPU)");
  }
  const auto count = static_cast<int>(torch::cuda::device_count());
  if (spec.index >= count) {
    throw Error(ErrorCode::InvalidArgument,
                "device " + spec.toString() + ": only " + std::to_string(count) + " CUDA device(s) present");
  }
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(spec.index));
}

std::string shapeOf(const torch::Tensor& tensor) {
  std::string text = "[";
  for (std::int64_t i = 0; i < tensor.dim(); ++i) text += (i ? ", " : "") + std::to_string(tensor.size(i));
  return text + "]";
}

}  // namespace

struct Model::Impl {
  std::filesystem::path folder;
  Manifest manifest;
  Tokenizer tokenizer;
  torch::jit::Module module;
  torch::Device device;
  bool reuses = false;

  Impl(std::filesystem::path f, Manifest m, torch::jit::Module mod, torch::Device d)
      : folder(std::move(f)), manifest(std::move(m)), tokenizer(manifest.tokenizer), module(std::move(mod)),
        device(d), reuses(manifest.reusesFeatures()) {}

  std::int64_t pixels() const {
    return static_cast<std::int64_t>(manifest.input.channels) * manifest.input.height * manifest.input.width;
  }

  // Runs `body`, turning any torch failure into Error(Config) that names the model.
  template <typename Body>
  auto guarded(std::string_view what, Body&& body) const {
    try {
      return body();
    } catch (const c10::Error& e) {
      throw Error(ErrorCode::Config, manifest.name + " " + manifest.version + ": " + std::string(what) +
                                         " failed: " + e.what_without_backtrace());
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      throw Error(ErrorCode::Config,
                  manifest.name + " " + manifest.version + ": " + std::string(what) + " failed: " + e.what());
    }
  }

  torch::Tensor call(const std::string& method, std::vector<c10::IValue> inputs) const {
    // Module::get_method is non-const only because Module is a handle; calls do not mutate it.
    auto& self = const_cast<torch::jit::Module&>(module);
    auto output = self.get_method(method)(std::move(inputs));
    if (!output.isTensor()) throw Error(ErrorCode::Config, "methods: " + method + " does not return a tensor");
    return output.toTensor();
  }

  torch::Tensor imageBatch(std::span<const std::span<const float>> images) const {
    const auto& in = manifest.input;
    auto batch = torch::empty({static_cast<std::int64_t>(images.size()), in.channels, in.height, in.width}, torch::kFloat32);
    float* out = batch.data_ptr<float>();
    for (const auto& image : images) {
      if (static_cast<std::int64_t>(image.size()) != pixels()) {
        throw Error(ErrorCode::InvalidArgument, "image has " + std::to_string(image.size()) + " values, model " +
                                                    manifest.name + " takes " + std::to_string(pixels()));
      }
      out = std::copy(image.begin(), image.end(), out);
    }
    return batch.to(device);
  }

  torch::Tensor rowBatch(std::span<const std::span<const float>> rows, std::int64_t width) const {
    auto batch = torch::empty({static_cast<std::int64_t>(rows.size()), width}, torch::kFloat32);
    float* out = batch.data_ptr<float>();
    for (const auto& row : rows) {
      if (static_cast<std::int64_t>(row.size()) != width) {
        throw Error(ErrorCode::InvalidArgument, "features have " + std::to_string(row.size()) + " values, model " +
                                                    manifest.name + " takes " + std::to_string(width));
      }
      out = std::copy(row.begin(), row.end(), out);
    }
    return batch.to(device);
  }

  torch::Tensor tokenBatch(std::span<const std::span<const std::int64_t>> rows) const {
    const std::int64_t length = manifest.tokenizer.maxLength;
    auto batch = torch::empty({static_cast<std::int64_t>(rows.size()), length}, torch::kInt64);
    std::int64_t* out = batch.data_ptr<std::int64_t>();
    for (const auto& row : rows) {
      if (static_cast<std::int64_t>(row.size()) != length) {
        throw Error(ErrorCode::InvalidArgument, "token row has " + std::to_string(row.size()) + " ids, model " +
                                                    manifest.name + " takes " + std::to_string(length));
      }
      const bool inRange = std::all_of(row.begin(), row.end(), [&](std::int64_t id) { return id >= 0 && id < tokenizer.tokenCount(); });
      if (!inRange) throw Error(ErrorCode::InvalidArgument, "token id out of range [0, " + std::to_string(tokenizer.tokenCount()) + ")");
      out = std::copy(row.begin(), row.end(), out);
    }
    return batch.to(device);
  }

  torch::Tensor encodeTensor(const torch::Tensor& images) const {
    if (!reuses) return images.reshape({images.size(0), -1});
    return call("encode_image", {images});
  }

  torch::Tensor logitsTensor(const torch::Tensor& features, const torch::Tensor& tokens) const {
    if (reuses) return call("answer", {features, tokens});
    const auto& in = manifest.input;
    return call("forward", {features.reshape({features.size(0), in.channels, in.height, in.width}), tokens});
  }

  std::vector<Probabilities> probabilities(const torch::Tensor& logits) const {
    auto rows = torch::softmax(logits.to(torch::kCPU, torch::kFloat32) / manifest.temperature, 1).contiguous();
    const auto count = rows.size(0);
    const auto width = rows.size(1);
    const float* data = rows.data_ptr<float>();
    std::vector<Probabilities> result;
    result.reserve(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) result.emplace_back(data + i * width, data + (i + 1) * width);
    return result;
  }
};

namespace {

using Impl = Model::Impl;

std::vector<QuestionReading> readings(const torch::Tensor& output, const Manifest& manifest) {
  const auto types = static_cast<std::int64_t>(manifest.questionTypes.size()) + 1;
  const auto cpu = output.to(torch::kCPU, torch::kFloat32);
  const auto typeRows = torch::softmax(cpu.narrow(1, 0, types) / manifest.understanding->temperature, 1).contiguous();
  const auto inverse = torch::softmax(cpu.narrow(1, types, 2), 1).select(1, 1).contiguous();
  std::vector<QuestionReading> result;
  result.reserve(static_cast<std::size_t>(cpu.size(0)));
  const float* data = typeRows.data_ptr<float>();
  const float* inv = inverse.data_ptr<float>();
  for (std::int64_t i = 0; i < cpu.size(0); ++i) result.push_back({{data + i * types, data + (i + 1) * types}, inv[i]});
  return result;
}

[[noreturn]] void refuse(const Impl& impl, const std::string& message) {
  throw Error(ErrorCode::Config, (impl.folder / "manifest.json").string() + ": " + message);
}

torch::Tensor zeroImages(const Impl& impl, std::int64_t batch) {
  const auto& in = impl.manifest.input;
  return torch::zeros({batch, in.channels, in.height, in.width}, torch::kFloat32).to(impl.device);
}

torch::Tensor padTokens(const Impl& impl, std::int64_t batch) {
  return torch::zeros({batch, impl.manifest.tokenizer.maxLength}, torch::kInt64).to(impl.device);
}

// Runs one probe of the module, refusing the manifest with `field` named when the module fails.
torch::Tensor probe(const Impl& impl, const std::string& field, const std::string& what,
                    const std::function<torch::Tensor()>& body) {
  try {
    return body();
  } catch (const c10::Error& e) {
    refuse(impl, field + ": " + what + " failed: " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    refuse(impl, field + ": " + what + " failed: " + e.what());
  }
}

void checkLogits(const Impl& impl, const torch::Tensor& logits, std::int64_t batch, const std::string& method) {
  const auto answers = static_cast<std::int64_t>(impl.manifest.answers.size());
  if (logits.dim() != 2 || logits.size(0) != batch) {
    refuse(impl, "answers: " + method + " gives logits of shape " + shapeOf(logits) + ", expected [" +
                     std::to_string(batch) + ", " + std::to_string(answers) + "]");
  }
  if (logits.size(1) != answers) {
    refuse(impl, "answers: module gives " + std::to_string(logits.size(1)) + " logits, manifest lists " +
                     std::to_string(answers));
  }
}

void checkMethods(const Impl& impl) {
  for (const auto& method : impl.manifest.methods) {
    if (!impl.module.find_method(method)) refuse(impl, "methods: module has no method \"" + method + "\"");
  }
}

void checkEncoder(const Impl& impl) {
  if (!impl.manifest.hasMethod("encode_image")) return;
  auto features = probe(impl, "input", "encode_image on a zero image",
                        [&] { return impl.call("encode_image", {zeroImages(impl, 1)}); });
  if (features.dim() != 2 || features.size(0) != 1 || features.size(1) != impl.manifest.featureSize) {
    refuse(impl, "feature_size: module gives features of shape " + shapeOf(features) + ", manifest says [1, " +
                     std::to_string(impl.manifest.featureSize) + "]");
  }
}

// understand(<pad> tokens) must give one logit per question type, one for "none" and two for
// polarity: a module exported for another type list is refused at load, not at the first question.
void checkUnderstanding(const Impl& impl) {
  if (!impl.manifest.understanding) return;
  const auto expected = static_cast<std::int64_t>(impl.manifest.questionTypes.size()) + 3;
  auto output = probe(impl, "methods", "understand on <pad> tokens", [&] { return impl.call("understand", {padTokens(impl, 2)}); });
  if (output.dim() != 2 || output.size(0) != 2 || output.size(1) != expected) {
    refuse(impl, "question_types: understand gives shape " + shapeOf(output) + ", expected [2, " + std::to_string(expected) +
                     "] (the question types, \"none\", then 2 polarity logits)");
  }
}

// The contract's checks: methods exist, forward (and answer) on a zero image and <pad> tokens give
// one logit per answer, encode_image gives feature_size columns, the batch dimension is free
// (a module traced at batch 1 is refused here, not at the first batch), and the largest token id
// the tokenizer emits fits the module's embedding.
void validateAgainstModule(const Impl& impl) {
  checkMethods(impl);
  auto logits = probe(impl, "input", "forward on a zero image and <pad> tokens",
                      [&] { return impl.call("forward", {zeroImages(impl, 1), padTokens(impl, 1)}); });
  checkLogits(impl, logits, 1, "forward");
  checkEncoder(impl);
  checkUnderstanding(impl);
  if (impl.reuses) {
    auto viaAnswer = probe(impl, "methods", "answer(encode_image(zero image), <pad> tokens)",
                           [&] { return impl.logitsTensor(impl.encodeTensor(zeroImages(impl, 1)), padTokens(impl, 1)); });
    checkLogits(impl, viaAnswer, 1, "answer");
  }
  auto batched = probe(impl, "input", "a batch of 2 (was the module traced at a fixed batch size?)",
                       [&] { return impl.logitsTensor(impl.encodeTensor(zeroImages(impl, 2)), padTokens(impl, 2)); });
  checkLogits(impl, batched, 2, impl.reuses ? "answer" : "forward");
  const auto largest = impl.tokenizer.tokenCount() - 1;
  probe(impl, "tokenizer", "token id " + std::to_string(largest) + " (vocabulary + ngram.buckets - 1)", [&] {
    return impl.logitsTensor(impl.encodeTensor(zeroImages(impl, 1)), padTokens(impl, 1).fill_(largest));
  });
}

// TorchScript's profiling executor profiles and re-optimises a method over its first calls;
// without this the first requests of a fresh node take several times the steady latency.
void warmUp(const Impl& impl, int calls) {
  for (int i = 0; i < calls; ++i) {
    const std::int64_t batch = (i % 2 == 0) ? 1 : 4;
    impl.logitsTensor(impl.encodeTensor(zeroImages(impl, batch)), padTokens(impl, batch));
    if (impl.manifest.understanding) impl.call("understand", {padTokens(impl, batch)});
  }
}

torch::jit::Module loadModule(const std::filesystem::path& file, const Manifest& manifest, torch::Device device) {
  if (!std::filesystem::is_regular_file(file)) {
    throw Error(ErrorCode::NotFound, "model module not found: " + file.string() + " (manifest \"module\")");
  }
  try {
    auto module = torch::jit::load(file.string(), device);
    module.eval();
    return module;
  } catch (const c10::Error& e) {
    throw Error(ErrorCode::Config, manifest.name + " " + manifest.version + ": cannot load " + file.string() +
                                       " as TorchScript: " + e.what_without_backtrace());
  }
}

}  // namespace

std::shared_ptr<const Model> Model::load(const std::filesystem::path& folder, ModelLoadOptions options) {
  if (!std::filesystem::is_directory(folder)) throw Error(ErrorCode::NotFound, "model folder not found: " + folder.string());
  configureTorchThreadsOnce();
  auto manifest = loadManifest(folder);
  verifyChecksums(folder, manifest.module);
  const auto device = resolveDevice(options.device);
  c10::InferenceMode inference;
  auto module = loadModule(folder / manifest.module, manifest, device);
  auto impl = std::make_unique<Impl>(folder, std::move(manifest), std::move(module), device);
  validateAgainstModule(*impl);
  warmUp(*impl, options.warmupCalls);
  log::info("model " + impl->manifest.name + " " + impl->manifest.version + " loaded from " + folder.string() +
            " on " + device.str());
  return std::shared_ptr<const Model>(new Model(std::move(impl)));
}

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

const Manifest& Model::manifest() const { return impl_->manifest; }
const Tokenizer& Model::tokenizer() const { return impl_->tokenizer; }
std::string Model::device() const { return impl_->device.str(); }
bool Model::reusesFeatures() const { return impl_->reuses; }
std::size_t Model::pixelCount() const { return static_cast<std::size_t>(impl_->pixels()); }
std::size_t Model::featureWidth() const {
  return impl_->reuses ? static_cast<std::size_t>(impl_->manifest.featureSize) : pixelCount();
}

std::vector<Features> Model::encode(std::span<const std::span<const float>> images) const {
  if (images.empty()) return {};
  return impl_->guarded("encode_image", [&] {
    c10::InferenceMode inference;
    auto features = impl_->encodeTensor(impl_->imageBatch(images)).to(torch::kCPU, torch::kFloat32).contiguous();
    const auto width = features.size(1);
    const float* data = features.data_ptr<float>();
    std::vector<Features> rows;
    rows.reserve(images.size());
    for (std::int64_t i = 0; i < features.size(0); ++i) rows.emplace_back(data + i * width, data + (i + 1) * width);
    return rows;
  });
}

std::vector<Probabilities> Model::answer(std::span<const std::span<const float>> features,
                                         std::span<const std::span<const std::int64_t>> tokens) const {
  if (features.size() != tokens.size()) {
    throw Error(ErrorCode::InvalidArgument, "answer: " + std::to_string(features.size()) + " feature rows but " +
                                                std::to_string(tokens.size()) + " token rows");
  }
  if (features.empty()) return {};
  return impl_->guarded(impl_->reuses ? "answer" : "forward", [&] {
    c10::InferenceMode inference;
    const auto width = static_cast<std::int64_t>(featureWidth());
    return impl_->probabilities(impl_->logitsTensor(impl_->rowBatch(features, width), impl_->tokenBatch(tokens)));
  });
}

std::vector<QuestionReading> Model::understand(std::span<const std::span<const std::int64_t>> tokens) const {
  if (!understands()) {
    throw Error(ErrorCode::InvalidArgument, impl_->manifest.name + " " + impl_->manifest.version + " exports no understand method");
  }
  if (tokens.empty()) return {};
  return impl_->guarded("understand", [&] {
    c10::InferenceMode inference;
    return readings(impl_->call("understand", {impl_->tokenBatch(tokens)}), impl_->manifest);
  });
}

std::vector<Probabilities> Model::predict(std::span<const std::span<const float>> images,
                                          std::span<const std::span<const std::int64_t>> tokens) const {
  if (images.size() != tokens.size()) {
    throw Error(ErrorCode::InvalidArgument, "predict: " + std::to_string(images.size()) + " images but " +
                                                std::to_string(tokens.size()) + " token rows");
  }
  if (images.empty()) return {};
  return impl_->guarded("forward", [&] {
    c10::InferenceMode inference;
    return impl_->probabilities(impl_->logitsTensor(impl_->encodeTensor(impl_->imageBatch(images)), impl_->tokenBatch(tokens)));
  });
}

}  // namespace medvqa::vqa
