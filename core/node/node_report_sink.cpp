#include "node/node_report_sink.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include "common/error.h"
#include "metrics/metrics.h"
#include "node/ingest.h"
#include "store/file_store.h"

namespace medvqa::node {

void NodeReportSink::store(DcmDataset& report) {
  try {
    storeOnce(report);
  } catch (...) {
    if (metrics_) metrics_->reportStored(false);
    throw;
  }
  if (metrics_) metrics_->reportStored(true);
}

void NodeReportSink::storeOnce(DcmDataset& report) {
  OFString sopClass, sopInstance;
  report.findAndGetOFString(DCM_SOPClassUID, sopClass);
  report.findAndGetOFString(DCM_SOPInstanceUID, sopInstance);
  store::TempFile temp(files_.newTempPath());
  DcmFileFormat file(&report);  // copies the data set; the caller keeps its own
  const OFCondition saved = file.saveFile(temp.path().c_str(), EXS_LittleEndianExplicit);
  if (saved.bad()) throw Error(ErrorCode::Io, std::string("cannot write the SR for storing: ") + saved.text());
  const StoreResult result = ingestor_.ingest(temp.path(), {sopClass.c_str(), sopInstance.c_str(), aet_, Settling::Keep});
  if (result.outcome != StoreOutcome::KeptExisting) temp.release();  // the ingestor moved it into place
}

}  // namespace medvqa::node
