#pragma once

#include <dcmtk/dcmdata/dcdatset.h>

#include <memory>
#include <string>
#include <vector>

#include "dimse_status.h"

namespace medvqa::scp {

// Progress of a C-GET / C-MOVE: the counts its Pending responses carry and the final status with
// the Failed SOP Instance UID List (PS3.4 C.4.2.1.4, C.4.3.1.4).
class SubOperations {
 public:
  explicit SubOperations(std::size_t total) : remaining_(static_cast<unsigned>(total)) {}

  void record(const std::string& sopInstanceUid, Uint16 storeStatus);
  // A storage warning (coercion, ...): the instance reached the destination, with a remark.
  static bool isWarning(Uint16 storeStatus) { return (storeStatus & 0xF000) == 0xB000; }
  // Success or a storage warning: the instance reached the destination.
  static bool wentThrough(Uint16 storeStatus) { return storeStatus == status::kSuccess || isWarning(storeStatus); }
  void cancel() { cancelled_ = true; }

  unsigned remaining() const { return remaining_; }
  unsigned completed() const { return completed_; }
  unsigned failed() const { return failed_; }
  unsigned warning() const { return warning_; }

  Uint16 finalStatus() const;
  // The identifier of the final response: the failed UIDs, or null when nothing failed.
  std::unique_ptr<DcmDataset> failedIdentifier() const;

 private:
  unsigned remaining_;
  unsigned completed_ = 0;
  unsigned failed_ = 0;
  unsigned warning_ = 0;
  bool cancelled_ = false;
  std::vector<std::string> failedUids_;
};

}  // namespace medvqa::scp
