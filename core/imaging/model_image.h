#pragma once

// What a VQA model sees of one DICOM frame: the manifest's "input" section (ImageSpec) and the
// float image it describes (ModelImage). Torch-free on purpose: core/vqa turns the pixels into a
// tensor; `medvqa prepare` writes them for training. One implementation, so no train/serve skew.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

class DcmDataset;

namespace medvqa::imaging {

// A VOI window in modality units (after rescale slope/intercept), DICOM's definition
// (PS3.3 C.11.2.1.2: linear, center c, width w).
struct WindowDefault {
  double center = 0.0;
  double width = 1.0;
};

// The manifest's "input" section.
struct ImageSpec {
  int channels = 1;  // 1 (luminance) or 3 (RGB; a monochrome frame is repeated in all three)
  int height = 128;
  int width = 128;
  float mean = 0.5f;  // the model's input is (x - mean) / std, x in [0,1]
  float std = 0.25f;
  // Used only when the file has neither a VOI LUT nor a window; keyed by Modality ("CT").
  // A modality not listed gets the image's own min/max ("minmax" in the manifest).
  std::map<std::string, WindowDefault> windowByModality;
};

// One frame ready for the model: CHW, row-major, resized and normalised.
struct ModelImage {
  std::string sopInstanceUid;
  std::string seriesInstanceUid;
  int frame = 0;  // 0-based frame number within the instance
  int channels = 0;
  int height = 0;
  int width = 0;
  std::vector<float> pixels;  // channels * height * width values
};

// One decoded frame before resize and normalisation: CHW, values in [0,1], bright = dense
// (MONOCHROME1 already inverted), with `spec.channels` channels. What the pixel-exact tests
// compare across transfer syntaxes.
struct UnitImage {
  int channels = 0;
  int height = 0;
  int width = 0;
  std::vector<float> pixels;
};

// Throws Error(InvalidArgument) when the spec cannot describe a model input (channels not 1 or
// 3, a non-positive size, std <= 0, a window width < 1).
void validate(const ImageSpec& spec);

// Decodes the listed frames (0-based; empty = every frame) of an image instance to [0,1]:
// Modality LUT, VOI (file's VOI LUT, else its first window, else the spec's default for the
// modality, else min/max), MONOCHROME1 inversion, colour to `spec.channels`. Every transfer
// syntax the node accepts, JPEG 2000 included. The data set may be modified (JPEG 2000 pixel
// data is replaced by its decoded form). Throws Error(Dicom) when the pixels cannot be decoded,
// Error(InvalidArgument) for a frame number out of range or a data set without pixel data.
std::vector<UnitImage> decodeToUnit(DcmDataset& dataset, const ImageSpec& spec, const std::vector<int>& frames = {});

// Bilinear resize to spec.height x spec.width (antialiased when shrinking), then
// (x - mean) / std. Identity geometry is copied exactly.
ModelImage toModelImage(const UnitImage& unit, const ImageSpec& spec);

// The listed frames (0-based; empty = every frame) of an in-memory instance (an Orthanc
// buffer, a C-STORE data set), ready for the model, in the order asked. Errors, and the
// replacement of JPEG 2000 pixel data in `dataset`, as decodeToUnit.
std::vector<ModelImage> prepareDataset(DcmDataset& dataset, const ImageSpec& spec, const std::vector<int>& frames = {});

// Every frame of one file, ready for the model. Throws Error(NotFound) for a missing file,
// Error(Dicom) for a file that is not DICOM or whose pixels cannot be decoded,
// Error(InvalidArgument) for an instance without pixel data or a bad spec.
std::vector<ModelImage> prepareFile(const std::filesystem::path& file, const ImageSpec& spec);

}  // namespace medvqa::imaging
