#pragma once

// A confidence as an SR NUM holds it: a ratio in [0, 1], DS text plus the exact FD.

#include <string>

namespace medvqa::sr {

// `value` when it is a finite number in [0, 1]; Error(InvalidArgument) naming `what` otherwise.
double checkedConfidence(double value, const std::string& what);

// The Numeric Value (DS, at most 16 characters): up to 14 significant digits, shortest form.
std::string formatConfidence(double value);

}  // namespace medvqa::sr
