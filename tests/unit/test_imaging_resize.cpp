// Resize (bilinear, antialiased when shrinking) and normalisation.
#include <gtest/gtest.h>

#include <numeric>

#include "imaging/model_image.h"
#include "imaging/resize.h"

namespace medvqa::imaging {
namespace {

std::vector<float> resize(const std::vector<float>& in, int h, int w, int outH, int outW) {
  std::vector<float> out(std::size_t(outH) * std::size_t(outW), -1.0f);
  resizeBilinear(in, h, w, out, outH, outW);
  return out;
}

TEST(ImagingResize, SameSizeIsAnExactCopy) {
  std::vector<float> in(6ul * 5ul);
  std::iota(in.begin(), in.end(), 0.37f);
  EXPECT_EQ(resize(in, 6, 5, 6, 5), in);
}

// Upsampling is plain bilinear with pixel centres aligned (PyTorch align_corners=False).
TEST(ImagingResize, UpsamplingInterpolatesBetweenCentres) {
  const auto out = resize({0.0f, 1.0f}, 1, 2, 1, 4);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_FLOAT_EQ(out[0], 0.0f);   // left of the first centre: clamped
  EXPECT_FLOAT_EQ(out[1], 0.25f);  // source x = 0.25
  EXPECT_FLOAT_EQ(out[2], 0.75f);
  EXPECT_FLOAT_EQ(out[3], 1.0f);
}

// Shrinking 4 -> 2 widens the triangle to 2 source pixels (as PIL's bilinear): output 0 sits at
// source x = 1.0 and weighs pixels 0, 1, 2 by 0.75, 0.75, 0.25.
TEST(ImagingResize, DownsamplingAveragesEverySourcePixel) {
  const auto out = resize({1.0f, 2.0f, 4.0f, 8.0f}, 1, 4, 1, 2);
  EXPECT_NEAR(out[0], (0.75 * 1 + 0.75 * 2 + 0.25 * 4) / 1.75, 1e-6);
  EXPECT_NEAR(out[1], (0.25 * 2 + 0.75 * 4 + 0.75 * 8) / 1.75, 1e-6);
  // A one-pixel line survives a 4x shrink (plain bilinear would sample two pixels in four and
  // could miss it entirely).
  std::vector<float> line(16ul * 16ul, 0.0f);
  for (int y = 0; y < 16; ++y) line[std::size_t(y) * 16 + 7] = 1.0f;
  const auto small = resize(line, 16, 16, 4, 4);
  EXPECT_GT(small[1] + small[2], 0.2f);
}

TEST(ImagingResize, ConstantStaysConstantAtAnySize) {
  const std::vector<float> in(37ul * 53ul, 0.42f);
  for (auto [h, w] : {std::pair{128, 128}, std::pair{5, 300}, std::pair{1, 1}})
    for (float v : resize(in, 37, 53, h, w)) ASSERT_NEAR(v, 0.42f, 1e-6f);
}

TEST(ImagingResize, RowsAndColumnsAreNotSwapped) {
  // A vertical ramp (value = row) in a wide image keeps rising downwards after the resize.
  std::vector<float> in(4ul * 10ul);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 10; ++x) in[std::size_t(y) * 10 + std::size_t(x)] = float(y);
  const auto out = resize(in, 4, 10, 8, 5);
  for (int x = 0; x < 5; ++x) {
    EXPECT_FLOAT_EQ(out[std::size_t(x)], 0.0f);
    EXPECT_FLOAT_EQ(out[7ul * 5ul + std::size_t(x)], 3.0f);
    EXPECT_FLOAT_EQ(out[3ul * 5ul + std::size_t(x)], 1.25f);  // output row 3: source y = 1.75 - 0.5
  }
}

TEST(ImagingResize, ModelImageIsResizedPerChannelThenNormalised) {
  UnitImage unit;
  unit.channels = 3;
  unit.height = 2;
  unit.width = 2;
  unit.pixels = {0, 0, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1};
  ImageSpec spec;
  spec.height = 3;
  spec.width = 5;
  spec.mean = 0.5f;
  spec.std = 0.25f;
  const ModelImage image = toModelImage(unit, spec);
  EXPECT_EQ(image.channels, 3);
  EXPECT_EQ(image.height, 3);
  EXPECT_EQ(image.width, 5);
  ASSERT_EQ(image.pixels.size(), 3ul * 15ul);
  for (std::size_t i = 0; i < 15; ++i) {
    EXPECT_NEAR(image.pixels[i], -2.0f, 1e-6f);      // (0 - 0.5) / 0.25
    EXPECT_NEAR(image.pixels[15 + i], 0.0f, 1e-6f);  // (0.5 - 0.5) / 0.25
    EXPECT_NEAR(image.pixels[30 + i], 2.0f, 1e-6f);
  }
}

}  // namespace
}  // namespace medvqa::imaging
