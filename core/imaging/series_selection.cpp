#include "imaging/series_selection.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "common/error.h"

namespace medvqa::imaging {
namespace {

double along(const std::array<double, 3>& position, const std::array<double, 3>& normal) {
  return position[0] * normal[0] + position[1] * normal[1] + position[2] * normal[2];
}

std::tuple<int, int, const std::string&> fallbackKey(const Slice& s) {
  return {s.instanceNumber.value_or(std::numeric_limits<int>::max()), s.frame, s.tieBreak};
}

// The centres of `picks` equal runs of `count` slices: floor((i + 0.5) * count / picks).
// With picks == 1 that is count / 2, the middle slice, so Even with count 1 equals Middle.
std::vector<std::size_t> evenlySpaced(std::size_t count, std::size_t picks) {
  if (picks >= count) picks = count;
  std::vector<std::size_t> indices;
  indices.reserve(picks);
  for (std::size_t i = 0; i < picks; ++i) indices.push_back((2 * i + 1) * count / (2 * picks));
  return indices;
}

}  // namespace

SlicePolicy parseSlicePolicy(std::string_view name) {
  if (name == "middle") return SlicePolicy::Middle;
  if (name == "even") return SlicePolicy::Even;
  if (name == "all") return SlicePolicy::All;
  throw Error(ErrorCode::InvalidArgument,
              "selection.policy: \"" + std::string(name) + "\" is not one of middle, even, all");
}

std::string_view toString(SlicePolicy policy) {
  switch (policy) {
    case SlicePolicy::Middle: return "middle";
    case SlicePolicy::Even: return "even";
    case SlicePolicy::All: return "all";
  }
  return "?";
}

void validate(const SelectionPolicy& policy) {
  if (policy.count < 1) throw Error(ErrorCode::InvalidArgument, "selection.count must be >= 1");
  if (policy.cap < 1) throw Error(ErrorCode::InvalidArgument, "selection.cap must be >= 1");
}

void orderSlices(std::vector<Slice>& slices) {
  const auto withNormal =
      std::find_if(slices.begin(), slices.end(), [](const Slice& s) { return s.normal.has_value(); });
  const bool spatial = withNormal != slices.end() &&
                       std::all_of(slices.begin(), slices.end(), [](const Slice& s) { return s.position.has_value(); });
  if (!spatial) {
    std::stable_sort(slices.begin(), slices.end(),
                     [](const Slice& a, const Slice& b) { return fallbackKey(a) < fallbackKey(b); });
    return;
  }
  // One normal for the whole series: every slice is measured on the same axis.
  const std::array<double, 3> normal = *withNormal->normal;
  std::stable_sort(slices.begin(), slices.end(), [&](const Slice& a, const Slice& b) {
    const double da = along(*a.position, normal), db = along(*b.position, normal);
    if (da != db) return da < db;
    return fallbackKey(a) < fallbackKey(b);
  });
}

std::vector<std::size_t> selectSlices(std::size_t count, const SelectionPolicy& policy) {
  validate(policy);
  if (count == 0) return {};
  switch (policy.policy) {
    case SlicePolicy::Middle: return {count / 2};
    case SlicePolicy::Even: return evenlySpaced(count, std::size_t(policy.count));
    case SlicePolicy::All: return evenlySpaced(count, std::size_t(policy.cap));
  }
  return {};
}

}  // namespace medvqa::imaging
