#pragma once

#include <string>

#include "audit/audit_event.h"
#include "audit/study_tally.h"

// The participants and objects that DICOM and API audit events share (PS3.15 A.5.3).
namespace medvqa::audit {

// A DICOM application entity or an HTTP client as seen from the node: its AE title (or user)
// and the address it connects from or is reached at.
struct Peer {
  std::string aet;
  std::string host;  // an IP address or a host name; empty when unknown
};

// A study and its patient, as far as the node knows them.
struct StudyRef {
  std::string studyUid;
  std::string patientId;
  std::string patientName;
  std::string accession;
};

// The node itself: UserID its AE title, AlternativeUserID its process id.
ActiveParticipant nodeParticipant(const std::string& aet, bool isRequestor, std::vector<Code> roles = {});
// A remote AE or client: UserID `who` (AE title, token subject), where it is, IP or name.
ActiveParticipant peerParticipant(const std::string& who, const std::string& host, bool isRequestor,
                                  std::vector<Code> roles = {});

// Participant object: the patient (type 1 person, role 1 patient, ID type 2 "Patient Number").
ParticipantObject patientObject(const StudyRef& study);
// Participant object: the study (type 2 system object, role 3 report, ID type 110180) with its
// SOP classes and instance counts, and its accession number when known.
ParticipantObject studyObject(const StudyRef& study, const StudyTally::Counts& counts);

// "2 of 5 failed" style text for EventOutcomeDescription; empty when nothing failed.
std::string failureSummary(const StudyTally::Counts& counts, const std::string& what);

}  // namespace medvqa::audit
