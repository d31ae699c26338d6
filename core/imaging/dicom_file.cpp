#include "imaging/dicom_file.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <array>
#include <cstring>
#include <fstream>

#include "common/error.h"

namespace medvqa::imaging {
namespace {

// Values longer than this are left on disk while parsing (a header scan never reads pixel data);
// 4 kB keeps every ordinary attribute in memory.
constexpr Uint32 kHeaderMaxReadLength = 4096;

bool hasPart10Preamble(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::array<char, 132> head{};
  if (!in.read(head.data(), head.size())) return false;
  return std::memcmp(head.data() + 128, "DICM", 4) == 0;
}

}  // namespace

std::unique_ptr<DcmFileFormat> loadDicomFile(const std::filesystem::path& file, Load load) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) throw Error(ErrorCode::NotFound, "no such file: " + file.string());
  // Without the "DICM" magic DCMTK would try to parse any bytes as an implicit VR data set and
  // sometimes "succeed" on garbage; such a file counts only if it names a SOP instance.
  const bool part10 = hasPart10Preamble(file);
  auto format = std::make_unique<DcmFileFormat>();
  OFCondition status = format->loadFile(file.c_str(), EXS_Unknown, EGL_noChange, kHeaderMaxReadLength,
                                        part10 ? ERM_autoDetect : ERM_dataset);
  // DCMTK leaves long values on disk even by default; a complete load reads them now, once,
  // rather than on first access from inside the decoder.
  if (status.good() && load == Load::Complete) status = format->loadAllDataIntoMemory();
  if (status.bad()) throw Error(ErrorCode::Dicom, std::string("not readable as DICOM: ") + status.text());
  if (!part10 && stringOf(*format->getDataset(), DCM_SOPInstanceUID).empty())
    throw Error(ErrorCode::Dicom, "not a DICOM file (no DICM preamble, no SOP Instance UID)");
  return format;
}

std::string stringOf(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFString(tag, value).bad()) return {};
  return std::string(value.c_str(), value.length());
}

}  // namespace medvqa::imaging
