// Decoding every transfer syntax the node accepts against an uncompressed reference of the same
// pixels, plus the pixel-module variants (signed, rescale, MONOCHROME1, colour, multi-frame) and
// broken pixel data.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>

#include "common/error.h"
#include "imaging/dicom_file.h"
#include "imaging/j2k_decoder.h"
#include "imaging/model_image.h"
#include "imaging/pixel_decoder.h"
#include "test_imaging_support.h"

namespace medvqa::imaging {
namespace {

using testing::TempDir;
using testing::TestImage;

std::vector<float> unitPixels(const std::filesystem::path& file, const ImageSpec& spec, int frame = 0) {
  auto format = loadDicomFile(file, Load::Complete);
  return decodeToUnit(*format->getDataset(), spec, {frame}).at(0).pixels;
}

std::vector<float> modality(const std::filesystem::path& file, int frame = 0) {
  auto format = loadDicomFile(file, Load::Complete);
  return modalityValues(*format->getDataset(), frame);
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) worst = std::max(worst, std::abs(double(a[i]) - b[i]));
  return worst;
}

double meanAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) sum += std::abs(double(a[i]) - b[i]);
  return a.empty() ? 0.0 : sum / double(a.size());
}

// A CT-like image: 12 bits stored in 16, unsigned, rescaled to HU, with a window in the file.
TestImage ctImage(bool isSigned) {
  TestImage image;
  image.rows = 48;
  image.columns = 40;  // not square: a swapped rows/columns shows
  image.bitsStored = isSigned ? 16 : 12;
  image.isSigned = isSigned;
  image.samples = isSigned ? testing::phantom(image.rows, image.columns, 1, 1, -1024, 3000)
                           : testing::phantom(image.rows, image.columns, 1, 1, 0, 4000);
  return image;
}

std::unique_ptr<DcmFileFormat> ctFile(bool isSigned) {
  auto format = testing::makeFile(ctImage(isSigned));
  DcmDataset& ds = *format->getDataset();
  ds.putAndInsertString(DCM_RescaleIntercept, isSigned ? "0" : "-1024");
  ds.putAndInsertString(DCM_RescaleSlope, "1");
  ds.putAndInsertString(DCM_WindowCenter, "40");
  ds.putAndInsertString(DCM_WindowWidth, "400");
  return format;
}

struct LosslessCase {
  const char* name;
  E_TransferSyntax xfer;
  bool isSigned;
};

class ImagingLosslessSyntax : public ::testing::TestWithParam<LosslessCase> {};

// Pixel-exact: the modality values (rescaled raw values) and the [0,1] image before resize.
TEST_P(ImagingLosslessSyntax, DecodesExactlyAsTheUncompressedReference) {
  const LosslessCase& c = GetParam();
  TempDir dir;
  const auto reference = testing::writeFile(*ctFile(c.isSigned), dir / "reference.dcm", EXS_LittleEndianExplicit);
  std::filesystem::path encoded;
  if (c.xfer == EXS_JPEG2000LosslessOnly) {
    TestImage image = ctImage(c.isSigned);
    encoded = testing::writeJ2k(image, dir / "encoded.dcm", true);
    // writeJ2k starts from the same pixels; give it the same header values.
    auto format = loadDicomFile(encoded, Load::Complete);
    DcmDataset& ds = *format->getDataset();
    ds.putAndInsertString(DCM_RescaleIntercept, c.isSigned ? "0" : "-1024");
    ds.putAndInsertString(DCM_RescaleSlope, "1");
    ds.putAndInsertString(DCM_WindowCenter, "40");
    ds.putAndInsertString(DCM_WindowWidth, "400");
    ASSERT_TRUE(format->saveFile((dir / "encoded2.dcm").c_str(), EXS_JPEG2000LosslessOnly).good());
    encoded = dir / "encoded2.dcm";
  } else {
    encoded = testing::writeFile(*ctFile(c.isSigned), dir / "encoded.dcm", c.xfer);
  }
  ASSERT_EQ(loadDicomFile(encoded, Load::Header)->getDataset()->getOriginalXfer(), c.xfer);

  const std::vector<float> expected = modality(reference);
  ASSERT_EQ(expected.size(), 48ul * 40ul);
  EXPECT_EQ(modality(encoded), expected);
  const ImageSpec spec;
  EXPECT_EQ(unitPixels(encoded, spec), unitPixels(reference, spec));
}

