#include "imaging/voi.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <algorithm>

#include "imaging/dicom_file.h"
#include "imaging/model_image.h"
#include "imaging/voi_lut.h"
#include "imaging/windowing.h"

namespace medvqa::imaging {
namespace {

std::optional<Window> specWindow(DcmItem& dataset, const ImageSpec& spec) {
  const auto found = spec.windowByModality.find(stringOf(dataset, DCM_Modality));
  if (found == spec.windowByModality.end()) return std::nullopt;
  return Window{found->second.center, found->second.width, VoiFunction::Linear};
}

bool hasNegative(std::span<const float> values) {
  return std::any_of(values.begin(), values.end(), [](float v) { return v < 0.0f; });
}

}  // namespace

std::string_view toString(VoiSource source) {
  switch (source) {
    case VoiSource::FileLut: return "file VOI LUT";
    case VoiSource::FileWindow: return "file window";
    case VoiSource::SpecWindow: return "model default window";
    case VoiSource::MinMax: return "image min/max";
  }
  return "?";
}

VoiSource windowToUnit(DcmItem& dataset, int frame, const ImageSpec& spec, std::span<const float> modality, bool invert,
                       std::span<float> out) {
  if (const auto lut = fileVoiLut(dataset, frame, hasNegative(modality))) {
    applyVoiLut(modality, *lut, invert, out);
    return VoiSource::FileLut;
  }
  if (const auto window = fileWindow(dataset, frame)) {
    applyWindow(modality, *window, invert, out);
    return VoiSource::FileWindow;
  }
  if (const auto window = specWindow(dataset, spec)) {
    applyWindow(modality, *window, invert, out);
    return VoiSource::SpecWindow;
  }
  applyWindow(modality, minMaxWindow(modality), invert, out);
  return VoiSource::MinMax;
}

}  // namespace medvqa::imaging
