#pragma once

#include <string>

#include "audit/audit_event.h"
#include "audit/event_parts.h"
#include "audit/study_tally.h"

// The audit events of the node's DICOM side and its answer pipeline (PS3.15 A.5.3). Each takes
// what a front door knows at that moment and returns the event; AuditTrail::record does the rest.
namespace medvqa::audit {

// Application Activity (110100) with Application Start (110120) or Stop (110121): the node
// (Application, 110150) and the OS user who launched it (Application Launcher, 110151).
AuditEvent applicationActivity(bool start, const std::string& aet);

// User Authentication (110114) for a DICOM association: Login (110122) when accepted, Logout
// (110123) when released or aborted; the calling AE and its IP address are the requestor.
AuditEvent associationOpened(const Peer& caller, const std::string& nodeAet);
AuditEvent associationClosed(const Peer& caller, const std::string& nodeAet);
// A refused association: Login with outcome 4 (minor failure) and the reason.
AuditEvent associationRefused(const Peer& caller, const std::string& nodeAet, const std::string& reason);

// Security Alert (110113), Node Authentication (110126), outcome 4: a DICOM TLS handshake the
// node refused (no, or an untrusted, client certificate; a plain peer on the TLS port). The peer
// is known only by its address ("ip:port"); no AE title was exchanged yet.
AuditEvent nodeAuthenticationFailed(const std::string& peerAddress, const std::string& nodeAet,
                                    const std::string& reason);

// DICOM Instances Transferred (110104), action C: what one association stored of one study.
// Source (110153, requestor) the calling AE, Destination (110152) the node.
AuditEvent instancesReceived(const Peer& caller, const std::string& nodeAet, const StudyRef& study,
                             const StudyTally::Counts& counts);

// Query (110112), action E: the C-FIND identifier as sent (base64 in ParticipantObjectQuery)
// with its transfer syntax (ParticipantObjectDetail "TransferSyntax"), the SOP class queried.
AuditEvent queryReceived(const Peer& caller, const std::string& nodeAet, const std::string& sopClassUid,
                         const std::string& identifierBytes, const std::string& transferSyntaxUid, Outcome outcome,
                         const std::string& outcomeDescription = {});

// DICOM Instances Transferred (110104), action R: what a C-GET or C-MOVE sent of one study. The
// node is the Source; `destination` the Destination (for C-GET the requestor itself; for C-MOVE
// the move destination, with the requestor as a third participant). Outcome 4 when any
// sub-operation failed.
AuditEvent instancesSent(const Peer& requestor, const Peer& destination, const std::string& nodeAet,
                         const StudyRef& study, const StudyTally::Counts& counts);

// DICOM Instances Accessed (110103), action C: the answer pipeline wrote an SR into the study.
AuditEvent reportCreated(const std::string& nodeAet, const StudyRef& study, const std::string& sopClassUid,
                         const std::string& sopInstanceUid, Outcome outcome, const std::string& outcomeDescription = {});

// DICOM Instances Transferred (110104), action R: SRs (or source instances) C-STOREd to a peer.
// Outcome 8 (serious failure) when any of them did not go.
AuditEvent reportsForwarded(const std::string& nodeAet, const Peer& destination, const StudyRef& study,
                            const StudyTally::Counts& counts, const std::string& outcomeDescription = {});

// Export (110106), action R: instances uploaded to object storage; the bucket (its URI) is the
// Destination Media (110154). Outcome 8 when any upload failed.
AuditEvent dataExported(const std::string& nodeAet, const std::string& destinationUri, const StudyRef& study,
                        const StudyTally::Counts& counts, const std::string& outcomeDescription = {});

}  // namespace medvqa::audit
