// Ordering a series' slices in space and the three selection policies.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "common/error.h"
#include "imaging/series_selection.h"

namespace medvqa::imaging {
namespace {

constexpr std::array<double, 3> kAxialNormal{0, 0, 1};

std::vector<std::size_t> instancesOf(const std::vector<Slice>& slices) {
  std::vector<std::size_t> order;
  order.reserve(slices.size());
  for (const Slice& s : slices) order.push_back(s.instance);
  return order;
}

TEST(ImagingSelection, OrdersByPositionAlongTheNormalWhateverTheFileOrder) {
  std::vector<Slice> slices;
  for (std::size_t i = 0; i < 9; ++i)  // instance i at z = 10 * i - 40, instance numbers reversed
    slices.push_back({i, 0, std::array<double, 3>{0, 0, 10.0 * double(i) - 40}, kAxialNormal, int(9 - i), "f"});
  std::shuffle(slices.begin(), slices.end(), std::mt19937(7));
  orderSlices(slices);
  EXPECT_EQ(instancesOf(slices), (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(ImagingSelection, ObliqueSeriesUsesTheNormalNotZ) {
  // Rows along x, columns along (0, cos 60, -sin 60): normal = (0, sin 60, cos 60) ~ (0, .866, .5).
  const std::array<double, 3> normal{0, 0.8660254, 0.5};
  std::vector<Slice> slices;
  // Slices stepping along the normal but with z decreasing: z order would be backwards.
  for (std::size_t i = 0; i < 4; ++i) {
    const double d = double(i);
    slices.push_back({i, 0, std::array<double, 3>{5, 2.0 * d, -0.3 * d}, normal, 1, "f"});
  }
  std::reverse(slices.begin(), slices.end());
  orderSlices(slices);
  EXPECT_EQ(instancesOf(slices), (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(ImagingSelection, FallsBackToInstanceNumberWhenAPositionIsMissing) {
  std::vector<Slice> slices = {
      {0, 0, std::array<double, 3>{0, 0, 30}, kAxialNormal, 1, "a"},
      {1, 0, std::nullopt, kAxialNormal, 3, "b"},
      {2, 0, std::array<double, 3>{0, 0, 10}, kAxialNormal, 2, "c"},
      {3, 0, std::array<double, 3>{0, 0, 20}, kAxialNormal, std::nullopt, "d"},  // no number: last
  };
  orderSlices(slices);
  EXPECT_EQ(instancesOf(slices), (std::vector<std::size_t>{0, 2, 1, 3}));
}

TEST(ImagingSelection, MultiFrameFramesAreSlicesInFrameOrder) {
  std::vector<Slice> slices;
  for (int f : {3, 0, 2, 1}) slices.push_back({0, f, std::nullopt, std::nullopt, 1, "mf"});
  orderSlices(slices);
  for (int f = 0; f < 4; ++f) EXPECT_EQ(slices[std::size_t(f)].frame, f);
}

TEST(ImagingSelection, EqualPositionsAreTieBrokenDeterministically) {
  std::vector<Slice> a = {{0, 0, std::array<double, 3>{0, 0, 5}, kAxialNormal, 2, "x"},
                          {1, 0, std::array<double, 3>{0, 0, 5}, kAxialNormal, 1, "y"}};
  std::vector<Slice> b = {a[1], a[0]};
  orderSlices(a);
  orderSlices(b);
  EXPECT_EQ(instancesOf(a), (std::vector<std::size_t>{1, 0}));
  EXPECT_EQ(instancesOf(b), instancesOf(a));
}

TEST(ImagingSelection, MiddlePolicy) {
  const SelectionPolicy middle{SlicePolicy::Middle, 1, 16};
  EXPECT_EQ(selectSlices(1, middle), (std::vector<std::size_t>{0}));
  EXPECT_EQ(selectSlices(5, middle), (std::vector<std::size_t>{2}));
  EXPECT_EQ(selectSlices(4, middle), (std::vector<std::size_t>{2}));
  EXPECT_TRUE(selectSlices(0, middle).empty());
}

TEST(ImagingSelection, EvenPolicyTakesTheCentresOfEqualRuns) {
  EXPECT_EQ(selectSlices(9, {SlicePolicy::Even, 3, 16}), (std::vector<std::size_t>{1, 4, 7}));
  EXPECT_EQ(selectSlices(10, {SlicePolicy::Even, 4, 16}), (std::vector<std::size_t>{1, 3, 6, 8}));
  EXPECT_EQ(selectSlices(7, {SlicePolicy::Even, 1, 16}), selectSlices(7, {SlicePolicy::Middle, 1, 16}));
  EXPECT_EQ(selectSlices(3, {SlicePolicy::Even, 5, 16}), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(ImagingSelection, AllPolicyIsCappedEvenly) {
  const auto all = selectSlices(10, {SlicePolicy::All, 1, 16});
  EXPECT_EQ(all.size(), 10u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(all.back(), 9u);
  EXPECT_EQ(selectSlices(100, {SlicePolicy::All, 1, 4}), (std::vector<std::size_t>{12, 37, 62, 87}));
}

TEST(ImagingSelection, PolicyNamesAndLimits) {
  EXPECT_EQ(parseSlicePolicy("middle"), SlicePolicy::Middle);
  EXPECT_EQ(parseSlicePolicy("even"), SlicePolicy::Even);
  EXPECT_EQ(parseSlicePolicy("all"), SlicePolicy::All);
  for (auto p : {SlicePolicy::Middle, SlicePolicy::Even, SlicePolicy::All}) EXPECT_EQ(parseSlicePolicy(toString(p)), p);
  EXPECT_THROW(parseSlicePolicy("Middle "), Error);
  EXPECT_THROW(selectSlices(5, {SlicePolicy::Even, 0, 16}), Error);
  EXPECT_THROW(selectSlices(5, {SlicePolicy::All, 1, 0}), Error);
}

}  // namespace
}  // namespace medvqa::imaging