INSTANTIATE_TEST_SUITE_P(ImagingSyntaxes, ImagingLosslessSyntax,
                         ::testing::Values(LosslessCase{"ImplicitLE", EXS_LittleEndianImplicit, false},
                                           LosslessCase{"ExplicitBE", EXS_BigEndianExplicit, false},
                                           LosslessCase{"ExplicitBESigned", EXS_BigEndianExplicit, true},
                                           LosslessCase{"Deflated", EXS_DeflatedLittleEndianExplicit, false},
                                           LosslessCase{"JpegLosslessSV1", EXS_JPEGProcess14SV1, false},
                                           LosslessCase{"JpegLosslessSV1Signed", EXS_JPEGProcess14SV1, true},
                                           LosslessCase{"JpegLsLossless", EXS_JPEGLSLossless, false},
                                           LosslessCase{"JpegLsLosslessSigned", EXS_JPEGLSLossless, true},
                                           LosslessCase{"Rle", EXS_RLELossless, false},
                                           LosslessCase{"RleSigned", EXS_RLELossless, true},
                                           LosslessCase{"J2kLossless", EXS_JPEG2000LosslessOnly, false},
                                           LosslessCase{"J2kLosslessSigned", EXS_JPEG2000LosslessOnly, true}),
                         [](const ::testing::TestParamInfo<LosslessCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ImagingDecode, ExplicitLittleEndianModalityValuesAreStoredTimesSlopePlusIntercept) {
  TempDir dir;
  const auto file = testing::writeFile(*ctFile(false), dir / "ct.dcm", EXS_LittleEndianExplicit);
  const std::vector<float> values = modality(file);
  const TestImage image = ctImage(false);
  ASSERT_EQ(values.size(), image.samples.size());
  for (std::size_t i = 0; i < values.size(); ++i) ASSERT_EQ(values[i], float(image.samples[i] - 1024)) << i;
}

TEST(ImagingDecode, JpegLsNearLosslessStaysWithinItsDeviation) {
  TempDir dir;
  const auto reference = testing::writeFile(*ctFile(false), dir / "reference.dcm", EXS_LittleEndianExplicit);
  const auto encoded = testing::writeFile(*ctFile(false), dir / "near.dcm", EXS_JPEGLSLossy, 2);
  const double worst = maxAbsDiff(modality(encoded), modality(reference));
  EXPECT_LE(worst, 2.0);  // NEAR = 2 bounds every sample's error
  EXPECT_GT(worst, 0.0);  // and it really was lossy
}

TEST(ImagingDecode, JpegBaselineEightBitIsCloseToTheReference) {
  TestImage image;
  image.rows = 64;
  image.columns = 64;
  image.bitsAllocated = image.bitsStored = 8;
  image.modality = "CR";
  image.samples = testing::phantom(64, 64, 1, 1, 0, 255);
  TempDir dir;
  const auto reference = testing::writeFile(*testing::makeFile(image), dir / "reference.dcm", EXS_LittleEndianExplicit);
  const auto encoded = testing::writeFile(*testing::makeFile(image), dir / "baseline.dcm", EXS_JPEGProcess1, 90);
  const ImageSpec spec;  // CR without a window: min/max of each image
  const auto a = unitPixels(encoded, spec), b = unitPixels(reference, spec);
  EXPECT_LT(meanAbsDiff(a, b), 0.02);
  EXPECT_LT(maxAbsDiff(a, b), 0.15);
}

TEST(ImagingDecode, JpegExtendedTwelveBitIsCloseToTheReference) {
  TempDir dir;
  const auto reference = testing::writeFile(*ctFile(false), dir / "reference.dcm", EXS_LittleEndianExplicit);
  const auto encoded = testing::writeFile(*ctFile(false), dir / "extended.dcm", EXS_JPEGProcess2_4, 90);
  const auto a = modality(encoded), b = modality(reference);
  EXPECT_LT(meanAbsDiff(a, b), 4000 * 0.01);
  EXPECT_LT(maxAbsDiff(a, b), 4000 * 0.1);
}

TEST(ImagingDecode, J2kLossyIsCloseToTheReferenceAndClamped) {
  TestImage image = ctImage(false);
  TempDir dir;
  const auto reference = testing::writeFile(*testing::makeFile(image), dir / "reference.dcm", EXS_LittleEndianExplicit);
  const auto encoded = testing::writeJ2k(image, dir / "lossy.dcm", false, 8.0f);
  const auto a = modality(encoded), b = modality(reference);
  EXPECT_GT(maxAbsDiff(a, b), 0.0);
  EXPECT_LT(meanAbsDiff(a, b), 4000 * 0.01);
  EXPECT_LT(maxAbsDiff(a, b), 4000 * 0.1);
}

// Hard 0 / 4095 edges ring under the 9/7 wavelet. OpenJPEG clips the ringing to the sample range;
// core/imaging relies on that (a sample of -3 kept in 12 bits would read as 4093: black to white).
TEST(ImagingDecode, J2kLossyRingingStaysInTheSampleRange) {
  TestImage image;
  image.rows = image.columns = 32;
  image.bitsStored = 12;
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x) image.samples.push_back(((x / 4 + y / 4) % 2) ? 4095 : 0);
  const J2kImage raw = decodeJ2k(testing::encodeJ2k(image, 0, false, 4.0f));
  EXPECT_TRUE(std::all_of(raw.samples.begin(), raw.samples.end(), [](std::int32_t v) { return v >= 0 && v <= 4095; }));
  TempDir dir;
  const auto values = modality(testing::writeJ2k(image, dir / "edges.dcm", false, 4.0f));
  ASSERT_EQ(values.size(), image.samples.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i)
    worst = std::max(worst, std::abs(double(values[i]) - image.samples[i]));
  EXPECT_GT(worst, 0.0);     // lossy
  EXPECT_LT(worst, 1024.0);  // 511 measured at 4:1; never black for white
}

