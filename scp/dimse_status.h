#pragma once

#include <dcmtk/dcmnet/dimse.h>

#include "net/dimse_status.h"

namespace medvqa::scp {

// DIMSE status codes the node answers with (PS3.4 B.2.3, C.4), beyond DCMTK's STATUS_* names.
// What a code received from a peer means is net::classifyDimseStatus's to say.
namespace status {
constexpr Uint16 kSuccess = 0x0000;
constexpr Uint16 kPending = 0xFF00;
constexpr Uint16 kPendingOptionalKeysUnsupported = 0xFF01;  // C-FIND: some keys ignored for matching
constexpr Uint16 kCancel = 0xFE00;
constexpr Uint16 kProcessingFailure = 0x0110;
constexpr Uint16 kOutOfResources = 0xA700;
constexpr Uint16 kCannotComputeMatches = 0xA701;  // Q/R: out of resources, no matches
constexpr Uint16 kUnableToPerformSubOperations = 0xA702;
constexpr Uint16 kMoveDestinationUnknown = 0xA801;
constexpr Uint16 kIdentifierDoesNotMatch = 0xA900;  // also "data set does not match SOP class"
constexpr Uint16 kCannotUnderstand = 0xC000;        // C-STORE's name for 0xC000
constexpr Uint16 kUnableToProcess = 0xC000;         // C-FIND's, C-GET's and C-MOVE's
constexpr Uint16 kSubOperationsFailed = 0xB000;     // warning: some sub-operations failed or warned
}  // namespace status

using net::hexStatus;

}  // namespace medvqa::scp
