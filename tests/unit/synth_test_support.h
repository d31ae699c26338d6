// Helpers shared by the test_synth_*.cpp files: temporary folders, reading a synthetic image
// back as the model would see it (Modality LUT, the file's window, MONOCHROME1 inverted,
// bilinear resize to 128 x 128).
#pragma once

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace synth_test {

namespace fs = std::filesystem;

/// A fresh folder under the system temp folder, removed with its contents on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    std::string pattern = (fs::temp_directory_path() / ("medvqa-synth-" + tag + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::string readBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::vector<fs::path> filesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

inline std::string attribute(DcmDataset& ds, const DcmTagKey& tag) {
  OFString value;
  return ds.findAndGetOFStringArray(tag, value).good() ? std::string(value.c_str()) : std::string();
}

inline std::string attribute(const fs::path& file, const DcmTagKey& tag) {
  DcmFileFormat ff;
  if (ff.loadFile(file.c_str()).bad()) return {};
  return attribute(*ff.getDataset(), tag);
}

/// An image as the model's preprocessing sees it: values in [0, 1] after the Modality LUT, the
/// file's own window (its min-max range when it has none) and MONOCHROME1 inversion.
struct DisplayImage {
  unsigned rows = 0, cols = 0;
  std::vector<double> values;  // row-major
  std::string patientOrientation;
  std::string imageOrientation;
  std::string photometric;
  std::vector<double> modality;  // rescaled values (HU for CT), before the window

  double at(double x, double y) const { return values[static_cast<std::size_t>(y) * cols + static_cast<std::size_t>(x)]; }
  /// Brighter on display = larger, whatever the photometric interpretation; no window applied,
  /// so two renderings of one acquisition compare directly.
  double brightness(std::size_t i) const { return photometric == "MONOCHROME1" ? -modality[i] : modality[i]; }
};

inline DisplayImage loadDisplay(const fs::path& file) {
  DcmFileFormat ff;
  if (ff.loadFile(file.c_str()).bad()) throw std::runtime_error("cannot load " + file.string());
  DcmDataset& ds = *ff.getDataset();
  DisplayImage img;
  Uint16 rows = 0, cols = 0, representation = 0;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, cols);
  ds.findAndGetUint16(DCM_PixelRepresentation, representation);
  img.rows = rows, img.cols = cols;
  img.photometric = attribute(ds, DCM_PhotometricInterpretation);
  img.patientOrientation = attribute(ds, DCM_PatientOrientation);
  img.imageOrientation = attribute(ds, DCM_ImageOrientationPatient);
  // findAndGet* zeroes its output when the attribute is absent (CR has no rescale).
  Float64 slope = 1.0, intercept = 0.0, center = 0.0, width = 0.0;
  if (ds.findAndGetFloat64(DCM_RescaleSlope, slope).bad()) slope = 1.0;
  if (ds.findAndGetFloat64(DCM_RescaleIntercept, intercept).bad()) intercept = 0.0;
  const bool hasWindow =
      ds.findAndGetFloat64(DCM_WindowCenter, center).good() && ds.findAndGetFloat64(DCM_WindowWidth, width).good();
  const Uint16* pixels = nullptr;
  unsigned long count = 0;
  if (ds.findAndGetUint16Array(DCM_PixelData, pixels, &count).bad() || count != std::size_t(rows) * cols)
    throw std::runtime_error("no pixel data in " + file.string());
  const bool invert = img.photometric == "MONOCHROME1";
  for (unsigned long i = 0; i < count; ++i) {
    const double stored = representation == 1 ? double(static_cast<Sint16>(pixels[i])) : double(pixels[i]);
    img.modality.push_back(stored * slope + intercept);
  }
  if (!hasWindow) {
    const auto [lo, hi] = std::minmax_element(img.modality.begin(), img.modality.end());
    center = (*lo + *hi) / 2.0, width = std::max(1.0, *hi - *lo);
  }
  for (const double value : img.modality) {
    const double shown = std::clamp((value - (center - width / 2.0)) / width, 0.0, 1.0);
    img.values.push_back(invert ? 1.0 - shown : shown);
  }
  return img;
}

/// Bilinear resize with pixel centres aligned (the usual half-pixel convention).
inline DisplayImage resize(const DisplayImage& in, unsigned rows, unsigned cols) {
  DisplayImage out = in;
  out.rows = rows, out.cols = cols;
  out.values.assign(std::size_t(rows) * cols, 0.0);
  out.modality.clear();
  const double sy = double(in.rows) / rows, sx = double(in.cols) / cols;
  for (unsigned y = 0; y < rows; ++y) {
    const double fy = std::clamp((y + 0.5) * sy - 0.5, 0.0, double(in.rows - 1));
    const unsigned y0 = static_cast<unsigned>(fy), y1 = std::min(y0 + 1, in.rows - 1);
    for (unsigned x = 0; x < cols; ++x) {
      const double fx = std::clamp((x + 0.5) * sx - 0.5, 0.0, double(in.cols - 1));
      const unsigned x0 = static_cast<unsigned>(fx), x1 = std::min(x0 + 1, in.cols - 1);
      const double ax = fx - x0, ay = fy - y0;
      const double top = in.at(x0, y0) * (1 - ax) + in.at(x1, y0) * ax;
      const double bottom = in.at(x0, y1) * (1 - ax) + in.at(x1, y1) * ax;
      out.values[std::size_t(y) * cols + x] = top * (1 - ay) + bottom * ay;
    }
  }
  return out;
}

/// Mean of the image over the pixels whose centres lie at distance [inner, outer) from (cx, cy)
/// (pixel units of that image).
inline double ringMean(const DisplayImage& img, double cx, double cy, double inner, double outer) {
  double sum = 0.0;
  int n = 0;
  for (unsigned y = 0; y < img.rows; ++y) {
    for (unsigned x = 0; x < img.cols; ++x) {
      const double d = std::hypot(x + 0.5 - cx, y + 0.5 - cy);
      if (d >= inner && d < outer) sum += img.at(x, y), ++n;
    }
  }
  return n > 0 ? sum / n : std::nan("");
}

/// Mean over a rectangle given in fractions of the image size.
inline double boxMean(const DisplayImage& img, double x0, double x1, double y0, double y1) {
  double sum = 0.0;
  int n = 0;
  for (unsigned y = unsigned(y0 * img.rows); y < unsigned(y1 * img.rows); ++y)
    for (unsigned x = unsigned(x0 * img.cols); x < unsigned(x1 * img.cols); ++x) sum += img.at(x, y), ++n;
  return sum / n;
}

}  // namespace synth_test
