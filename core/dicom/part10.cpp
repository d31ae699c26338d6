#include "dicom/part10.h"

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcostrmb.h>

#include <vector>

#include "common/error.h"

namespace medvqa::dicom {
namespace {

// DCMTK writes into a fixed buffer and says EC_StreamNotifyClient whenever it is full; each full
// chunk is taken out and the write resumes where it stopped, so any size fits.
std::string encode(DcmObject& object, E_TransferSyntax xfer, const char* what) {
  std::vector<char> chunk(64 * 1024);
  DcmOutputBufferStream out(chunk.data(), static_cast<offile_off_t>(chunk.size()));
  std::string bytes;
  object.transferInit();
  OFCondition status;
  do {
    status = object.write(out, xfer, EET_ExplicitLength, nullptr);
    void* data = nullptr;
    offile_off_t length = 0;
    out.flushBuffer(data, length);
    bytes.append(static_cast<const char*>(data), static_cast<std::size_t>(length));
  } while (status == EC_StreamNotifyClient);
  object.transferEnd();
  if (status.bad()) throw Error(ErrorCode::Dicom, std::string("cannot encode ") + what + ": " + status.text());
  return bytes;
}

}  // namespace

std::string datasetBytes(DcmDataset& dataset, E_TransferSyntax xfer) { return encode(dataset, xfer, "the data set"); }

std::string part10Bytes(DcmDataset& dataset) {
  DcmFileFormat file(&dataset);  // a copy: the caller keeps its data set untouched
  const E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  const OFCondition status = file.validateMetaInfo(xfer);
  if (status.bad()) throw Error(ErrorCode::Dicom, std::string("cannot build the meta header: ") + status.text());
  return encode(file, xfer, "the file");
}

}  // namespace medvqa::dicom
