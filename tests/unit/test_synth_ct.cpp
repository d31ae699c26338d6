// CT phantoms: a proper series geometry, realistic Hounsfield units, and lesions that show in
// the middle slice (the demo model's policy) at 128 x 128 after a 40/400 window, on the side of
// the patient the truth names.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>

#include <map>

#include "synth/ct_phantom.h"
#include "synth/dicom_instances.h"
#include "synth/study_plan.h"
#include "synth/study_writer.h"
#include "synth_test_support.h"

using namespace medvqa::synth;
using namespace synth_test;

namespace {

DisplayImage writeAndReadSlice(const CtStudy& s, unsigned index, const fs::path& dir) {
  const PixelImage img = renderCtSlice(s.anatomy, s.acquisition, index, streamSeed(s.noiseSeed, "slice", {index}));
  const auto file = buildCtInstance(s.id, s.acquisition, index, img);
  saveInstance(*file, dir / "slice.dcm");
  return loadDisplay(dir / "slice.dcm");
}

/// Mean of the 128 x 128 image over the pixels whose centres fall in `tissue` on the middle slice.
double tissueMean128(const DisplayImage& small, const CtStudy& s, Tissue tissue) {
  const Affine2 toAnatomy = pixelToAnatomy(s.acquisition);
  const double scale = double(s.acquisition.size) / 128.0;
  double sum = 0.0;
  int n = 0;
  for (unsigned y = 0; y < 128; ++y) {
    for (unsigned x = 0; x < 128; ++x) {
      const Point p = toAnatomy.apply({(x + 0.5) * scale, (y + 0.5) * scale});
      // Only pixels whose whole neighbourhood is that tissue: the resize blends edges.
      bool inside = true;
      for (const double d : {-2.0, 2.0})
        inside = inside && tissueAt(s.anatomy, p.x + d * scale * s.acquisition.pixelSpacing, p.y, 0.0) == tissue &&
                 tissueAt(s.anatomy, p.x, p.y + d * scale * s.acquisition.pixelSpacing, 0.0) == tissue;
      if (inside) sum += small.at(x, y), ++n;
    }
  }
  return n > 0 ? sum / n : std::nan("");
}

}  // namespace

TEST(SynthCt, SeriesGeometryIsConsistent) {
  TempDir dir("ct-geometry");
  for (unsigned i = 0; i < 6; ++i) {
    const CtStudy s = planCtStudy(12, i, i);
    writeStudy(dir.path() / s.id.directory, s);
    const auto files = filesUnder(dir.path() / s.id.directory);
    ASSERT_EQ(files.size(), s.acquisition.slices);
    EXPECT_EQ(files.size() % 2, 1u);
    EXPECT_GE(files.size(), 5u);
    EXPECT_LE(files.size(), 9u);
    double previousZ = 1e9;
    for (std::size_t k = 0; k < files.size(); ++k) {
      EXPECT_EQ(attribute(files[k], DCM_InstanceNumber), std::to_string(k + 1));
      EXPECT_EQ(attribute(files[k], DCM_ImageOrientationPatient), "1\\0\\0\\0\\1\\0");
      EXPECT_EQ(attribute(files[k], DCM_RescaleIntercept), "-1024");
      EXPECT_EQ(attribute(files[k], DCM_RescaleSlope), "1");
      EXPECT_EQ(attribute(files[k], DCM_SeriesInstanceUID), s.id.seriesUid);
      const std::string ipp = attribute(files[k], DCM_ImagePositionPatient);
      const double z = std::stod(ipp.substr(ipp.rfind('\\') + 1));
      if (k > 0) {
        EXPECT_NEAR(previousZ - z, s.acquisition.sliceThickness, 1e-6);
      }
      EXPECT_NEAR(std::stod(attribute(files[k], DCM_SliceThickness)), s.acquisition.sliceThickness, 1e-9);
      previousZ = z;
    }
  }
}

TEST(SynthCt, HounsfieldUnitsAreRealistic) {
  TempDir dir("ct-hu");
  const CtStudy s = planCtStudy(21, 0, CtFindings{});
  const DisplayImage img = writeAndReadSlice(s, s.acquisition.middleSlice(), dir.path());
  const Affine2 toAnatomy = pixelToAnatomy(s.acquisition);
  std::map<Tissue, std::pair<double, int>> sums;
  for (unsigned y = 0; y < img.rows; ++y) {
    for (unsigned x = 0; x < img.cols; ++x) {
      const double dx = x + 0.5 - img.cols / 2.0, dy = y + 0.5 - img.rows / 2.0;
      if (dx * dx + dy * dy > 0.9 * img.cols * img.cols / 4.0) continue;  // inside the reconstruction circle
      const Point p = toAnatomy.apply({x + 0.5, y + 0.5});
      auto& [sum, n] = sums[tissueAt(s.anatomy, p.x, p.y, 0.0)];
      sum += img.modality[std::size_t(y) * img.cols + x], ++n;
    }
  }
  auto mean = [&](Tissue t) { return sums.at(t).first / sums.at(t).second; };
  EXPECT_NEAR(mean(Tissue::Air), -1000.0, 15.0);
  EXPECT_NEAR(mean(Tissue::Fat), -90.0, 20.0);
  EXPECT_NEAR(mean(Tissue::Liver), 60.0, 8.0);
  EXPECT_NEAR(mean(Tissue::Kidney), 31.0, 8.0);
  EXPECT_NEAR(mean(Tissue::Muscle), 47.0, 10.0);
  EXPECT_GT(mean(Tissue::Bone), 350.0);
}