TEST(ImagingDecode, SignedStoredValuesAreSignExtendedFromBitsStoredThenRescaled) {
  TestImage image;
  image.rows = 1;
  image.columns = 6;
  image.bitsStored = 12;
  image.isSigned = true;
  // 12-bit two's complement in 16-bit words: 0x0FFB is -5, 0x0800 is -2048, 0x07FF is 2047.
  // 0xFFFB has garbage above bit 11 that must be ignored (also -5).
  image.samples = {0x0FFB, 0x0800, 0x07FF, 0, 1, 0xFFFB};
  auto format = testing::makeFile(image);
  format->getDataset()->putAndInsertString(DCM_RescaleSlope, "2");
  format->getDataset()->putAndInsertString(DCM_RescaleIntercept, "-1000");
  const std::vector<float> values = modalityValues(*format->getDataset(), 0);
  const std::vector<float> expected = {-1010, -5096, 3094, -1000, -998, -1010};
  EXPECT_EQ(values, expected);
}

// DCMTK keeps rescaled values in integer types: 0.001 * stored would collapse to 0..3 there.
TEST(ImagingDecode, FractionalRescaleSlopeKeepsFractions) {
  TestImage image;
  image.rows = 1;
  image.columns = 8;
  image.modality = "PT";
  image.samples = {0, 500, 1000, 1500, 2000, 2500, 3000, 3500};
  auto format = testing::makeFile(image);
  DcmDataset& ds = *format->getDataset();
  ds.putAndInsertString(DCM_RescaleSlope, "0.001");
  ds.putAndInsertString(DCM_RescaleIntercept, "0");
  const std::vector<float> values = modalityValues(ds, 0);
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_NEAR(values[i], 0.5 * double(i), 1e-6);
  ds.putAndInsertString(DCM_WindowCenter, "2");  // LINEAR: 0 at x <= -0.5, 1 at x > 3.5
  ds.putAndInsertString(DCM_WindowWidth, "5");
  const std::vector<float> unit = decodeToUnit(ds, ImageSpec{}).at(0).pixels;
  for (std::size_t i = 1; i < unit.size(); ++i)
    EXPECT_GT(unit[i], unit[i - 1]) << "steps " << i - 1 << " and " << i << " merged";
}

