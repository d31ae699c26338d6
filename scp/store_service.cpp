// C-STORE SCP: the data set goes straight from the wire into a file (bit-preserved, never held in
// memory whole), then the core checks it, moves it into place, fsyncs and indexes it. Success is
// answered only after that.
#include <dcmtk/dcmnet/dimse.h>

#include <filesystem>

#include "association.h"
#include "common/error.h"
#include "common/log.h"
#include "dimse_status.h"
#include "metrics/metrics.h"
#include "node/ingest.h"
#include "node/study_activity.h"
#include "store/file_store.h"

namespace medvqa::scp {
namespace {

Uint16 storeStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::LimitExceeded: return status::kOutOfResources;
    case ErrorCode::InvalidArgument: return status::kIdentifierDoesNotMatch;
    case ErrorCode::Dicom: return status::kCannotUnderstand;
    case ErrorCode::Io: return status::kOutOfResources;
    default: return status::kProcessingFailure;
  }
}

// DCMTK could not create or write the file the data set goes into (storage folder gone, not
// writable, full) and read the rest of the data set off the wire: the association is intact and
// the peer is owed an answer (DCMTK's own storescp answers out of resources).
bool readButNotWritten(const OFCondition& cond) {
  return cond.bad() && cond.module() == OFM_dcmnet && cond.code() == DIMSEC_OUTOFRESOURCES;
}

}  // namespace

OFCondition NodeAssociation::handleStore(T_DIMSE_C_StoreRQ& request, T_ASC_PresentationContextID presId) {
  const node::StoreRequest what{request.AffectedSOPClassUID, request.AffectedSOPInstanceUID, getPeerAETitle().c_str()};
  Uint16 code = status::kSuccess;
  {
    // Scoped so that a refused transfer's file is gone before the peer hears the answer.
    store::TempFile received(services_.files.newTempPath());
    const OFCondition cond = receiveSTORERequest(request, presId, received.path().c_str());
    dataSetReceived();
    if (cond.bad() && !readButNotWritten(cond)) return cond;  // the network failed: DcmSCP aborts the association
    if (cond.bad()) {
      code = status::kOutOfResources;
      log::error("C-STORE refused (status " + hexStatus(code) + ") from " + what.callingAet + ", SOP Instance UID '" +
                 what.sopInstanceUid + "': the storage folder cannot take it: " + cond.text());
    } else {
      try {
        std::error_code sizeError;
        const auto bytes = std::filesystem::file_size(received.path(), sizeError);
        const node::StoreResult result = services_.ingestor.ingest(received.path(), what);
        if (result.outcome != node::StoreOutcome::KeptExisting) received.release();
        services_.activity.noteStored(id_, result.studyInstanceUid);
        if (services_.audit) received_.add(result.studyInstanceUid, what.sopClassUid);
        services_.metrics.instanceReceived(sizeError ? 0 : bytes);
      } catch (const Error& e) {
        code = storeStatusFor(e.code());
        log::warn("C-STORE refused (status " + hexStatus(code) + ") from " + what.callingAet + ", SOP Instance UID '" +
                  what.sopInstanceUid + "': " + e.what());
      }  // anything else: handleIncomingCommand's catch-all answers, once `received` is gone
    }
  }
  if (code != status::kSuccess) services_.metrics.instanceRefused();
  return sendSTOREResponse(presId, request, code);
}

}  // namespace medvqa::scp
