#include "orthanc_report_sink.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "dicom/part10.h"

namespace medvqa::plugin {

void OrthancReportSink::store(DcmDataset& report) {
  try {
    const nlohmann::json answer = api_.postJson("/instances", dicom::part10Bytes(report));
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