TEST(ImagingDecode, ModalityLutSequenceReplacesTheRescale) {
  TestImage image;
  image.rows = 1;
  image.columns = 5;
  image.bitsStored = 12;
  image.modality = "XA";
  image.samples = {0, 1, 2, 3, 9};  // 9 is past the table: its last entry
  auto format = testing::makeFile(image);
  DcmDataset& ds = *format->getDataset();
  ds.putAndInsertString(DCM_RescaleSlope, "100");  // ignored: the LUT wins
  DcmItem* lut = nullptr;
  ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_ModalityLUTSequence, lut, 0).good());
  const Uint16 descriptor[3] = {4, 0, 16};
  const Uint16 data[4] = {10, 500, 1500, 4000};
  lut->putAndInsertUint16Array(DCM_LUTDescriptor, descriptor, 3);
  lut->putAndInsertUint16Array(DCM_LUTData, data, 4);
  lut->putAndInsertString(DCM_ModalityLUTType, "US");
  EXPECT_EQ(modalityValues(ds, 0), (std::vector<float>{10, 500, 1500, 4000, 4000}));
}

TEST(ImagingDecode, PaletteColourIsLookedUp) {
  TestImage image;
  image.rows = 1;
  image.columns = 3;
  image.bitsAllocated = image.bitsStored = 8;
  image.photometric = "PALETTE COLOR";
  image.modality = "US";
  image.samples = {0, 1, 2};
  auto format = testing::makeFile(image);
  DcmDataset& ds = *format->getDataset();
  const Uint16 descriptor[3] = {3, 0, 16};
  const Uint16 red[3] = {0xFFFF, 0, 0}, green[3] = {0, 0xFFFF, 0}, blue[3] = {0, 0, 0xFFFF};
  ds.putAndInsertUint16Array(DCM_RedPaletteColorLookupTableDescriptor, descriptor, 3);
  ds.putAndInsertUint16Array(DCM_GreenPaletteColorLookupTableDescriptor, descriptor, 3);
  ds.putAndInsertUint16Array(DCM_BluePaletteColorLookupTableDescriptor, descriptor, 3);
  ds.putAndInsertUint16Array(DCM_RedPaletteColorLookupTableData, red, 3);
  ds.putAndInsertUint16Array(DCM_GreenPaletteColorLookupTableData, green, 3);
  ds.putAndInsertUint16Array(DCM_BluePaletteColorLookupTableData, blue, 3);
  ImageSpec spec;
  spec.channels = 3;
  const auto rgb = decodeToUnit(ds, spec).at(0).pixels;  // planes R, G, B of 3 pixels
  const std::vector<float> expected{1, 0, 0, 0, 1, 0, 0, 0, 1};
  ASSERT_EQ(rgb.size(), expected.size());
  for (std::size_t i = 0; i < rgb.size(); ++i) EXPECT_NEAR(rgb[i], expected[i], 1e-3) << i;
  spec.channels = 1;
  const auto luma = decodeToUnit(ds, spec).at(0).pixels;
  EXPECT_NEAR(luma[0], 0.299, 1e-3);
  EXPECT_NEAR(luma[1], 0.587, 1e-3);
  EXPECT_NEAR(luma[2], 0.114, 1e-3);
}

TEST(ImagingDecode, Monochrome1IsInvertedSoBrightMeansDense) {
  TestImage image = ctImage(false);
  image.modality = "DX";
  auto mono2 = testing::makeFile(image);
  image.photometric = "MONOCHROME1";
  auto mono1 = testing::makeFile(image);
  for (auto* format : {mono2.get(), mono1.get()}) {
    format->getDataset()->putAndInsertString(DCM_WindowCenter, "2000");
    format->getDataset()->putAndInsertString(DCM_WindowWidth, "3000");
  }
  const ImageSpec spec;
  const auto a = decodeToUnit(*mono2->getDataset(), spec).at(0).pixels;
  const auto b = decodeToUnit(*mono1->getDataset(), spec).at(0).pixels;
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(b[i], 1.0f - a[i], 1e-6f) << i;
  // The same stored value: dark in MONOCHROME1 display terms means dense, so it maps high.
  const auto maxStored = std::max_element(image.samples.begin(), image.samples.end()) - image.samples.begin();
  EXPECT_LT(b[std::size_t(maxStored)], 0.05f);
  EXPECT_GT(a[std::size_t(maxStored)], 0.95f);
}

