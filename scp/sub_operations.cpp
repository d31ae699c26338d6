#include "sub_operations.h"

#include <dcmtk/dcmdata/dcdeftag.h>

namespace medvqa::scp {

void SubOperations::record(const std::string& sopInstanceUid, Uint16 storeStatus) {
  if (remaining_ > 0) --remaining_;
  if (storeStatus == status::kSuccess) {
    ++completed_;
  } else if (isWarning(storeStatus)) {
    ++warning_;
  } else {
    ++failed_;
    failedUids_.push_back(sopInstanceUid);
  }
}

Uint16 SubOperations::finalStatus() const {
  if (cancelled_) return status::kCancel;
  if (failed_ == 0 && warning_ == 0) return status::kSuccess;
  if (completed_ == 0 && warning_ == 0) return status::kUnableToPerformSubOperations;  // every one failed
  return status::kSubOperationsFailed;
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
