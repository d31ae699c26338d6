#pragma once

// Whether a question type can be answered on a study: its manifest's `applies_to` (modality and
// body part) against what the study's header says it shows. A liver question on a chest
// radiograph is refused as not applicable, never answered from pixels that do not show a liver.

#include <optional>
#include <string>

#include "vqa/manifest.h"

class DcmDataset;

namespace medvqa::vqa {

// What a study shows, as its header says: Modality and Body Part Examined, upper case, trimmed.
struct ImagedRegion {
  std::string modality;
  std::string bodyPart;
};

ImagedRegion imagedRegionOf(const DcmDataset& header);

bool appliesTo(const QuestionType& type, const ImagedRegion& region);

// nullopt when the type applies; else why not, in words a radiologist reads ("... reads only CT
// of the ABDOMEN; this study is CR of the CHEST").
std::optional<std::string> notApplicableReason(const Manifest& manifest, const QuestionType& type,
                                               const ImagedRegion& region);

// "CR or DX of the CHEST or THORAX; CT of the ABDOMEN": the studies a type applies to.
std::string describeAppliesTo(const QuestionType& type);

}  // namespace medvqa::vqa