TEST(ImagingDecode, Monochrome1WithoutWindowInvertsMinMaxToo) {
  TestImage image;
  image.rows = 1;
  image.columns = 3;
  image.photometric = "MONOCHROME1";
  image.modality = "CR";
  image.samples = {100, 200, 300};
  auto format = testing::makeFile(image);
  const auto unit = decodeToUnit(*format->getDataset(), ImageSpec{}).at(0).pixels;
  EXPECT_NEAR(unit[0], 1.0f, 1e-6f);
  EXPECT_NEAR(unit[1], 0.5f, 1e-6f);
  EXPECT_NEAR(unit[2], 0.0f, 1e-6f);
}

TestImage rgbImage(int planar) {
  TestImage image;
  image.rows = 16;
  image.columns = 24;
  image.samplesPerPixel = 3;
  image.bitsAllocated = image.bitsStored = 8;
  image.photometric = "RGB";
  image.modality = "XC";
  image.planarConfiguration = planar;
  const auto interleaved = testing::phantom(16, 24, 1, 3, 0, 255);
  if (planar == 0) {
    image.samples = interleaved;
  } else {
    const std::size_t pixels = 16ul * 24ul;
    image.samples.resize(interleaved.size());
    for (std::size_t i = 0; i < pixels; ++i)
      for (std::size_t c = 0; c < 3; ++c) image.samples[c * pixels + i] = interleaved[3 * i + c];
  }
  return image;
}

TEST(ImagingDecode, RgbBecomesLuminanceForOneChannel) {
  const TestImage image = rgbImage(0);
  auto format = testing::makeFile(image);
  const auto unit = decodeToUnit(*format->getDataset(), ImageSpec{}).at(0);
  ASSERT_EQ(unit.channels, 1);
  ASSERT_EQ(unit.height, 16);
  ASSERT_EQ(unit.width, 24);
  for (std::size_t i = 0; i < unit.pixels.size(); ++i) {
    const double luma =
        (0.299 * image.samples[3 * i] + 0.587 * image.samples[3 * i + 1] + 0.114 * image.samples[3 * i + 2]) / 255.0;
    ASSERT_NEAR(unit.pixels[i], luma, 1e-5) << i;
  }
}

TEST(ImagingDecode, RgbKeepsThreePlanesForThreeChannels) {
  const TestImage image = rgbImage(0);
  auto format = testing::makeFile(image);
  ImageSpec spec;
  spec.channels = 3;
  const auto unit = decodeToUnit(*format->getDataset(), spec).at(0);
  ASSERT_EQ(unit.channels, 3);
  const std::size_t pixels = 16ul * 24ul;
  for (std::size_t i = 0; i < pixels; ++i)
    for (std::size_t c = 0; c < 3; ++c)
      ASSERT_NEAR(unit.pixels[c * pixels + i], image.samples[3 * i + c] / 255.0, 1e-6);
}

TEST(ImagingDecode, PlanarConfigurationDoesNotChangeThePixels) {
  ImageSpec spec;
  spec.channels = 3;
  auto interleaved = testing::makeFile(rgbImage(0));
  auto planar = testing::makeFile(rgbImage(1));
  EXPECT_EQ(decodeToUnit(*planar->getDataset(), spec).at(0).pixels,
            decodeToUnit(*interleaved->getDataset(), spec).at(0).pixels);
}

TEST(ImagingDecode, MonochromeIsRepeatedForThreeChannels) {
  auto format = ctFile(false);
  ImageSpec grey, rgb;
  rgb.channels = 3;
  const auto one = decodeToUnit(*format->getDataset(), grey).at(0).pixels;
  const auto three = decodeToUnit(*format->getDataset(), rgb).at(0).pixels;
  ASSERT_EQ(three.size(), 3 * one.size());
  for (std::size_t c = 0; c < 3; ++c)
    EXPECT_TRUE(std::equal(one.begin(), one.end(), three.begin() + std::ptrdiff_t(c * one.size())));
}

// Y, Cb, Cr from R, G, B per PS3.3 C.7.6.3.1.2 (YBR_FULL), rounded like a writer would.
std::array<int, 3> toYbr(int r, int g, int b) {
  const double y = 0.299 * r + 0.587 * g + 0.114 * b;
  const double cb = -0.168736 * r - 0.331264 * g + 0.5 * b + 128;
  const double cr = 0.5 * r - 0.418688 * g - 0.081312 * b + 128;
  return {int(std::lround(y)), int(std::lround(cb)), int(std::lround(cr))};
}

