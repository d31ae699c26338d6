#include "audit/dataset_bytes.h"

#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <vector>

namespace medvqa::audit {

DatasetBytes encodedAsReceived(DcmDataset& dataset) {
  E_TransferSyntax xfer = dataset.getOriginalXfer();
  if (xfer == EXS_Unknown) xfer = EXS_LittleEndianExplicit;
  DatasetBytes out{{}, DcmXfer(xfer).getXferID()};
  // Room for the encoding plus slack: a full buffer would leave the stream waiting for a flush.
  std::vector<char> buffer(dataset.calcElementLength(xfer, EET_ExplicitLength) + 64);
  DcmOutputBufferStream stream(buffer.data(), static_cast<offile_off_t>(buffer.size()));
  dataset.transferInit();
  const OFCondition cond = dataset.write(stream, xfer, EET_ExplicitLength, nullptr);
  dataset.transferEnd();
  if (cond.bad()) return out;
  void* data = nullptr;
  offile_off_t length = 0;
  stream.flushBuffer(data, length);
  out.bytes.assign(static_cast<const char*>(data), static_cast<std::size_t>(length));
  return out;
}

}  // namespace medvqa::audit
