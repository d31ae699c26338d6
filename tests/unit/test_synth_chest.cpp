// Chest phantoms put each finding where the truth says, visibly at the model's 128 x 128, and on
// the correct side of the patient as the written file orients it.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "synth/chest_phantom.h"
#include "synth/dicom_instances.h"
#include "synth/study_plan.h"
#include "synth/study_writer.h"
#include "synth_test_support.h"

using namespace medvqa::synth;
using namespace synth_test;

namespace {

DisplayImage writeAndRead(const ChestStudy& study, const fs::path& dir, const std::string& name) {
  const PixelImage img = renderChest(study.anatomy, study.acquisition, study.noiseSeed);
  const auto file = buildChestInstance(study.id, study.acquisition, img);
  saveInstance(*file, dir / name);
  return loadDisplay(dir / name);
}

/// Mean brightness over rows [y0, y1) (fractions of the height) and the outer part of the
/// PATIENT's `patientLeft` side (from `inner` of the half-width out to the edge). Which side of
/// the image that is comes from the file's Patient Orientation.
double patientSideMean(const DisplayImage& img, bool patientLeft, double y0, double y1, double inner) {
  EXPECT_TRUE(img.patientOrientation == "L\\F" || img.patientOrientation == "R\\F") << img.patientOrientation;
  const bool columnsRunLeft = img.patientOrientation.rfind("L", 0) == 0;
  const double towardsSide = patientLeft == columnsRunLeft ? 1.0 : -1.0;  // +1: the side is at high columns
  double sum = 0.0;
  int n = 0;
  for (unsigned y = unsigned(y0 * img.rows); y < unsigned(y1 * img.rows); ++y) {
    for (unsigned x = 0; x < img.cols; ++x) {
      const double outward = towardsSide * (2.0 * (x + 0.5) / img.cols - 1.0);  // 0 centre .. 1 edge of that side
      if (outward >= inner) sum += img.brightness(std::size_t(y) * img.cols + x), ++n;
    }
  }
  return sum / n;
}

/// The 128 x 128 display value around a patient point (u, v), as the model sees it.
double at128(const DisplayImage& small, const ChestAcquisition& acq, Point patient) {
  const Point p = pixelToPatient(acq).inverse().apply(patient);
  return ringMean(small, p.x * 128.0 / acq.cols, p.y * 128.0 / acq.rows, 0.0, 1.6);
}

double brightnessRange(const DisplayImage& img) {
  double lo = 1e18, hi = -1e18;
  for (std::size_t i = 0; i < img.values.size(); ++i) lo = std::min(lo, img.brightness(i)), hi = std::max(hi, img.brightness(i));
  return hi - lo;
}

ChestFindings clear() { return ChestFindings{}; }

}  // namespace

TEST(SynthChest, AnEffusionWhitensTheLowerZoneOfItsOwnSide) {
  TempDir dir("chest-effusion");
  for (unsigned index = 0; index < 6; ++index) {
    for (const Side side : {Side::Left, Side::Right}) {
      ChestFindings with = clear();
      with.effusion = side;
      const ChestStudy plainStudy = planChestStudy(31, index, clear()), fluidStudy = planChestStudy(31, index, with);
      const DisplayImage none = writeAndRead(plainStudy, dir.path(), "none.dcm");
      const DisplayImage fluid = writeAndRead(fluidStudy, dir.path(), "fluid.dcm");
      const bool left = side == Side::Left;
      const double own = patientSideMean(fluid, left, 0.5, 0.9, 0.3) - patientSideMean(none, left, 0.5, 0.9, 0.3);
      const double other = patientSideMean(fluid, !left, 0.5, 0.9, 0.3) - patientSideMean(none, !left, 0.5, 0.9, 0.3);
      EXPECT_GT(own, 0.01 * brightnessRange(none)) << "study " << index << " side " << toString(side);
      EXPECT_LT(std::fabs(other), 0.05 * own) << "study " << index << " side " << toString(side);
      // At the model's 128 x 128 the lateral lung base of that side turns from lung to fluid.
      const Hemithorax& h = fluidStudy.anatomy.sides[left ? 1 : 0];
      const double x = h.lateralWallX() - 25.0;
      const Point angle{h.sign * x, 0.5 * (h.meniscusV(x) + h.diaphragmV(x))};
      ASSERT_GT(tissuesAt(plainStudy.anatomy, angle.x, angle.y).aerated, 0.9) << "study " << index;
      const double rise = at128(resize(fluid, 128, 128), fluidStudy.acquisition, angle) -
                          at128(resize(none, 128, 128), plainStudy.acquisition, angle);
      EXPECT_GT(rise, 0.12) << "study " << index << " side " << toString(side);
    }
  }
}

TEST(SynthChest, APneumothoraxDarkensItsOwnSideAndRemovesMarkings) {
  TempDir dir("chest-ptx");
  for (unsigned index = 0; index < 6; ++index) {
    for (const Side side : {Side::Left, Side::Right}) {
      ChestFindings with = clear();
      with.pneumothorax = side;
      const DisplayImage none = writeAndRead(planChestStudy(47, index, clear()), dir.path(), "none.dcm");
      const DisplayImage air = writeAndRead(planChestStudy(47, index, with), dir.path(), "air.dcm");
      const bool left = side == Side::Left;
      const double own = patientSideMean(air, left, 0.1, 0.8, 0.3) - patientSideMean(none, left, 0.1, 0.8, 0.3);
      const double other = patientSideMean(air, !left, 0.1, 0.8, 0.3) - patientSideMean(none, !left, 0.1, 0.8, 0.3);
      EXPECT_LT(own, -0.005 * brightnessRange(none)) << "study " << index;
      EXPECT_LT(std::fabs(other), 0.1 * std::fabs(own)) << "study " << index;
    }
  }
}