TEST(ImagingDecode, YbrFullIsConvertedToRgb) {
  const TestImage rgb = rgbImage(0);
  TestImage ybr = rgb;
  ybr.photometric = "YBR_FULL";
  for (std::size_t i = 0; i < rgb.samples.size(); i += 3) {
    const auto v = toYbr(rgb.samples[i], rgb.samples[i + 1], rgb.samples[i + 2]);
    std::copy(v.begin(), v.end(), ybr.samples.begin() + std::ptrdiff_t(i));
  }
  ImageSpec spec;
  spec.channels = 3;
  const auto expected = decodeToUnit(*testing::makeFile(rgb)->getDataset(), spec).at(0).pixels;
  const auto actual = decodeToUnit(*testing::makeFile(ybr)->getDataset(), spec).at(0).pixels;
  EXPECT_LT(maxAbsDiff(actual, expected), 2.5 / 255.0);  // rounding of Y, Cb, Cr
}

TEST(ImagingDecode, YbrFull422IsUpsampledAndConverted) {
  // Pixel pairs share their chroma in 4:2:2; give each pair one colour so nothing is lost.
  TestImage rgb = rgbImage(0);
  for (std::size_t i = 0; i < rgb.samples.size(); i += 6)
    std::copy(rgb.samples.begin() + std::ptrdiff_t(i), rgb.samples.begin() + std::ptrdiff_t(i + 3),
              rgb.samples.begin() + std::ptrdiff_t(i + 3));
  TestImage ybr = rgb;
  ybr.photometric = "YBR_FULL_422";
  ybr.samples.clear();
  for (std::size_t i = 0; i < rgb.samples.size(); i += 6) {
    const auto v = toYbr(rgb.samples[i], rgb.samples[i + 1], rgb.samples[i + 2]);
    for (int s : {v[0], v[0], v[1], v[2]}) ybr.samples.push_back(s);  // Y1 Y2 Cb Cr
  }
  ImageSpec spec;
  spec.channels = 3;
  const auto expected = decodeToUnit(*testing::makeFile(rgb)->getDataset(), spec).at(0).pixels;
  const auto actual = decodeToUnit(*testing::makeFile(ybr)->getDataset(), spec).at(0).pixels;
  EXPECT_LT(maxAbsDiff(actual, expected), 2.5 / 255.0);
}

TEST(ImagingDecode, ColourJpegBaselineAndJ2kMatchTheRgbReference) {
  const TestImage rgb = rgbImage(0);
  TempDir dir;
  ImageSpec spec;
  spec.channels = 3;
  const auto expected =
      unitPixels(testing::writeFile(*testing::makeFile(rgb), dir / "ref.dcm", EXS_LittleEndianExplicit), spec);
  // DCMTK's JPEG encoder stores colour as YBR_FULL_422; the decoder hands RGB back.
  const auto jpeg =
      unitPixels(testing::writeFile(*testing::makeFile(rgb), dir / "jpeg.dcm", EXS_JPEGProcess1, 95), spec);
  EXPECT_LT(meanAbsDiff(jpeg, expected), 0.03);
  // JPEG 2000 with the reversible colour transform (YBR_RCT) is exact.
  EXPECT_EQ(unitPixels(testing::writeJ2k(rgb, dir / "rct.dcm", true), spec), expected);
  const auto ict = unitPixels(testing::writeJ2k(rgb, dir / "ict.dcm", false, 6.0f), spec);
  EXPECT_LT(meanAbsDiff(ict, expected), 0.03);
}

TestImage multiFrame() {
  TestImage image = ctImage(false);
  image.frames = 3;
  image.samples = testing::phantom(image.rows, image.columns, 3, 1, 0, 4000);
  return image;
}

TestImage frameOf(const TestImage& multi, int frame) {
  TestImage single = multi;
  single.frames = 1;
  const std::size_t n = std::size_t(multi.rows) * std::size_t(multi.columns);
  single.samples.assign(multi.samples.begin() + std::ptrdiff_t(n * std::size_t(frame)),
                        multi.samples.begin() + std::ptrdiff_t(n * std::size_t(frame + 1)));
  return single;
}

