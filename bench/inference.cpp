// medvqa-bench-inference: throughput and latency of the VQA runtime on one model folder.
//
//   medvqa-bench-inference [MODEL_DIR] [--device auto|cpu|cuda:N] [--requests N] [--max-wait-us N]
//
// Prints one table:
//   distinct images, batch B   questions/s when every question is about a new image (features
//                              not reusable: encode + answer per question), the batcher capped at B
//   latency                    p50 / p99 of one question on one new image, submitted alone
//                              (Engine::ask on a one-image study: tokenize, batch wait, encode, answer)
//   standing questions         questions/s (question x image) for a study's standing questions asked
//                              again on the same images: features come from the cache
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>

#include "common/error.h"
#include "common/log.h"
#include "vqa/batcher.h"
#include "vqa/engine.h"

namespace {

namespace fs = std::filesystem;
using namespace medvqa::vqa;
using Clock = std::chrono::steady_clock;

// The chest rule's questions, asked about chest radiographs: the engine checks each question's
// type against the study's header, so a study must say what it shows, or the questions are
// refused as not applicable without any inference (and the figures would measure nothing).
const std::vector<std::string> kStandingQuestions = {"Is there a pleural effusion?", "Which side is the effusion on?",
                                                     "Is the heart enlarged?", "Is there a pneumothorax?",
                                                     "How many lung nodules are there?"};

struct Options {
  fs::path model;
  DeviceSpec device;
  int requests = 512;
  std::chrono::microseconds maxWait{2000};
};

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::vector<std::shared_ptr<const std::vector<float>>> noiseImages(const Model& model, int count) {
  std::mt19937 random(42);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<std::shared_ptr<const std::vector<float>>> images;
  for (int i = 0; i < count; ++i) {
    std::vector<float> pixels(model.pixelCount());
    for (auto& value : pixels) value = normal(random);
    images.push_back(std::make_shared<const std::vector<float>>(std::move(pixels)));
  }
  return images;
}

// Every request about its own image, all submitted at once, the batcher capped at `batch`.
double distinctImagesRate(const std::shared_ptr<const Model>& model, const Options& options, std::size_t batch) {
  const auto images = noiseImages(*model, options.requests);
  const auto tokens = model->tokenizer().encode(kStandingQuestions[0]);
  Batcher batcher(model, {.maxBatch = batch, .maxWait = options.maxWait, .cacheCapacity = 0});
  const auto start = Clock::now();
  std::vector<std::future<Probabilities>> futures;
  for (int i = 0; i < options.requests; ++i) {
    futures.push_back(batcher.submit({"bench." + std::to_string(i) + "#0", images[static_cast<std::size_t>(i)]}, tokens));
  }
  for (auto& future : futures) future.get();
  return options.requests / seconds(Clock::now() - start);
}

medvqa::imaging::StudyImages studyOf(const Model& model, const std::vector<std::shared_ptr<const std::vector<float>>>& images,
                                     const std::string& uidPrefix) {
  medvqa::imaging::StudyImages study;
  for (std::size_t i = 0; i < images.size(); ++i) {
    medvqa::imaging::ModelImage image;
    image.sopInstanceUid = uidPrefix + "." + std::to_string(i + 1);
    image.channels = model.manifest().input.channels;
    image.height = model.manifest().input.height;
    image.width = model.manifest().input.width;
    image.pixels = *images[i];
    study.images.push_back(std::move(image));
  }
  study.header = std::make_unique<DcmDataset>();
  study.header->putAndInsertString(DCM_Modality, "CR");
  study.header->putAndInsertString(DCM_BodyPartExamined, "CHEST");
  return study;
}

// Every question must have reached the model: a refusal costs no inference.
void requireInference(const Engine& engine, std::size_t expected, const char* measure) {
  if (engine.stats().requests < expected) {
    throw medvqa::Error(medvqa::ErrorCode::InvalidArgument,
                        std::string(measure) + ": the model was asked " + std::to_string(engine.stats().requests) +
                            " times for " + std::to_string(expected) + " questions (refused questions measure nothing)");
  }
}

// One question on one new image at a time.
std::pair<double, double> latencyMs(const std::shared_ptr<const Model>& model, const Options& options) {
  const Engine engine(model, {.batcher = {.maxBatch = 32, .maxWait = options.maxWait}});
  const int runs = std::max(50, options.requests / 2);
  const auto images = noiseImages(*model, runs);
  std::vector<double> latencies;
  for (int i = 0; i < runs; ++i) {
    const auto study = studyOf(*model, {images[static_cast<std::size_t>(i)]}, "2.25.1." + std::to_string(i));
    const auto start = Clock::now();
    engine.ask(study, kStandingQuestions[static_cast<std::size_t>(i) % kStandingQuestions.size()]);
    latencies.push_back(seconds(Clock::now() - start) * 1000.0);
  }
  requireInference(engine, static_cast<std::size_t>(runs), "latency");
  std::sort(latencies.begin(), latencies.end());
  auto at = [&](double q) { return latencies[static_cast<std::size_t>(q * (latencies.size() - 1))]; };
  return {at(0.50), at(0.99)};
}

// A study's standing questions asked again and again on its images: features from the cache.
std::pair<double, double> standingRate(const std::shared_ptr<const Model>& model, const Options& options, int imageCount) {
  const Engine engine(model, {.batcher = {.maxBatch = 64, .maxWait = options.maxWait}});
  const auto study = studyOf(*model, noiseImages(*model, imageCount), "2.25.2");
  engine.askMany(study, kStandingQuestions);  // encodes the images once
  const int rounds = std::max(10, options.requests / static_cast<int>(kStandingQuestions.size()));
  const auto start = Clock::now();
  for (int i = 0; i < rounds; ++i) engine.askMany(study, kStandingQuestions);
  const double elapsed = seconds(Clock::now() - start);
  requireInference(engine, (rounds + 1) * kStandingQuestions.size() * static_cast<std::size_t>(imageCount), "standing");
  const double questions = static_cast<double>(rounds) * kStandingQuestions.size();
  return {questions * imageCount / elapsed, questions / elapsed};
}

fs::path defaultModel() {
  for (const fs::path candidate : {"models/demo", "build/testmodels/tiny-model"}) {
    if (fs::exists(candidate / "manifest.json")) return candidate;
  }
  return "models/demo";
}

Options parse(int argc, char** argv) {
  Options options;
  options.model = defaultModel();
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw medvqa::Error(medvqa::ErrorCode::InvalidArgument, arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--device") {
      options.device = DeviceSpec::parse(value());
    } else if (arg == "--requests") {
      options.requests = std::max(32, std::atoi(value().c_str()));
    } else if (arg == "--max-wait-us") {
      options.maxWait = std::chrono::microseconds(std::atoi(value().c_str()));
    } else if (arg == "--help" || arg == "-h") {
      std::puts("usage: medvqa-bench-inference [MODEL_DIR] [--device D] [--requests N] [--max-wait-us N]");
      std::exit(0);
    } else {
      options.model = arg;
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto options = parse(argc, argv);
    medvqa::log::setLevel(medvqa::log::Level::Warn);
    const auto loadStart = Clock::now();
    const auto model = Model::load(options.model, {.device = options.device});
    const auto& manifest = model->manifest();
    std::printf("model %s %s (%s) on %s, input %dx%dx%d, load+warm-up %.2f s, %d requests per row\n\n",
                manifest.name.c_str(), manifest.version.c_str(), options.model.c_str(), model->device().c_str(),
                manifest.input.channels, manifest.input.height, manifest.input.width,
                seconds(Clock::now() - loadStart), options.requests);
    std::printf("%-42s %12s\n", "measure", "value");
    for (std::size_t batch : {1u, 8u, 32u}) {
      const auto label = "distinct images, batch " + std::to_string(batch) + " (questions/s)";
      std::printf("%-42s %12.1f\n", label.c_str(), distinctImagesRate(model, options, batch));
    }
    const auto [p50, p99] = latencyMs(model, options);
    std::printf("%-42s %12.2f\n%-42s %12.2f\n", "one question, one image: p50 (ms)", p50,
                "one question, one image: p99 (ms)", p99);
    const int studyImages = 4;
    const auto [pairs, questions] = standingRate(model, options, studyImages);
    std::printf("%-42s %12.1f\n", "standing questions (question x image)/s", pairs);
    std::printf("%-42s %12.1f\n", ("standing questions on a " + std::to_string(studyImages) + "-image study/s").c_str(),
                questions);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "medvqa-bench-inference: %s\n", e.what());
    return 1;
  }
}