TEST(SynthChest, CardiomegalyMeansACardiothoracicRatioAboveOneHalf) {
  int enlarged = 0;
  for (unsigned i = 0; i < 200; ++i) {
    const ChestStudy s = planChestStudy(8, i, i);
    EXPECT_EQ(s.anatomy.cardiothoracicRatio() > 0.5, s.findings.cardiomegaly) << "study " << i;
    EXPECT_TRUE(s.anatomy.cardiothoracicRatio() < 0.47 || s.anatomy.cardiothoracicRatio() > 0.54)
        << "ratio too close to the threshold to be learnable: " << s.anatomy.cardiothoracicRatio();
    enlarged += s.findings.cardiomegaly;
  }
  EXPECT_GT(enlarged, 80);
  EXPECT_LT(enlarged, 120);
}

TEST(SynthChest, NodulesAreSeparateCountableAndVisibleAt128) {
  TempDir dir("chest-nodules");
  int checked = 0;
  for (unsigned i = 0; i < 24; ++i) {
    ChestFindings f = drawChestFindings(19, i);
    f.nodules = 1 + static_cast<int>(i % 3);
    const ChestStudy s = planChestStudy(19, i, f);
    ASSERT_EQ(static_cast<int>(s.anatomy.nodules.size()), f.nodules);
    const ChestAcquisition& acq = s.acquisition;
    const double mmPerPixel128 = std::max(acq.rows, acq.cols) * acq.pixelSpacing / 128.0;
    for (std::size_t a = 0; a < s.anatomy.nodules.size(); ++a) {
      const Nodule& n = s.anatomy.nodules[a];
      EXPECT_GE(2.0 * n.radius / mmPerPixel128, 4.5) << "nodule too small at 128 x 128";
      for (std::size_t b = a + 1; b < s.anatomy.nodules.size(); ++b)
        EXPECT_GT(distance(n.centre, s.anatomy.nodules[b].centre), n.radius + s.anatomy.nodules[b].radius + 8.0);
    }
    const DisplayImage small = resize(writeAndRead(s, dir.path(), "n.dcm"), 128, 128);
    const Affine2 toPixel = pixelToPatient(acq).inverse();
    for (const Nodule& n : s.anatomy.nodules) {
      const Point p = toPixel.apply(n.centre);
      const double cx = p.x * 128.0 / acq.cols, cy = p.y * 128.0 / acq.rows;
      const double r = n.radius / acq.pixelSpacing * 128.0 / std::max(acq.rows, acq.cols);
      const double inside = ringMean(small, cx, cy, 0.0, 0.5 * r);
      const double around = ringMean(small, cx, cy, r + 1.5, r + 3.5);
      EXPECT_GT(inside - around, 0.1) << "study " << i << ": nodule at (" << cx << ", " << cy << ") hardly visible";
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8 * (1 + 2 + 3));
}

TEST(SynthChest, LungsDisplayDarkerThanTheMediastinumWhateverThePhotometry) {
  TempDir dir("chest-photometry");
  int monochrome1 = 0;
  for (unsigned i = 0; i < 16; ++i) {
    const ChestStudy s = planChestStudy(3, i, i);
    const DisplayImage img = writeAndRead(s, dir.path(), "p.dcm");
    monochrome1 += img.photometric == "MONOCHROME1";
    const double mediastinum = boxMean(img, 0.47, 0.53, 0.25, 0.45);
    const double lungs = 0.5 * (boxMean(img, 0.2, 0.3, 0.3, 0.45) + boxMean(img, 0.7, 0.8, 0.3, 0.45));
    EXPECT_GT(mediastinum - lungs, 0.15) << "study " << i << " " << img.photometric;
  }
  EXPECT_GT(monochrome1, 0);
  EXPECT_LT(monochrome1, 16);
}

TEST(SynthChest, HeaderDescribesTheAcquisition) {
  TempDir dir("chest-header");
  bool sawCr = false, sawDx = false;
  int windowless = 0;
  for (unsigned i = 0; i < 24; ++i) {
    const ChestStudy s = planChestStudy(4, i, i);
    writeStudy(dir.path() / s.id.directory, s);
    const fs::path f = dir.path() / s.id.directory / "image.dcm";
    const bool dx = s.acquisition.modality == ChestModality::DX;
    sawCr |= !dx, sawDx |= dx;
    EXPECT_EQ(attribute(f, DCM_SOPClassUID), dx ? UID_DigitalXRayImageStorageForPresentation : UID_ComputedRadiographyImageStorage);
    EXPECT_EQ(attribute(f, DCM_PatientOrientation), "L\\F");
    EXPECT_EQ(attribute(f, DCM_ViewPosition), s.acquisition.anteroposterior ? "AP" : "PA");
    EXPECT_EQ(attribute(f, DCM_PhotometricInterpretation), s.acquisition.monochrome1 ? "MONOCHROME1" : "MONOCHROME2");
    const int bits = std::stoi(attribute(f, DCM_BitsStored));
    EXPECT_GE(bits, 12);
    EXPECT_LE(bits, 16);
    const int rows = std::stoi(attribute(f, DCM_Rows)), cols = std::stoi(attribute(f, DCM_Columns));
    EXPECT_GE(std::min(rows, cols), 384);
    EXPECT_LE(std::max(rows, cols), 640);
    EXPECT_EQ(attribute(f, DCM_WindowWidth).empty(), !s.acquisition.window);
    if (dx) {
      EXPECT_TRUE(s.acquisition.window) << "DX For Presentation needs its VOI LUT";
    }
    windowless += !s.acquisition.window;
  }
  EXPECT_TRUE(sawCr && sawDx);
  EXPECT_GT(windowless, 0) << "some CR files should leave the window to the reader";
}