TEST(ImagingDecode, MultiFrameGivesTheAskedFramesInOrder) {
  const TestImage multi = multiFrame();
  TempDir dir;
  const ImageSpec spec;
  std::vector<std::filesystem::path> files = {
      testing::writeFile(*testing::makeFile(multi), dir / "native.dcm", EXS_LittleEndianExplicit),
      testing::writeFile(*testing::makeFile(multi), dir / "rle.dcm", EXS_RLELossless),
      testing::writeFile(*testing::makeFile(multi), dir / "jpegls.dcm", EXS_JPEGLSLossless),
      testing::writeJ2k(multi, dir / "j2k.dcm", true)};
  for (const auto& file : files) {
    auto format = loadDicomFile(file, Load::Complete);
    const auto units = decodeToUnit(*format->getDataset(), spec, {2, 0});
    ASSERT_EQ(units.size(), 2u) << file;
    for (std::size_t k = 0; k < 2; ++k) {
      auto single = testing::makeFile(frameOf(multi, k == 0 ? 2 : 0));
      EXPECT_EQ(units[k].pixels, decodeToUnit(*single->getDataset(), spec).at(0).pixels) << file << " #" << k;
    }
  }
}

TEST(ImagingDecode, J2kFramesSplitIntoFragmentsWithoutOffsetTable) {
  TestImage multi = multiFrame();
  multi.rows = multi.columns = 64;
  multi.samples = testing::phantom(64, 64, 3, 1, 0, 4000);
  TempDir dir;
  const auto file = testing::writeJ2k(multi, dir / "fragments.dcm", true, 0.0f, 3);
  auto format = loadDicomFile(file, Load::Complete);
  DcmPixelData* pixels = nullptr;
  DcmPixelSequence* sequence = nullptr;
  DcmElement* element = nullptr;
  ASSERT_TRUE(format->getDataset()->findAndGetElement(DCM_PixelData, element).good());
  pixels = dynamic_cast<DcmPixelData*>(element);
  ASSERT_TRUE(pixels->getEncapsulatedRepresentation(EXS_JPEG2000LosslessOnly, nullptr, sequence).good());
  ASSERT_GT(sequence->card(), 1u + 3u) << "the test needs more fragments than frames";
  const auto units = decodeToUnit(*format->getDataset(), ImageSpec{}, {1});
  auto single = testing::makeFile(frameOf(multi, 1));
  EXPECT_EQ(units.at(0).pixels, decodeToUnit(*single->getDataset(), ImageSpec{}).at(0).pixels);
}

TEST(ImagingDecode, FrameOutOfRangeIsInvalidArgument) {
  auto format = testing::makeFile(multiFrame());
  try {
    decodeToUnit(*format->getDataset(), ImageSpec{}, {3});
    FAIL() << "frame 3 of 3 accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
  }
}

TEST(ImagingDecode, NoPixelDataIsInvalidArgument) {
  auto format = ctFile(false);
  format->getDataset()->findAndDeleteElement(DCM_PixelData);
  try {
    decodeToUnit(*format->getDataset(), ImageSpec{});
    FAIL() << "decoded an instance without pixel data";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
  }
}

ErrorCode errorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return ErrorCode::Config;
}

TEST(ImagingDecode, ShortNativePixelDataIsRefusedNotPadded) {
  TestImage image = ctImage(false);
  image.samples.resize(image.samples.size() / 2);  // header says 48x40, data holds half
  auto format = testing::makeFile(image);
  EXPECT_EQ(errorOf([&] { decodeToUnit(*format->getDataset(), ImageSpec{}); }), ErrorCode::Dicom);
}

TEST(ImagingDecode, TruncatedFileIsADicomError) {
  TempDir dir;
  const auto file = testing::writeFile(*ctFile(false), dir / "whole.dcm", EXS_LittleEndianExplicit);
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 1000);
  EXPECT_EQ(errorOf([&] { prepareFile(file, ImageSpec{}); }), ErrorCode::Dicom);
}

