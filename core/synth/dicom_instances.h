// Complete DICOM instances for the phantoms: the modules of the CR, DX and CT Image IODs.
#pragma once

#include <dcmtk/dcmdata/dcfilefo.h>

#include <memory>

#include "synth/chest_phantom.h"
#include "synth/ct_phantom.h"
#include "synth/pixel_image.h"
#include "synth/study_identity.h"

namespace medvqa::synth {

/// CR Image Storage or Digital X-Ray Image Storage - For Presentation, per `acq.modality`.
std::unique_ptr<DcmFileFormat> buildChestInstance(const StudyIdentity& id, const ChestAcquisition& acq,
                                                  const PixelImage& img);

/// CT Image Storage: slice `index` (0 = most superior) of the study's series.
std::unique_ptr<DcmFileFormat> buildCtInstance(const StudyIdentity& id, const CtAcquisition& acq, unsigned index,
                                               const PixelImage& img);

}  // namespace medvqa::synth
