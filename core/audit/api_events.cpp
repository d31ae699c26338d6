#include "audit/api_events.h"

#include "audit/audit_codes.h"

namespace medvqa::audit {
namespace {

constexpr const char* kAnonymous = "anonymous";

ActiveParticipant clientParticipant(const HttpClient& client) {
  return peerParticipant(client.subject.empty() ? kAnonymous : client.subject, client.ip, true, {codes::source()});
}

}  // namespace

AuditEvent studyQuestioned(const HttpClient& client, const std::string& nodeAet, const StudyRef& study, Action action,
                           const std::string& question, Outcome outcome, const std::string& outcomeDescription) {
  AuditEvent e;
  e.eventId = codes::instancesAccessed();
  e.action = action;
  e.outcome = outcome;
  e.outcomeDescription = outcomeDescription;
  e.participants.push_back(clientParticipant(client));
  e.participants.push_back(nodeParticipant(nodeAet, false, {codes::destination()}));
  ParticipantObject studyObj = studyObject(study, {});
  if (!question.empty()) studyObj.details.push_back({"Question", question});
  e.objects.push_back(std::move(studyObj));
  if (!study.patientId.empty()) e.objects.push_back(patientObject(study));
  return e;
}

AuditEvent httpRefused(const HttpClient& client, const std::string& nodeAet, int status, const std::string& method,
                       const std::string& path, const std::string& reason) {
  AuditEvent e;
  e.action = Action::Execute;
  e.outcome = Outcome::MinorFailure;
  e.outcomeDescription = "HTTP " + std::to_string(status) + ": " + reason;
  if (status == 403) {
    e.eventId = codes::securityAlert();
    e.eventTypes.push_back(codes::useOfRestrictedFunction());
  } else {
    e.eventId = codes::userAuthentication();
    e.eventTypes.push_back(codes::login());
  }
  e.participants.push_back(clientParticipant(client));
  e.participants.push_back(nodeParticipant(nodeAet, false, {codes::destination()}));
  ParticipantObject uri;
  uri.id = path;
  uri.typeCode = 2;
  uri.typeCodeRole = 13;  // Security Resource
  uri.idType = codes::uri();
  uri.name = method + " " + path;
  e.objects.push_back(std::move(uri));
  return e;
}

}  // namespace medvqa::audit
