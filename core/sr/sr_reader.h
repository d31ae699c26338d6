#pragma once

// Reads the answers back from an SR that sr_writer.h wrote: every field of vqa::Answer that the
// writer stores (all of them) comes back equal.

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "vqa/answer.h"

class DcmItem;

namespace medvqa::sr {

struct ReportAnswers {
  std::string studyInstanceUid;
  std::vector<vqa::Answer> answers;  // in the SR's order (the order they were written)

  bool operator==(const ReportAnswers&) const = default;
};

// Error(InvalidArgument) for a data set that is not a Comprehensive SR, or one that is but not a
// MedVQA answer SR (no TID 1500 measurement group holding a 99MEDVQA question), or one of ours
// with a malformed group (named); Error(Dicom) when DCMTK cannot read the SR document.
ReportAnswers readAnswers(DcmItem& dataset);

// As above for a file; Error(NotFound) when it does not exist, Error(Dicom) when it is not DICOM.
ReportAnswers readAnswersFile(const std::filesystem::path& file);

// {"study_uid": "...", "answers": [Answer as vqa::to_json writes it, ...]}
void to_json(nlohmann::json& out, const ReportAnswers& report);

}  // namespace medvqa::sr
