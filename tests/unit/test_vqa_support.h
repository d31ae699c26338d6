#pragma once

// Shared by the Vqa* unit tests: where the tiny TorchScript models are (written by the CTest
// fixture tiny_model, tests/support/make_tiny_model.py), and small in-memory inputs.

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "imaging/study_images.h"
#include "vqa/model.h"

namespace medvqa::vqa::test {

// build/bin/medvqa_unit_tests -> build/testmodels/<name>, whether run by CTest or by hand.
inline std::filesystem::path tinyModelFolder(const std::string& name = "tiny-model") {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "testmodels" / name;
}

// One model per process: loading (and warming up) costs a little, and tests only read it.
inline std::shared_ptr<const Model> tinyModel() {
  static const auto model = Model::load(tinyModelFolder(), {.device = DeviceSpec::parse("cpu")});
  return model;
}

inline std::shared_ptr<const Model> tinyForwardModel() {
  static const auto model = Model::load(tinyModelFolder("tiny-model-forward"), {.device = DeviceSpec::parse("cpu")});
  return model;
}

// A seeded noise image of the model's input size.
inline std::vector<float> noiseImage(const Model& model, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> pixels(model.pixelCount());
  for (auto& value : pixels) value = normal(random);
  return pixels;
}

// A study of `count` noise images (SOP Instance UIDs 1.2.3.<seed>.<i>), no header.
inline imaging::StudyImages noiseStudy(const Model& model, int count, unsigned seed) {
  imaging::StudyImages study;
  study.studyInstanceUid = "1.2.3." + std::to_string(seed);
  const auto& input = model.manifest().input;
  for (int i = 0; i < count; ++i) {
    imaging::ModelImage image;
    image.sopInstanceUid = study.studyInstanceUid + "." + std::to_string(i + 1);
    image.seriesInstanceUid = study.studyInstanceUid + ".0";
    image.channels = input.channels;
    image.height = input.height;
    image.width = input.width;
    image.pixels = noiseImage(model, seed * 1000 + static_cast<unsigned>(i));
    study.images.push_back(std::move(image));
  }
  return study;
}

}  // namespace medvqa::vqa::test
