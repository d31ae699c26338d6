#include "audit/dicom_events.h"

#include <pwd.h>
#include <unistd.h>

#include "audit/audit_codes.h"

namespace medvqa::audit {
namespace {

AuditEvent event(Code id, Action action, Outcome outcome = Outcome::Success, std::string description = {}) {
  AuditEvent e;
  e.eventId = std::move(id);
  e.action = action;
  e.outcome = outcome;
  e.outcomeDescription = std::move(description);
  return e;
}

std::string launchingUser() {
  const passwd* user = ::getpwuid(::geteuid());
  return user && user->pw_name ? user->pw_name : "uid " + std::to_string(::geteuid());
}

AuditEvent userAuthentication(Code type, const Peer& caller, const std::string& nodeAet, Outcome outcome,
                              const std::string& description) {
  AuditEvent e = event(codes::userAuthentication(), Action::Execute, outcome, description);
  e.eventTypes.push_back(std::move(type));
  e.participants.push_back(peerParticipant(caller.aet, caller.host, true));
  e.participants.push_back(nodeParticipant(nodeAet, false));
  return e;
}

void addStudy(AuditEvent& e, const StudyRef& study, const StudyTally::Counts& counts) {
  e.objects.push_back(studyObject(study, counts));
  e.objects.push_back(patientObject(study));
}

Outcome outcomeOf(const StudyTally::Counts& counts, Outcome onFailure) {
  return counts.failed ? onFailure : Outcome::Success;
}

}  // namespace

AuditEvent applicationActivity(bool start, const std::string& aet) {
  AuditEvent e = event(codes::applicationActivity(), Action::Execute);
  e.eventTypes.push_back(start ? codes::applicationStart() : codes::applicationStop());
  ActiveParticipant node = nodeParticipant(aet, false, {codes::application()});
  node.userName = "medvqa-scp";
  e.participants.push_back(std::move(node));
  ActiveParticipant launcher;
  launcher.userId = launchingUser();
  launcher.isRequestor = true;
  launcher.roles = {codes::applicationLauncher()};
  e.participants.push_back(std::move(launcher));
  return e;
}

AuditEvent associationOpened(const Peer& caller, const std::string& nodeAet) {
  return userAuthentication(codes::login(), caller, nodeAet, Outcome::Success, {});
}

AuditEvent associationClosed(const Peer& caller, const std::string& nodeAet) {
  return userAuthentication(codes::logout(), caller, nodeAet, Outcome::Success, {});
}

AuditEvent associationRefused(const Peer& caller, const std::string& nodeAet, const std::string& reason) {
  return userAuthentication(codes::login(), caller, nodeAet, Outcome::MinorFailure, reason);
}

AuditEvent nodeAuthenticationFailed(const std::string& peerAddress, const std::string& nodeAet,
                                    const std::string& reason) {
  AuditEvent e = event(codes::securityAlert(), Action::Execute, Outcome::MinorFailure, reason);
  e.eventTypes.push_back(codes::nodeAuthentication());
  const std::string host = peerAddress.substr(0, peerAddress.rfind(':'));
  e.participants.push_back(peerParticipant(peerAddress, host, true));
  e.participants.push_back(nodeParticipant(nodeAet, false));
  return e;
}

AuditEvent instancesReceived(const Peer& caller, const std::string& nodeAet, const StudyRef& study,
                             const StudyTally::Counts& counts) {
  AuditEvent e = event(codes::instancesTransferred(), Action::Create, outcomeOf(counts, Outcome::MinorFailure),
                       failureSummary(counts, "instances"));
  e.participants.push_back(peerParticipant(caller.aet, caller.host, true, {codes::source()}));
  e.participants.push_back(nodeParticipant(nodeAet, false, {codes::destination()}));
  addStudy(e, study, counts);
  return e;
}

AuditEvent queryReceived(const Peer& caller, const std::string& nodeAet, const std::string& sopClassUid,
                         const std::string& identifierBytes, const std::string& transferSyntaxUid, Outcome outcome,
                         const std::string& outcomeDescription) {
  AuditEvent e = event(codes::query(), Action::Execute, outcome, outcomeDescription);
  e.participants.push_back(peerParticipant(caller.aet, caller.host, true, {codes::source()}));
  e.participants.push_back(nodeParticipant(nodeAet, false, {codes::destination()}));
  ParticipantObject query;
  query.id = sopClassUid;
  query.typeCode = 2;
  query.typeCodeRole = 3;
  query.idType = codes::sopClassUid();
  query.query = identifierBytes;
  query.details.push_back({"TransferSyntax", transferSyntaxUid});
  e.objects.push_back(std::move(query));
  return e;
}

AuditEvent instancesSent(const Peer& requestor, const Peer& destination, const std::string& nodeAet,
                         const StudyRef& study, const StudyTally::Counts& counts) {
  AuditEvent e = event(codes::instancesTransferred(), Action::Read, outcomeOf(counts, Outcome::MinorFailure),
                       failureSummary(counts, "sub-operations"));
  const bool requestorReceives = requestor.aet == destination.aet && requestor.host == destination.host;
  e.participants.push_back(nodeParticipant(nodeAet, false, {codes::source()}));
  e.participants.push_back(peerParticipant(destination.aet, destination.host, requestorReceives, {codes::destination()}));
  if (!requestorReceives) e.participants.push_back(peerParticipant(requestor.aet, requestor.host, true));
  addStudy(e, study, counts);
  return e;
}

AuditEvent reportCreated(const std::string& nodeAet, const StudyRef& study, const std::string& sopClassUid,
                         const std::string& sopInstanceUid, Outcome outcome, const std::string& outcomeDescription) {
  AuditEvent e = event(codes::instancesAccessed(), Action::Create, outcome, outcomeDescription);
  e.participants.push_back(nodeParticipant(nodeAet, true, {codes::application()}));
  StudyTally::Counts counts;
  counts.bySopClass[sopClassUid] = 1;
  addStudy(e, study, counts);
  e.objects.front().sopClasses.front().instanceUids.push_back(sopInstanceUid);
  return e;
}

AuditEvent reportsForwarded(const std::string& nodeAet, const Peer& destination, const StudyRef& study,
                            const StudyTally::Counts& counts, const std::string& outcomeDescription) {
  AuditEvent e = event(codes::instancesTransferred(), Action::Read, outcomeOf(counts, Outcome::SeriousFailure),
                       outcomeDescription);
  e.participants.push_back(nodeParticipant(nodeAet, true, {codes::source()}));
  e.participants.push_back(peerParticipant(destination.aet, destination.host, false, {codes::destination()}));
  addStudy(e, study, counts);
  return e;
}

AuditEvent dataExported(const std::string& nodeAet, const std::string& destinationUri, const StudyRef& study,
                        const StudyTally::Counts& counts, const std::string& outcomeDescription) {
  AuditEvent e = event(codes::dataExport(), Action::Read, outcomeOf(counts, Outcome::SeriousFailure),
                       outcomeDescription);
  e.participants.push_back(nodeParticipant(nodeAet, true, {codes::source()}));
  ActiveParticipant media;
  media.userId = destinationUri;
  media.roles = {codes::destinationMedia()};
  e.participants.push_back(std::move(media));
  addStudy(e, study, counts);
  return e;
}

}  // namespace medvqa::audit
