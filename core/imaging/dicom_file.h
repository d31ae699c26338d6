#pragma once

#include <dcmtk/dcmdata/dcfilefo.h>

#include <filesystem>
#include <memory>
#include <string>

namespace medvqa::imaging {

enum class Load {
  Header,    // values longer than a few kB (pixel data) stay on disk until asked for
  Complete,  // everything in memory
};

// Reads a Part 10 file, or a bare data set that carries a SOP Instance UID (some archives write
// those). Throws Error(NotFound) for a missing path, Error(Dicom) with DCMTK's reason for
// anything that is not readable DICOM.
std::unique_ptr<DcmFileFormat> loadDicomFile(const std::filesystem::path& file, Load load);

// A string attribute's first value, "" when absent.
std::string stringOf(DcmItem& item, const DcmTagKey& tag);

}  // namespace medvqa::imaging
