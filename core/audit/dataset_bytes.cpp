#include "audit/dataset_bytes.h"

#include <dcmtk/dcmdata/dcxfer.h>

#include "dicom/part10.h"

namespace medvqa::audit {

DatasetBytes encodedAsReceived(DcmDataset& dataset) {
  E_TransferSyntax xfer = dataset.getOriginalXfer();
  if (xfer == EXS_Unknown) xfer = EXS_LittleEndianExplicit;
  DatasetBytes out{{}, DcmXfer(xfer).getXferID()};
  try {
    out.bytes = dicom::datasetBytes(dataset, xfer);
  } catch (const std::exception&) {
    // The audit message goes without the query rather than not at all.
  }
  return out;
}

}  // namespace medvqa::audit
