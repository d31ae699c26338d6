#include "orthanc_report_sink.h"

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcostrmb.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "common/error.h"

namespace medvqa::plugin {

std::string part10Bytes(DcmDataset& dataset) {
  DcmFileFormat file(&dataset);  // a copy: the caller keeps its data set untouched
  const E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  OFCondition status = file.validateMetaInfo(xfer);
  if (status.bad()) throw Error(ErrorCode::Dicom, std::string("cannot build the SR's meta header: ") + status.text());
  // DCMTK writes into a fixed buffer and says EC_StreamNotifyClient whenever it is full; each
  // full chunk is taken out and the write resumes where it stopped.
  std::vector<char> chunk(64 * 1024);
  DcmOutputBufferStream out(chunk.data(), chunk.size());
  std::string bytes;
  file.transferInit();
  do {
    status = file.write(out, xfer, EET_ExplicitLength, nullptr);
    void* data = nullptr;
    offile_off_t length = 0;
    out.flushBuffer(data, length);
    bytes.append(static_cast<const char*>(data), static_cast<std::size_t>(length));
  } while (status == EC_StreamNotifyClient);
  file.transferEnd();
  if (status.bad()) throw Error(ErrorCode::Dicom, std::string("cannot encode the SR: ") + status.text());
  return bytes;
}

void OrthancReportSink::store(DcmDataset& report) {
  try {
    const nlohmann::json answer = api_.postJson("/instances", part10Bytes(report));
    const std::string status = answer.value("Status", "");
    if (status != "Success" && status != "AlreadyStored") {
      throw Error(ErrorCode::Io, "Orthanc did not store the SR: " + answer.dump());
    }
  } catch (...) {
    onOutcome_(false);
    throw;
  }
  onOutcome_(true);
}

}  // namespace medvqa::plugin