TEST(SynthCt, LiverLesionsShowInTheMiddleSliceAt128) {
  TempDir dir("ct-liver");
  int checked = 0;
  for (unsigned i = 0; i < 12; ++i) {
    CtFindings f;
    f.liverLesions = 1 + static_cast<int>(i % 3);
    f.liverLesionSize = static_cast<LesionSize>(1 + (i / 3) % 3);
    const CtStudy s = planCtStudy(33, i, f);
    ASSERT_EQ(static_cast<int>(s.anatomy.liverLesions.size()), f.liverLesions);
    const DisplayImage small = resize(writeAndReadSlice(s, s.acquisition.middleSlice(), dir.path()), 128, 128);
    const double liver = tissueMean128(small, s, Tissue::Liver);
    const Affine2 toPixel = pixelToAnatomy(s.acquisition).inverse();
    const double pixels128PerMm = 128.0 / s.acquisition.fieldOfView();
    double largest = 0.0;
    for (const Ellipsoid& lesion : s.anatomy.liverLesions) {
      const Point p = toPixel.apply({lesion.cx, lesion.cy});
      const double cx = p.x * 128.0 / s.acquisition.size, cy = p.y * 128.0 / s.acquisition.size;
      const double r = lesion.rx * pixels128PerMm;
      EXPECT_GE(2.0 * r, 5.0) << "lesion narrower than 5 pixels at 128";
      EXPECT_GT(liver - ringMean(small, cx, cy, 0.0, 0.5 * r), 0.08) << "study " << i << ": lesion hardly visible";
      largest = std::max(largest, 2.0 * lesion.rx);
      ++checked;
    }
    const DiameterRange range = f.liverLesionSize == LesionSize::Small    ? kSmallLesion
                                : f.liverLesionSize == LesionSize::Medium ? kMediumLesion
                                                                          : kLargeLesion;
    EXPECT_GE(largest, range.min);
    EXPECT_LE(largest, range.max);
  }
  EXPECT_EQ(checked, 4 * (1 + 2 + 3));
}

TEST(SynthCt, AKidneyLesionDarkensOnlyItsOwnSide) {
  TempDir dir("ct-kidney");
  for (unsigned i = 0; i < 6; ++i) {
    for (const Side side : {Side::Left, Side::Right}) {
      CtFindings with;
      with.kidneyLesion = side;
      const CtStudy a = planCtStudy(55, i, CtFindings{}), b = planCtStudy(55, i, with);
      const unsigned middle = a.acquisition.middleSlice();
      const DisplayImage none = writeAndReadSlice(a, middle, dir.path());
      const DisplayImage lesion = writeAndReadSlice(b, middle, dir.path());
      // Image Orientation (Patient) 1\0\0\0\1\0: columns run to the patient's left.
      ASSERT_EQ(lesion.imageOrientation, "1\\0\\0\\0\\1\\0");
      double change[2] = {0.0, 0.0};  // [0] image left half, [1] image right half
      for (unsigned y = 0; y < none.rows; ++y)
        for (unsigned x = 0; x < none.cols; ++x) {
          const std::size_t k = std::size_t(y) * none.cols + x;
          change[x >= none.cols / 2 ? 1 : 0] += lesion.modality[k] - none.modality[k];
        }
      const int own = side == Side::Left ? 1 : 0;
      EXPECT_LT(change[own], -1000.0) << "study " << i << " " << toString(side);  // ~100 pixels x ~50 HU
      EXPECT_EQ(change[1 - own], 0.0) << "study " << i << " " << toString(side);
    }
  }
}

TEST(SynthCt, KidneyLesionsShowInTheMiddleSliceAt128) {
  TempDir dir("ct-kidney-128");
  for (unsigned i = 0; i < 8; ++i) {
    CtFindings f;
    f.kidneyLesion = Side::Bilateral;
    const CtStudy s = planCtStudy(61, i, f);
    ASSERT_EQ(s.anatomy.kidneyLesions.size(), 2u);
    const DisplayImage small = resize(writeAndReadSlice(s, s.acquisition.middleSlice(), dir.path()), 128, 128);
    const double kidney = tissueMean128(small, s, Tissue::Kidney);
    const Affine2 toPixel = pixelToAnatomy(s.acquisition).inverse();
    for (const Ellipsoid& lesion : s.anatomy.kidneyLesions) {
      const Point p = toPixel.apply({lesion.cx, lesion.cy});
      const double r = lesion.rx * 128.0 / s.acquisition.fieldOfView();
      EXPECT_GE(2.0 * r, 5.0);
      const double inside = ringMean(small, p.x * 128.0 / s.acquisition.size, p.y * 128.0 / s.acquisition.size, 0.0, 0.5 * r);
      EXPECT_GT(kidney - inside, 0.08) << "study " << i;
    }
  }
}
