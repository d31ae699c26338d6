#pragma once

#include <dcmtk/dcmdata/dcdatset.h>

#include <memory>
#include <string>
#include <vector>

#include "audit/study_tally.h"
#include "dimse_status.h"

namespace medvqa {
struct StoredInstance;
}

namespace medvqa::scp {

// Progress of a C-GET / C-MOVE: the counts its Pending responses carry, the final status with
// the Failed SOP Instance UID List (PS3.4 C.4.2.1.4, C.4.3.1.4), and what went out, by study,
// for the audit trail.
//
// A sub-operation's C-STORE status is read as net::classifyDimseStatus reads it: success is
// completed; a warning (0x0001, 0xBxxx, 0x0107, 0x0116) means the instance reached the
// destination with a remark, counted among the warning sub-operations; anything else failed.
class SubOperations {
 public:
  explicit SubOperations(std::size_t total) : remaining_(static_cast<unsigned>(total)) {}

  void record(const StoredInstance& instance, Uint16 storeStatus);
  void cancel() { cancelled_ = true; }

  unsigned remaining() const { return remaining_; }
  unsigned completed() const { return completed_; }
  unsigned failed() const { return failed_; }
  unsigned warning() const { return warning_; }

  // Success when every one completed; 0xB000 when any failed or warned and not all failed;
  // 0xA702 when all failed; Cancel after cancel().
  Uint16 finalStatus() const;
  // The identifier of the final response: the failed UIDs, or null when nothing failed.
  std::unique_ptr<DcmDataset> failedIdentifier() const;
  // "3 sent, 1 failed" (and how many sent with a warning, when any): for log lines.
  std::string summary() const;
  // Each study's instances by SOP class, with how many did not reach the destination.
  const audit::StudyTally& sent() const { return sent_; }

 private:
  unsigned remaining_;
  unsigned completed_ = 0;
  unsigned failed_ = 0;
  unsigned warning_ = 0;
  bool cancelled_ = false;
  std::vector<std::string> failedUids_;
  audit::StudyTally sent_;
};

}  // namespace medvqa::scp
