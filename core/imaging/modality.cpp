#include "imaging/modality.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>

#include "imaging/functional_groups.h"

namespace medvqa::imaging {
namespace {

bool readRescale(DcmItem& item, Rescale& rescale) {
  Float64 slope = 1.0, intercept = 0.0;
  const bool hasSlope = item.findAndGetFloat64(DCM_RescaleSlope, slope).good();
  const bool hasIntercept = item.findAndGetFloat64(DCM_RescaleIntercept, intercept).good();
  if (!hasSlope && !hasIntercept) return false;
  // A zero slope (a writer's placeholder) would flatten the image; treat it as absent.
  rescale.slope = (hasSlope && slope != 0.0) ? slope : 1.0;
  rescale.intercept = intercept;
  return true;
}

}  // namespace

Rescale rescaleOf(DcmItem& dataset, int frame) {
  Rescale rescale;
  if (readRescale(dataset, rescale)) return rescale;
  if (DcmItem* group = functionalGroup(dataset, frame, DCM_PixelValueTransformationSequence))
    readRescale(*group, rescale);
  return rescale;
}

bool hasModalityLutSequence(DcmItem& dataset) {
  DcmItem* item = nullptr;
  return dataset.findAndGetSequenceItem(DCM_ModalityLUTSequence, item, 0).good();
}

void applyRescale(std::span<float> values, const Rescale& rescale) {
  if (rescale.slope == 1.0 && rescale.intercept == 0.0) return;
  const auto slope = float(rescale.slope);
  const auto intercept = float(rescale.intercept);
  for (float& v : values) v = v * slope + intercept;
}

}  // namespace medvqa::imaging
