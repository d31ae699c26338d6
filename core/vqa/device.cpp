#include "vqa/device.h"

#include <charconv>

#include "common/error.h"

namespace medvqa::vqa {

DeviceSpec DeviceSpec::parse(std::string_view text) {
  if (text == "auto") return {Kind::Auto, 0};
  if (text == "cpu") return {Kind::Cpu, 0};
  if (text == "cuda") return {Kind::Cuda, 0};
  constexpr std::string_view kPrefix = "cuda:";
  if (text.starts_with(kPrefix)) {
    const auto digits = text.substr(kPrefix.size());
    int index = -1;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (error == std::errc() && end == digits.data() + digits.size() && !digits.empty() && index >= 0) {
      return {Kind::Cuda, index};
    }
  }
  throw Error(ErrorCode::InvalidArgument,
              "device: expected auto, cpu, cuda or cuda:N, got \"" + std::string(text) + "\"");
}

std::string DeviceSpec::toString() const {
  switch (kind) {
    case Kind::Auto: return "auto";
    case Kind::Cpu: return "cpu";
    case Kind::Cuda: return "cuda:" + std::to_string(index);
  }
  return "auto";
}

}  // namespace medvqa::vqa
