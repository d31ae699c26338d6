#pragma once

// Builds small DICOM images in-test (DCMTK data sets, DCMTK's encoders, OpenJPEG for JPEG 2000)
// so every decoding path is checked against an uncompressed reference of the same pixels.

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace medvqa::imaging::testing {

struct TestImage {
  int rows = 8;
  int columns = 8;
  int frames = 1;
  int samplesPerPixel = 1;
  int bitsAllocated = 16;
  int bitsStored = 16;
  bool isSigned = false;
  int planarConfiguration = 0;
  std::string photometric = "MONOCHROME2";
  std::string modality = "CT";
  std::string studyUid = "1.2.826.0.1.3680043.10.1.1";
  std::string seriesUid = "1.2.826.0.1.3680043.10.1.1.1";
  std::string sopUid = "1.2.826.0.1.3680043.10.1.1.1.1";
  // Stored sample values in pixel data order: frame, then (planar 0) pixel by pixel with its
  // samples, or (planar 1) plane by plane.
  std::vector<std::int32_t> samples;
};

// A smooth ramp with a bright square in [lo, hi]: compresses well with lossy codecs, and every
// pixel differs from its neighbours so an off-by-one pixel shift shows.
std::vector<std::int32_t> phantom(int rows, int columns, int frames, int samplesPerPixel, int lo, int hi);

// A native (uncompressed) Part 10 file in memory.
std::unique_ptr<DcmFileFormat> makeFile(const TestImage& image);

// Writes `format` in `xfer`, compressing with DCMTK's encoders where needed (JPEG, JPEG-LS, RLE;
// `lossyParameter` is the JPEG quality or the JPEG-LS NEAR deviation).
std::filesystem::path writeFile(DcmFileFormat& format, const std::filesystem::path& path, E_TransferSyntax xfer,
                                int lossyParameter = 0);

// JPEG 2000 via OpenJPEG: lossless (reversible 5/3, syntax .90) or lossy (9/7 at `ratio`:1,
// syntax .91). Colour images are written with the colour transform (YBR_RCT / YBR_ICT), as
// modalities do. `fragmentsPerFrame` > 1 splits each codestream, without an offset table.
std::filesystem::path writeJ2k(const TestImage& image, const std::filesystem::path& path, bool lossless,
                               float ratio = 10.0f, int fragmentsPerFrame = 1);

// One raw J2K codestream of a single-frame, single-component image (for decoder tests).
std::vector<std::uint8_t> encodeJ2k(const TestImage& image, int frame, bool lossless, float ratio = 10.0f);

// A fresh folder, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace medvqa::imaging::testing
