#pragma once

// Pieces of the refusal reasons a radiologist reads (unsupported, uncertain): one way to write a
// probability and a question type's name in every reason.

#include <string>
#include <string_view>

namespace medvqa::vqa {

std::string twoDecimals(double value);         // 0.6606 -> "0.66"
std::string spokenTypeName(std::string_view name);  // "effusion_presence" -> "effusion presence"

}  // namespace medvqa::vqa
