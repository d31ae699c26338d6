#pragma once

// Where a model runs, as the user says it: "auto" (CUDA when the library and a GPU are there,
// otherwise CPU), "cpu", "cuda" or "cuda:N". Resolved at run time by Model::load, so a CPU-only
// LibTorch build accepts the same flags and refuses "cuda" with a clear error.

#include <string>
#include <string_view>

namespace medvqa::vqa {

struct DeviceSpec {
  enum class Kind { Auto, Cpu, Cuda };
  Kind kind = Kind::Auto;
  int index = 0;  // Cuda only

  // Error(InvalidArgument) naming the value for anything else ("gpu", "cuda:x", "cuda:-1").
  static DeviceSpec parse(std::string_view text);
  std::string toString() const;

  bool operator==(const DeviceSpec&) const = default;
};

}  // namespace medvqa::vqa
