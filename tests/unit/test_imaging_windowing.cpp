// VOI: the window formulas against hand-computed values and against DCMTK's own rendering, and
// which VOI a frame gets (file LUT, file window, model default, min/max).
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <gtest/gtest.h>

#include <cmath>

#include "imaging/model_image.h"
#include "imaging/voi.h"
#include "imaging/windowing.h"
#include "test_imaging_support.h"

namespace medvqa::imaging {
namespace {

using testing::TestImage;

TEST(ImagingWindow, LinearMatchesTheStandardsFormula) {
  const Window soft{40, 400, VoiFunction::Linear};  // borders: -160 and 239
  EXPECT_FLOAT_EQ(windowed(-1000, soft), 0.0f);
  EXPECT_FLOAT_EQ(windowed(-160, soft), 0.0f);
  EXPECT_NEAR(windowed(-159, soft), (-159 - 39.5) / 399.0 + 0.5, 1e-7);  // 0.0025063
  EXPECT_NEAR(windowed(40, soft), 0.5 / 399.0 + 0.5, 1e-7);              // 0.5012531
  EXPECT_FLOAT_EQ(windowed(239, soft), 1.0f);
  EXPECT_FLOAT_EQ(windowed(240, soft), 1.0f);
}

TEST(ImagingWindow, WidthOneIsAStepAtCenterMinusHalf) {
  const Window step{100, 1, VoiFunction::Linear};
  EXPECT_FLOAT_EQ(windowed(99.5, step), 0.0f);
  EXPECT_FLOAT_EQ(windowed(99.6, step), 1.0f);
  std::vector<float> in{99, 99.5f, 100, 101}, out(4);
  applyWindow(in, step, false, out);
  EXPECT_EQ(out, (std::vector<float>{0, 0, 1, 1}));
}

TEST(ImagingWindow, LinearExactAndSigmoid) {
  const Window exact{0, 100, VoiFunction::LinearExact};
  EXPECT_FLOAT_EQ(windowed(-50, exact), 0.0f);
  EXPECT_FLOAT_EQ(windowed(0, exact), 0.5f);
  EXPECT_FLOAT_EQ(windowed(25, exact), 0.75f);
  EXPECT_FLOAT_EQ(windowed(60, exact), 1.0f);
  const Window sigmoid{10, 40, VoiFunction::Sigmoid};
  EXPECT_FLOAT_EQ(windowed(10, sigmoid), 0.5f);
  EXPECT_NEAR(windowed(20, sigmoid), 1.0 / (1.0 + std::exp(-1.0)), 1e-7);  // 0.7310586
  EXPECT_NEAR(windowed(0, sigmoid), 1.0 / (1.0 + std::exp(1.0)), 1e-7);
}

TEST(ImagingWindow, FastPathAgreesWithTheFormulaAndInverts) {
  std::vector<float> in;
  for (int x = -1200; x <= 1200; x += 7) in.push_back(float(x) + 0.25f);
  for (const Window& w : {Window{40, 400, VoiFunction::Linear}, Window{-600, 1500, VoiFunction::LinearExact},
                          Window{300, 80, VoiFunction::Sigmoid}}) {
    std::vector<float> out(in.size()), inverted(in.size());
    applyWindow(in, w, false, out);
    applyWindow(in, w, true, inverted);
    for (std::size_t i = 0; i < in.size(); ++i) {
      ASSERT_NEAR(out[i], windowed(in[i], w), 2e-6) << in[i];
      ASSERT_NEAR(inverted[i], 1.0f - out[i], 2e-6) << in[i];
    }
  }
}

TEST(ImagingWindow, MinMaxSpansTheImage) {
  const std::vector<float> values{-50, 0, 150};
  const Window w = minMaxWindow(values);
  std::vector<float> out(3);
  applyWindow(values, w, false, out);
  EXPECT_FLOAT_EQ(out[0], 0.0f);
  EXPECT_FLOAT_EQ(out[1], 0.25f);
  EXPECT_FLOAT_EQ(out[2], 1.0f);
  const std::vector<float> flat{7, 7};
  applyWindow(flat, minMaxWindow(flat), false, out);
  EXPECT_FLOAT_EQ(out[0], 0.0f);
}

// A CT row of known HU values: stored = HU + 1024.
std::unique_ptr<DcmFileFormat> ctRow(const std::vector<int>& hu, const char* center, const char* width) {
  TestImage image;
  image.rows = 1;
  image.columns = int(hu.size());
  image.bitsStored = 12;
  for (int v : hu) image.samples.push_back(v + 1024);
  auto format = testing::makeFile(image);
  DcmDataset& ds = *format->getDataset();
  ds.putAndInsertString(DCM_RescaleIntercept, "-1024");
  ds.putAndInsertString(DCM_RescaleSlope, "1");
  if (center) ds.putAndInsertString(DCM_WindowCenter, center);
  if (width) ds.putAndInsertString(DCM_WindowWidth, width);
  return format;
}

std::vector<float> unit(DcmDataset& ds, const ImageSpec& spec = {}) {
  return decodeToUnit(ds, spec).at(0).pixels;
}

TEST(ImagingWindow, FileWindowFirstValueIsUsed) {
  const std::vector<int> hu{-1000, -160, -159, 40, 239, 240, 1000};
  auto format = ctRow(hu, "40\\-600", "400\\1500");  // soft tissue first, lung second
  const auto out = unit(*format->getDataset());
  for (std::size_t i = 0; i < hu.size(); ++i) EXPECT_NEAR(out[i], windowed(hu[i], Window{40, 400}), 1e-6) << hu[i];
  EXPECT_NEAR(out[3], 0.5012531, 1e-6);
}

TEST(ImagingWindow, ModelDefaultWhenTheFileHasNoWindowElseMinMax) {
  auto format = ctRow({-1000, 0, 40, 1000}, nullptr, nullptr);
  ImageSpec spec;
  spec.windowByModality["CT"] = {40, 400};
  auto out = unit(*format->getDataset(), spec);
  EXPECT_FLOAT_EQ(out[0], 0.0f);
  EXPECT_NEAR(out[2], 0.5012531, 1e-6);
  EXPECT_FLOAT_EQ(out[3], 1.0f);
  EXPECT_EQ(windowToUnit(*format->getDataset(), 0, spec, std::vector<float>{0}, false, out), VoiSource::SpecWindow);

  spec.windowByModality = {{"MR", {500, 1000}}};  // not this modality: the image's range
  out = unit(*format->getDataset(), spec);
  EXPECT_FLOAT_EQ(out[0], 0.0f);
  EXPECT_NEAR(out[1], 0.5f, 1e-6);
  EXPECT_FLOAT_EQ(out[3], 1.0f);
}

TEST(ImagingWindow, UnusableFileWindowFallsBack) {
  auto format = ctRow({-1000, 1000}, "40", "0");  // width 0 is not a LINEAR window
  const auto out = unit(*format->getDataset());
  EXPECT_FLOAT_EQ(out[0], 0.0f);  // min/max
  EXPECT_FLOAT_EQ(out[1], 1.0f);
}

TEST(ImagingWindow, VoiLutFunctionFromTheFile) {
  auto format = ctRow({-10, 0, 10}, "0", "40");
  format->getDataset()->putAndInsertString(DCM_VOILUTFunction, "SIGMOID");
  auto out = unit(*format->getDataset());
  EXPECT_NEAR(out[1], 0.5, 1e-6);
  EXPECT_NEAR(out[2], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
  format->getDataset()->putAndInsertString(DCM_VOILUTFunction, "LINEAR_EXACT");
  out = unit(*format->getDataset());
  EXPECT_NEAR(out[0], 0.25, 1e-6);
  EXPECT_NEAR(out[2], 0.75, 1e-6);
}

void addVoiLut(DcmDataset& ds, Uint16 count, Uint16 first, Uint16 bits, const std::vector<Uint16>& data) {
  DcmItem* item = nullptr;
  ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_VOILUTSequence, item, 0).good());
  const Uint16 descriptor[3] = {count, first, bits};
  ASSERT_TRUE(item->putAndInsertUint16Array(DCM_LUTDescriptor, descriptor, 3).good());
  ASSERT_TRUE(item->putAndInsertUint16Array(DCM_LUTData, data.data(), data.size()).good());
}

TEST(ImagingWindow, FileVoiLutIsPreferredAndClampedAtBothEnds) {
  TestImage image;
  image.rows = 1;
  image.columns = 6;
  image.modality = "CR";
  image.samples = {0, 10, 11, 12, 13, 500};
  auto format = testing::makeFile(image);
  DcmDataset& ds = *format->getDataset();
  ds.putAndInsertString(DCM_WindowCenter, "100");  // present, but the LUT wins
  ds.putAndInsertString(DCM_WindowWidth, "50");
  addVoiLut(ds, 4, 10, 8, {0, 51, 204, 255});
  std::vector<float> out(6);
  const std::vector<float> stored{0, 10, 11, 12, 13, 500};
  EXPECT_EQ(windowToUnit(ds, 0, ImageSpec{}, stored, false, out), VoiSource::FileLut);
  const std::vector<float> expected{0, 0, 0.2f, 0.8f, 1, 1};
  const auto decoded = unit(ds);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_NEAR(decoded[i], expected[i], 1e-6) << i;
}

TEST(ImagingWindow, VoiLutWithNegativeFirstMappedStoredAsUs) {
  auto format = ctRow({-1000, -999, -998, 0}, nullptr, nullptr);
  // first mapped -1000 written as US 0xFC18 (the descriptor's usual VR); 12-bit entries
  addVoiLut(*format->getDataset(), 3, Uint16(-1000), 12, {0, 2048, 4095});
  const auto out = unit(*format->getDataset());
  EXPECT_NEAR(out[0], 0.0, 1e-6);
  EXPECT_NEAR(out[1], 2048.0 / 4095.0, 1e-6);
  EXPECT_NEAR(out[2], 1.0, 1e-6);
  EXPECT_NEAR(out[3], 1.0, 1e-6);
}

// Verifies DCMTK and us on the same formula: DicomImage's 16-bit output of the file's window
// (its VOI LINEAR, Supplement 33) against our float pipeline, for MONOCHROME2 and MONOCHROME1.
TEST(ImagingWindow, AgreesWithDcmtkRenderingForIntegerData) {
  for (const char* photometric : {"MONOCHROME2", "MONOCHROME1"}) {
    TestImage image;
    image.rows = 32;
    image.columns = 32;
    image.bitsStored = 12;
    image.photometric = photometric;
    image.samples = testing::phantom(32, 32, 1, 1, 0, 4000);
    auto format = testing::makeFile(image);
    DcmDataset& ds = *format->getDataset();
    ds.putAndInsertString(DCM_RescaleIntercept, "-1024");
    ds.putAndInsertString(DCM_RescaleSlope, "1");
    ds.putAndInsertString(DCM_WindowCenter, "300");
    ds.putAndInsertString(DCM_WindowWidth, "1800");
    DicomImage dcmtk(&ds, EXS_LittleEndianExplicit);
    ASSERT_EQ(dcmtk.getStatus(), EIS_Normal);
    ASSERT_TRUE(dcmtk.setWindow(0));
    const auto* rendered = static_cast<const Uint16*>(dcmtk.getOutputData(16));
    ASSERT_NE(rendered, nullptr);
    const auto ours = unit(ds);
    for (std::size_t i = 0; i < ours.size(); ++i)
      ASSERT_NEAR(ours[i], rendered[i] / 65535.0, 1.5 / 65535.0) << photometric << " pixel " << i;
  }
}

TEST(ImagingWindow, EnhancedMultiFrameWindowAndRescaleFromFunctionalGroups) {
  TestImage image;
  image.rows = 1;
  image.columns = 2;
  image.frames = 2;
  image.samples = {100, 200, 100, 200};
  auto format = testing::makeFile(image);
  DcmDataset& ds = *format->getDataset();
  DcmItem *shared = nullptr, *voi = nullptr;
  ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good());
  ASSERT_TRUE(shared->findOrCreateSequenceItem(DCM_FrameVOILUTSequence, voi, 0).good());
  voi->putAndInsertString(DCM_WindowCenter, "150.5");
  voi->putAndInsertString(DCM_WindowWidth, "101");  // LINEAR: borders 100 and 200
  for (int frame = 0; frame < 2; ++frame) {         // frame 1 is rescaled by 2: 200 and 400
    DcmItem *perFrame = nullptr, *pvt = nullptr;
    ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, perFrame, frame).good());
    ASSERT_TRUE(perFrame->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, pvt, 0).good());
    pvt->putAndInsertString(DCM_RescaleSlope, frame == 0 ? "1" : "2");
    pvt->putAndInsertString(DCM_RescaleIntercept, "0");
  }
  const auto units = decodeToUnit(ds, ImageSpec{});
  ASSERT_EQ(units.size(), 2u);
  EXPECT_NEAR(units[0].pixels[0], 0.0, 1e-6);
  EXPECT_NEAR(units[0].pixels[1], 1.0, 1e-6);
  EXPECT_NEAR(units[1].pixels[0], 1.0, 1e-6);  // 200 is the top of the window
  EXPECT_NEAR(units[1].pixels[1], 1.0, 1e-6);
}

}  // namespace
}  // namespace medvqa::imaging
