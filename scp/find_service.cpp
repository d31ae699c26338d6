// C-FIND SCP (Patient Root and Study Root): the core's index does the matching; this file only
// streams each match back as a Pending response and honours C-CANCEL between them.
#include <dcmtk/dcmdata/dcdeftag.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "association.h"
#include "audit/audit_trail.h"
#include "audit/dataset_bytes.h"
#include "audit/dicom_events.h"
#include "common/error.h"
#include "common/log.h"
#include "dimse_status.h"
#include "index/index.h"
#include "metrics/metrics.h"
#include "query_model.h"

namespace medvqa::scp {
namespace {

void logIgnoredKeys(const std::string& peer, const std::vector<std::string>& keys) {
  std::string names;
  for (const auto& key : keys) names += (names.empty() ? "" : ", ") + key;
  log::info("C-FIND from " + peer + ": keys not supported for matching were ignored (Pending FF01): " + names);
}

audit::Outcome auditOutcomeOf(Uint16 finalStatus) {
  if (finalStatus == status::kSuccess || finalStatus == status::kCancel) return audit::Outcome::Success;
  return finalStatus == status::kIdentifierDoesNotMatch ? audit::Outcome::MinorFailure : audit::Outcome::SeriousFailure;
}

}  // namespace

OFCondition NodeAssociation::handleFind(T_DIMSE_C_FindRQ& request, T_ASC_PresentationContextID presId) {
  const auto started = std::chrono::steady_clock::now();
  DcmDataset* received = nullptr;
  OFCondition cond = receiveFINDRequest(request, presId, received);
  dataSetReceived();
  if (cond.bad()) return cond;
  const std::unique_ptr<DcmDataset> identifier(received);
  const OFString sopClass = request.AffectedSOPClassUID;
  if (services_.audit) {
    // The query as the peer sent it, taken before matching reads it; recorded once answered.
    auditOutcome_ = [this, query = audit::encodedAsReceived(*identifier), sopClass](Uint16 finalStatus,
                                                                                    const std::string& problem) {
      services_.audit->record(audit::queryReceived(caller(), services_.config.aet, sopClass.c_str(), query.bytes,
                                                   query.transferSyntaxUid, auditOutcomeOf(finalStatus), problem));
    };
  }

  const auto model = queryModelFor(sopClass.c_str());
  if (!model) {
    cond = sendFINDResponse(presId, request.MessageID, sopClass, nullptr, status::kIdentifierDoesNotMatch);
    auditOutcome(status::kIdentifierDoesNotMatch, "not a C-FIND SOP class this node serves");
    return cond;
  }

  FindOptions options;
  options.combinedDateTimeMatching = combinedDateTimeMatching_.count(sopClass.c_str()) > 0;
  // Filled before the first match: keys whose values the index could not match on were ignored,
  // which each Pending response then says (FF01, PS3.4 C.4.1.1.4).
  std::vector<std::string> ignored;
  Uint16 finalStatus = status::kSuccess;
  std::string problem;
  unsigned matches = 0;
  try {
    const auto onMatch = [&](DcmDataset& match) {
      if (checkForCANCEL(presId, request.MessageID).good()) {
        finalStatus = status::kCancel;
        return false;
      }
      match.putAndInsertString(DCM_RetrieveAETitle, services_.config.aet.c_str());
      const Uint16 pending = ignored.empty() ? status::kPending : status::kPendingOptionalKeysUnsupported;
      cond = sendFINDResponse(presId, request.MessageID, sopClass, &match, pending);
      ++matches;
      return cond.good();
    };
    services_.index.find(*model, *identifier, onMatch, options, &ignored);
  } catch (const Error& e) {
    finalStatus = e.code() == ErrorCode::InvalidArgument ? status::kIdentifierDoesNotMatch : status::kProcessingFailure;
    problem = e.what();
    log::warn("C-FIND from " + std::string(getPeerAETitle().c_str()) + " failed (" + hexStatus(finalStatus) +
              "): " + e.what());
  }
  if (cond.bad()) return cond;
  if (!ignored.empty()) logIgnoredKeys(getPeerAETitle().c_str(), ignored);
  OFString level;
  identifier->findAndGetOFString(DCM_QueryRetrieveLevel, level);
  services_.metrics.queryAnswered(level.c_str(), std::chrono::steady_clock::now() - started);
  log::debug("C-FIND from " + std::string(getPeerAETitle().c_str()) + ": " + std::to_string(matches) + " matches" +
             (finalStatus == status::kCancel ? " (cancelled)" : ""));
  cond = sendFINDResponse(presId, request.MessageID, sopClass, nullptr, finalStatus);
  auditOutcome(finalStatus, problem);
  return cond;
}

}  // namespace medvqa::scp
