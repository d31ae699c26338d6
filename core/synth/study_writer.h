// Renders a planned study and writes its DICOM files into one folder.
#pragma once

#include <dcmtk/dcmdata/dcfilefo.h>

#include <cstdint>
#include <filesystem>

#include "synth/study_plan.h"

namespace medvqa::synth {

struct WrittenFiles {
  unsigned files = 0;
  std::uintmax_t bytes = 0;
};

/// Writes "image.dcm" (chest) or "slice-NN.dcm" (CT, NN = instance number) into `studyDir`,
/// which is created. Explicit VR little endian, no group lengths, nothing time-based.
WrittenFiles writeStudy(const std::filesystem::path& studyDir, const ChestStudy& study);
WrittenFiles writeStudy(const std::filesystem::path& studyDir, const CtStudy& study);

/// Saves a Part 10 file in explicit VR little endian; throws Error(Io) naming the file.
void saveInstance(DcmFileFormat& file, const std::filesystem::path& path);

}  // namespace medvqa::synth
