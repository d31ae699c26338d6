#pragma once

// The UIDs an answer SR mints: its series and SOP instance (unless the caller gives them) and
// one tracking UID per measurement group.

#include <cstddef>
#include <string>

#include "sr/sr_writer.h"

namespace medvqa::sr {

// The given UIDs (validated: Error(InvalidArgument)), or new ones under DCMTK's root for each
// one left empty.
ReportUids reportUids(const std::string& seriesInstanceUid, const std::string& sopInstanceUid);

// The Tracking Unique Identifier of group `index`, derived from the SR's SOP Instance UID
// ("2.25." + a hash): writing the same SR again (same SOP Instance UID) gives the same tracking
// UIDs, and two SRs never share one.
std::string trackingUid(const std::string& reportSopInstanceUid, std::size_t index);

}  // namespace medvqa::sr
