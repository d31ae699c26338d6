#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "imaging/study_images.h"

namespace medvqa::imaging {

// One slice of a series: a single-frame instance, or one frame of a multi-frame instance.
struct Slice {
  std::size_t instance = 0;  // the caller's index of the instance
  int frame = 0;
  std::optional<std::array<double, 3>> position;  // Image Position (Patient)
  std::optional<std::array<double, 3>> normal;    // slice normal of its instance
  std::optional<int> instanceNumber;
  std::string tieBreak;  // last resort for a stable order (the file path)
};

// Throws Error(InvalidArgument) naming the field: count and cap must be >= 1.
void validate(const SelectionPolicy& policy);

// Orders one series' slices in space: by position along the slice normal when every slice has a
// position and the series an orientation, else by Instance Number (missing ones last). Ties go
// to Instance Number, then frame, then tieBreak, so the order never depends on file order.
void orderSlices(std::vector<Slice>& slices);

// Which of `count` ordered slices the policy keeps: indices, ascending, distinct.
std::vector<std::size_t> selectSlices(std::size_t count, const SelectionPolicy& policy);

}  // namespace medvqa::imaging
