// The audit trail's view of an association (core/audit): who connected and from where, what it
// stored, what a retrieve sent. Messages are recorded after the DIMSE exchange they describe, so
// an audit sink never delays a response.
#include "association.h"
#include "audit/audit_trail.h"
#include "audit/dicom_events.h"
#include "index/index.h"

namespace medvqa::scp {

audit::Peer NodeAssociation::caller() const { return {getPeerAETitle().c_str(), getPeerIP().c_str()}; }

audit::StudyRef NodeAssociation::studyRef(const std::string& studyUid) const {
  audit::StudyRef ref{studyUid, {}, {}, {}};
  try {
    if (const auto study = services_.index.study(studyUid)) {
      ref.patientId = study->patientId;
      ref.patientName = study->patientName;
      ref.accession = study->accession;
    }
  } catch (const std::exception&) {
    // The message still names the study; the index's trouble is reported where it matters.
  }
  return ref;
}

void NodeAssociation::auditOpened() {
  if (services_.audit) services_.audit->record(audit::associationOpened(caller(), services_.config.aet));
}

void NodeAssociation::auditEnded() {
  auto* trail = services_.audit;
  if (!trail) return;
  if (!acknowledged_) {
    // A connection that never sent an A-ASSOCIATE-RQ (a TCP health check, a port probe) is no
    // log-in attempt: nothing to name as the user.
    if (refusal_.empty() && caller().aet.empty()) return;
    trail->record(audit::associationRefused(
        caller(), services_.config.aet,
        refusal_.empty() ? "association not accepted (no acceptable presentation context, or the peer left)" : refusal_));
    return;
  }
  for (const auto& [study, counts] : received_.studies()) {
    trail->record(audit::instancesReceived(caller(), services_.config.aet, studyRef(study), counts));
  }
  trail->record(audit::associationClosed(caller(), services_.config.aet));
}

void NodeAssociation::auditSent(const audit::StudyTally& sent, const audit::Peer& destination) {
  if (!services_.audit) return;
  for (const auto& [study, counts] : sent.studies()) {
    services_.audit->record(audit::instancesSent(caller(), destination, services_.config.aet, studyRef(study), counts));
  }
}

}  // namespace medvqa::scp
