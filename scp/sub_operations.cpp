#include "sub_operations.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include "index/index.h"
#include "net/dimse_status.h"

namespace medvqa::scp {

void SubOperations::record(const StoredInstance& instance, Uint16 storeStatus) {
  if (remaining_ > 0) --remaining_;
  switch (net::classifyDimseStatus(storeStatus)) {
    case net::DimseStatusClass::Success: ++completed_; break;
    case net::DimseStatusClass::Warning: ++warning_; break;
    default:  // a failure, or a cancel or pending status that no C-STORE response may carry
      ++failed_;
      failedUids_.push_back(instance.sopInstanceUid);
  }
  sent_.add(instance.studyUid, instance.sopClassUid, net::storedByPeer(storeStatus));
}

Uint16 SubOperations::finalStatus() const {
  if (cancelled_) return status::kCancel;
  if (failed_ == 0 && warning_ == 0) return status::kSuccess;
  if (completed_ == 0 && warning_ == 0) return status::kUnableToPerformSubOperations;  // every one failed
  return status::kSubOperationsFailed;
}

std::string SubOperations::summary() const {
  std::string text = std::to_string(completed_) + " sent, ";
  if (warning_ > 0) text += std::to_string(warning_) + " sent with a warning, ";
  return text + std::to_string(failed_) + " failed";
}

std::unique_ptr<DcmDataset> SubOperations::failedIdentifier() const {
  if (failedUids_.empty()) return nullptr;
  std::string list;
  for (const auto& uid : failedUids_) list += (list.empty() ? "" : "\\") + uid;
  auto identifier = std::make_unique<DcmDataset>();
  identifier->putAndInsertString(DCM_FailedSOPInstanceUIDList, list.c_str());
  return identifier;
}

}  // namespace medvqa::scp
