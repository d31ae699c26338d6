#include "dicom_files.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>

#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <dcmtk/dcmdata/dcostrmb.h>

#include <algorithm>
#include <map>
#include <cstring>
#include <stdexcept>

#include "dicom/codecs.h"
#include "process.h"
#include "store/file_store.h"

namespace medvqa::test {
namespace fs = std::filesystem;

std::vector<fs::path> filesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string datasetBytes(const fs::path& file) {
  const std::string bytes = readFile(file);
  if (bytes.size() < 132 || bytes.compare(128, 4, "DICM") != 0) throw std::runtime_error("not Part 10: " + file.string());
  std::size_t pos = 132;
  // File Meta elements are explicit VR little endian, group 0002.
  while (pos + 8 <= bytes.size() && static_cast<unsigned char>(bytes[pos]) == 0x02 && bytes[pos + 1] == 0) {
    const std::string vr = bytes.substr(pos + 4, 2);
    const bool longLength = vr == "OB" || vr == "OW" || vr == "SQ" || vr == "UN" || vr == "UT" || vr == "UC" ||
                            vr == "UR" || vr == "OD" || vr == "OF" || vr == "OL" || vr == "OV";
    std::uint32_t length = 0;
    if (longLength) {
      std::memcpy(&length, bytes.data() + pos + 8, 4);
      pos += 12 + length;
    } else {
      std::uint16_t shortLength = 0;
      std::memcpy(&shortLength, bytes.data() + pos + 6, 2);
      pos += 8 + shortLength;
    }
  }
  return bytes.substr(std::min(pos, bytes.size()));
}

std::string decodedDatasetBytes(const fs::path& file) {
  static const medvqa::dicom::CodecRegistration codecs;
  DcmFileFormat dicom;
  if (dicom.loadFile(file.c_str()).bad()) throw std::runtime_error("cannot read " + file.string());
  DcmDataset& ds = *dicom.getDataset();
  ds.loadAllDataIntoMemory();
  if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) {
    throw std::runtime_error("cannot decode " + file.string());
  }
  const Uint32 length = ds.calcElementLength(EXS_LittleEndianExplicit, EET_ExplicitLength);
  std::string buffer(length + 1024, '\0');
  DcmOutputBufferStream out(buffer.data(), buffer.size());
  ds.transferInit();
  ds.write(out, EXS_LittleEndianExplicit, EET_ExplicitLength, nullptr);
  ds.transferEnd();
  void* written = nullptr;
  offile_off_t size = 0;
  out.flushBuffer(written, size);
  return buffer.substr(0, static_cast<std::size_t>(size));
}

std::string attribute(const fs::path& file, const DcmTagKey& tag) {
  DcmFileFormat dicom;
  if (dicom.loadFile(file.c_str()).bad()) throw std::runtime_error("cannot read " + file.string());
  OFString value;
  dicom.getDataset()->findAndGetOFStringArray(tag, value);
  return value.c_str();
}

std::string transferSyntaxOf(const fs::path& file) {
  DcmFileFormat dicom;
  if (dicom.loadFile(file.c_str()).bad()) throw std::runtime_error("cannot read " + file.string());
  OFString ts;
  dicom.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts);
  return ts.c_str();
}

std::string storescuProposalFor(const std::string& ts) {
  static const std::map<std::string, std::string> options = {
      {UID_LittleEndianExplicitTransferSyntax, "-xe"},
      {UID_LittleEndianImplicitTransferSyntax, "-xi"},
      {UID_BigEndianExplicitTransferSyntax, "-xb"},
      {UID_DeflatedExplicitVRLittleEndianTransferSyntax, "-xd"},
      {UID_JPEGProcess1TransferSyntax, "-xy"},
      {UID_JPEGProcess2_4TransferSyntax, "-xx"},
      {UID_JPEGProcess14SV1TransferSyntax, "-xs"},
      {UID_JPEGLSLosslessTransferSyntax, "-xt"},
      {UID_JPEGLSLossyTransferSyntax, "-xu"},
      {UID_RLELosslessTransferSyntax, "-xr"},
      {UID_JPEG2000LosslessOnlyTransferSyntax, "-xv"},
      {UID_JPEG2000TransferSyntax, "-xw"},
  };
  const auto it = options.find(ts);
  if (it == options.end()) throw std::runtime_error("no storescu option proposes " + ts);
  return it->second;
}

fs::path storedPath(const fs::path& storage, const std::string& sopInstanceUid) {
  return storage / store::FileStore::relativePathFor(sopInstanceUid);
}

}  // namespace medvqa::test
