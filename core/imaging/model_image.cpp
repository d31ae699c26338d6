#include "imaging/model_image.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <cmath>
#include <numeric>
#include <string>

#include "common/error.h"
#include "imaging/colour.h"
#include "imaging/dicom_file.h"
#include "imaging/modality.h"
#include "imaging/pixel_decoder.h"
#include "imaging/resize.h"
#include "imaging/voi.h"

namespace medvqa::imaging {
namespace {

[[noreturn]] void invalid(const std::string& why) {
  throw Error(ErrorCode::InvalidArgument, why);
}

int numberOfFrames(DcmDataset& dataset) {
  Sint32 frames = 1;
  if (dataset.findAndGetSint32(DCM_NumberOfFrames, frames).bad() || frames < 1) return 1;
  return int(frames);
}

std::vector<int> framesToDecode(DcmDataset& dataset, const std::vector<int>& requested) {
  const int available = numberOfFrames(dataset);
  if (requested.empty()) {
    std::vector<int> all(std::size_t(available), 0);
    std::iota(all.begin(), all.end(), 0);
    return all;
  }
  for (int frame : requested)
    if (frame < 0 || frame >= available)
      invalid("frame " + std::to_string(frame) + " out of range (" + std::to_string(available) + " frames)");
  return requested;
}

// Decoded values -> [0,1] planes: rescale + VOI + inversion for monochrome, luma or RGB planes
// for colour. `headerFrame` is the frame's number in the file (its functional groups).
UnitImage toUnit(DecodedFrame& decoded, DcmDataset& dataset, int headerFrame, const ImageSpec& spec) {
  UnitImage unit;
  unit.channels = spec.channels;
  unit.height = decoded.rows;
  unit.width = decoded.columns;
  const std::size_t pixels = std::size_t(unit.height) * std::size_t(unit.width);
  if (decoded.kind == DecodedFrame::Kind::Colour) {
    unit.pixels.resize(pixels * std::size_t(spec.channels));
    rgbToPlanes(decoded.values, spec.channels, unit.pixels);
    return unit;
  }
  if (decoded.kind == DecodedFrame::Kind::Stored) applyRescale(decoded.values, rescaleOf(dataset, headerFrame));
  // Windowed in place: a fresh full-size buffer per frame costs more than the arithmetic.
  unit.pixels = std::move(decoded.values);
  windowToUnit(dataset, headerFrame, spec, unit.pixels, decoded.monochrome1, unit.pixels);
  unit.pixels.resize(pixels * std::size_t(spec.channels));
  greyToPlanes(std::span<const float>(unit.pixels.data(), pixels), spec.channels, unit.pixels);
  return unit;
}

// Decodes frame after frame and hands each on at once: a 500-frame instance never holds 500
// full-size float frames.
template <typename Sink>
void forEachUnit(DcmDataset& dataset, const ImageSpec& spec, const std::vector<int>& frames, Sink&& sink) {
  validate(spec);
  if (!dataset.tagExists(DCM_PixelData)) invalid("the instance has no pixel data");
  const std::vector<int> headerFrames = framesToDecode(dataset, frames);
  const std::vector<int> pixelFrames = makeDecodable(dataset, headerFrames);
  for (std::size_t i = 0; i < headerFrames.size(); ++i) {
    DecodedFrame decoded = decodeFrame(dataset, pixelFrames[i]);
    sink(headerFrames[i], toUnit(decoded, dataset, headerFrames[i], spec));
  }
}

}  // namespace

void validate(const ImageSpec& spec) {
  if (spec.channels != 1 && spec.channels != 3)
    invalid("input.channels must be 1 or 3, not " + std::to_string(spec.channels));
  if (spec.height < 1 || spec.width < 1 || spec.height > 8192 || spec.width > 8192)
    invalid("input size " + std::to_string(spec.height) + "x" + std::to_string(spec.width) + " out of range 1..8192");
  if (!std::isfinite(spec.mean)) invalid("input.mean must be a finite number");
  if (!(spec.std > 0.0f) || !std::isfinite(spec.std)) invalid("input.std must be > 0");
  for (const auto& [modality, window] : spec.windowByModality)
    if (!(window.width >= 1.0) || !std::isfinite(window.center) || !std::isfinite(window.width))
      invalid("input.window." + modality + ": width must be >= 1");
}

std::vector<UnitImage> decodeToUnit(DcmDataset& dataset, const ImageSpec& spec, const std::vector<int>& frames) {
  std::vector<UnitImage> units;
  forEachUnit(dataset, spec, frames, [&](int, UnitImage&& unit) { units.push_back(std::move(unit)); });
  return units;
}

ModelImage toModelImage(const UnitImage& unit, const ImageSpec& spec) {
  ModelImage image;
  image.channels = unit.channels;
  image.height = spec.height;
  image.width = spec.width;
  const std::size_t inPlane = std::size_t(unit.height) * std::size_t(unit.width);
  const std::size_t outPlane = std::size_t(spec.height) * std::size_t(spec.width);
  image.pixels.resize(outPlane * std::size_t(unit.channels));
  for (int c = 0; c < unit.channels; ++c)
    resizeBilinear(std::span<const float>(unit.pixels.data() + std::size_t(c) * inPlane, inPlane), unit.height,
                   unit.width, std::span<float>(image.pixels.data() + std::size_t(c) * outPlane, outPlane), spec.height,
                   spec.width);
  const float scale = 1.0f / spec.std;
  const float offset = -spec.mean / spec.std;
  for (float& v : image.pixels) v = v * scale + offset;
  return image;
}

std::vector<ModelImage> prepareDataset(DcmDataset& dataset, const ImageSpec& spec, const std::vector<int>& frames) {
  const std::string sopInstanceUid = stringOf(dataset, DCM_SOPInstanceUID);
  const std::string seriesInstanceUid = stringOf(dataset, DCM_SeriesInstanceUID);
  std::vector<ModelImage> images;
  forEachUnit(dataset, spec, frames, [&](int frame, UnitImage&& unit) {
    ModelImage image = toModelImage(unit, spec);
    image.sopInstanceUid = sopInstanceUid;
    image.seriesInstanceUid = seriesInstanceUid;
    image.frame = frame;
    images.push_back(std::move(image));
  });
  return images;
}

std::vector<ModelImage> prepareFile(const std::filesystem::path& file, const ImageSpec& spec) {
  validate(spec);  // a bad spec is the caller's error, whatever the file
  const auto format = loadDicomFile(file, Load::Complete);
  return prepareDataset(*format->getDataset(), spec);
}

}  // namespace medvqa::imaging
