// Core's JPEG 2000 encoder (what medvqa-gen writes its j2k corpora with) against core's decoder:
// lossless is exact for every sample layout, lossy stays close, and the encapsulated pixel data
// decodes back to the same pixels.
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "common/error.h"
#include "imaging/j2k_decoder.h"
#include "imaging/j2k_encoder.h"
#include "imaging/j2k_pixel_data.h"
#include "synth/random.h"

namespace medvqa::imaging {
namespace {

J2kImage noiseImage(int width, int height, int components, int precision, bool isSigned, std::uint64_t seed) {
  J2kImage image{width, height, components, precision, isSigned, {}};
  synth::Rng rng(seed);
  const std::int32_t lo = isSigned ? -(1 << (precision - 1)) : 0;
  const std::int32_t hi = isSigned ? (1 << (precision - 1)) - 1 : (1 << precision) - 1;
  for (int i = 0; i < width * height * components; ++i) image.samples.push_back(rng.integer(lo, hi));
  return image;
}

TEST(ImagingJ2kEncoder, LosslessDecodesToTheSameSamples) {
  struct Layout {
    int components, precision;
    bool isSigned;
  };
  for (const Layout l : {Layout{1, 16, true}, Layout{1, 12, false}, Layout{1, 8, false}, Layout{3, 8, false}}) {
    const J2kImage in = noiseImage(37, 20, l.components, l.precision, l.isSigned, 7);
    const std::vector<std::uint8_t> codestream = encodeJ2k(in);
    ASSERT_TRUE(startsJ2kCodestream(codestream));
    const J2kImage out = decodeJ2k(codestream);
    EXPECT_EQ(out.width, in.width);
    EXPECT_EQ(out.height, in.height);
    EXPECT_EQ(out.components, in.components);
    EXPECT_EQ(out.precision, in.precision);
    EXPECT_EQ(out.isSigned, in.isSigned);
    EXPECT_EQ(out.samples, in.samples) << l.components << " x " << l.precision << " bits";
  }
}

TEST(ImagingJ2kEncoder, LossyStaysCloseAndIsSmaller) {
  J2kImage in{64, 64, 1, 12, false, {}};
  synth::Rng rng(11);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) in.samples.push_back(40 * x + 20 * y + rng.integer(0, 15));  // a noisy ramp
  const auto lossless = encodeJ2k(in);
  const auto lossy = encodeJ2k(in, {.lossless = false, .ratio = 8.0f});
  EXPECT_LT(lossy.size(), lossless.size());
  const J2kImage out = decodeJ2k(lossy);
  ASSERT_EQ(out.samples.size(), in.samples.size());
  double error = 0;
  for (std::size_t i = 0; i < in.samples.size(); ++i) error += std::abs(out.samples[i] - in.samples[i]);
  EXPECT_LT(error / double(in.samples.size()), 64.0);  // of 4096 levels
}

TEST(ImagingJ2kEncoder, RefusesWhatItCannotEncode) {
  EXPECT_THROW(encodeJ2k(J2kImage{4, 4, 2, 8, false, std::vector<std::int32_t>(32)}), Error);  // 2 components
  EXPECT_THROW(encodeJ2k(J2kImage{4, 4, 1, 8, false, std::vector<std::int32_t>(15)}), Error);  // too few samples
}

TEST(ImagingJ2kEncoder, EncapsulatedPixelDataDecodesBack) {
  const J2kImage frame = noiseImage(16, 8, 1, 16, true, 3);
  DcmDataset dataset;
  dataset.putAndInsertUint16(DCM_Rows, 8);
  dataset.putAndInsertUint16(DCM_Columns, 16);
  dataset.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  dataset.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  dataset.putAndInsertUint16(DCM_BitsAllocated, 16);
  dataset.putAndInsertUint16(DCM_BitsStored, 16);
  dataset.putAndInsertUint16(DCM_HighBit, 15);
  dataset.putAndInsertUint16(DCM_PixelRepresentation, 1);
  putJpeg2000PixelData(dataset, {encodeJ2k(frame)}, true);
  // As a reader would see it after loading a file saved in 1.2.840.10008.1.2.4.90.
  ASSERT_TRUE(dataset.chooseRepresentation(EXS_JPEG2000LosslessOnly, nullptr).good());
  dataset.updateOriginalXfer();
  ASSERT_TRUE(hasJpeg2000PixelData(dataset));

  decodeJpeg2000PixelData(dataset, {0});
  const Uint16* words = nullptr;
  unsigned long count = 0;
  ASSERT_TRUE(dataset.findAndGetUint16Array(DCM_PixelData, words, &count).good());
  ASSERT_EQ(count, frame.samples.size());
  for (unsigned long i = 0; i < count; ++i) ASSERT_EQ(std::int16_t(words[i]), frame.samples[i]) << i;
}

}  // namespace
}  // namespace medvqa::imaging
