#include "sr/confidence.h"

#include <cmath>
#include <cstdio>

#include "common/error.h"

namespace medvqa::sr {

double checkedConfidence(double value, const std::string& what) {
  if (!std::isfinite(value) || value < 0.0 || value > 1.0) {
    throw Error(ErrorCode::InvalidArgument, what + " must be within [0, 1], got " + std::to_string(value));
  }
  return value;
}

std::string formatConfidence(double value) {
  // "0.97", "1", "1.5e-05": fewer digits until it fits DS's 16 characters (an exponent costs 4).
  char text[32];
  for (int digits = 14;; --digits) {
    const int length = std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (length <= 16 || digits == 1) return text;
  }
}

}  // namespace medvqa::sr
