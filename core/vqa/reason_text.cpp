#include "vqa/reason_text.h"

#include <algorithm>
#include <cstdio>

namespace medvqa::vqa {

std::string twoDecimals(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

std::string spokenTypeName(std::string_view name) {
  std::string text(name);
  std::replace(text.begin(), text.end(), '_', ' ');
  return text;
}

}  // namespace medvqa::vqa