TEST(ImagingDecode, CorruptJ2kCodestreamIsADicomError) {
  TempDir dir;
  const auto file = testing::writeJ2k(ctImage(false), dir / "j2k.dcm", true);
  // Cut the codestream in the middle, fragment length and all (a truncated transfer).
  auto format = loadDicomFile(file, Load::Complete);
  DcmElement* element = nullptr;
  ASSERT_TRUE(format->getDataset()->findAndGetElement(DCM_PixelData, element).good());
  DcmPixelSequence* sequence = nullptr;
  ASSERT_TRUE(dynamic_cast<DcmPixelData*>(element)
                  ->getEncapsulatedRepresentation(EXS_JPEG2000LosslessOnly, nullptr, sequence)
                  .good());
  DcmPixelItem* fragment = nullptr;
  ASSERT_TRUE(sequence->getItem(fragment, 1).good());
  Uint8* bytes = nullptr;
  fragment->getUint8Array(bytes);
  std::vector<Uint8> half(bytes, bytes + fragment->getLength() / 2);
  fragment->putUint8Array(half.data(), Uint32(half.size()));
  EXPECT_EQ(errorOf([&] { decodeToUnit(*format->getDataset(), ImageSpec{}); }), ErrorCode::Dicom);
}

TEST(ImagingDecode, CorruptJpegLsFragmentIsADicomError) {
  TempDir dir;
  const auto file = testing::writeFile(*ctFile(false), dir / "jls.dcm", EXS_JPEGLSLossless);
  auto format = loadDicomFile(file, Load::Complete);
  DcmElement* element = nullptr;
  ASSERT_TRUE(format->getDataset()->findAndGetElement(DCM_PixelData, element).good());
  DcmPixelSequence* sequence = nullptr;
  ASSERT_TRUE(dynamic_cast<DcmPixelData*>(element)
                  ->getEncapsulatedRepresentation(EXS_JPEGLSLossless, nullptr, sequence)
                  .good());
  DcmPixelItem* fragment = nullptr;
  ASSERT_TRUE(sequence->getItem(fragment, 1).good());
  std::vector<Uint8> garbage(fragment->getLength() / 4, 0xFF);
  fragment->putUint8Array(garbage.data(), Uint32(garbage.size()));
  EXPECT_EQ(errorOf([&] { decodeToUnit(*format->getDataset(), ImageSpec{}); }), ErrorCode::Dicom);
}

TEST(ImagingDecode, NotDicomAndMissingFilesAreTold) {
  TempDir dir;
  std::ofstream(dir / "notes.txt") << "not an image, just some words long enough to be parsed as tags";
  EXPECT_EQ(errorOf([&] { prepareFile(dir / "notes.txt", ImageSpec{}); }), ErrorCode::Dicom);
  EXPECT_EQ(errorOf([&] { prepareFile(dir / "absent.dcm", ImageSpec{}); }), ErrorCode::NotFound);
}

TEST(ImagingDecode, PrepareFileGivesEveryFrameResizedAndNamed) {
  const TestImage multi = multiFrame();
  TempDir dir;
  const auto file = testing::writeFile(*testing::makeFile(multi), dir / "multi.dcm", EXS_LittleEndianExplicit);
  ImageSpec spec;
  spec.height = 32;
  spec.width = 16;
  const auto images = prepareFile(file, spec);
  ASSERT_EQ(images.size(), 3u);
  for (int f = 0; f < 3; ++f) {
    EXPECT_EQ(images[std::size_t(f)].frame, f);
    EXPECT_EQ(images[std::size_t(f)].sopInstanceUid, multi.sopUid);
    EXPECT_EQ(images[std::size_t(f)].seriesInstanceUid, multi.seriesUid);
    EXPECT_EQ(images[std::size_t(f)].channels, 1);
    EXPECT_EQ(images[std::size_t(f)].height, 32);
    EXPECT_EQ(images[std::size_t(f)].width, 16);
    EXPECT_EQ(images[std::size_t(f)].pixels.size(), 32ul * 16ul);
  }
  EXPECT_NE(images[0].pixels, images[2].pixels);
}

TEST(ImagingDecode, BadSpecIsInvalidArgument) {
  ImageSpec spec;
  spec.channels = 2;
  EXPECT_EQ(errorOf([&] { validate(spec); }), ErrorCode::InvalidArgument);
  spec = ImageSpec{};
  spec.std = 0.0f;
  EXPECT_EQ(errorOf([&] { validate(spec); }), ErrorCode::InvalidArgument);
  spec = ImageSpec{};
  spec.windowByModality["CT"] = {40, 0};
  EXPECT_EQ(errorOf([&] { validate(spec); }), ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace medvqa::imaging
