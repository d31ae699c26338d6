#pragma once

#include <string>

#include "audit/audit_event.h"
#include "audit/event_parts.h"

// The audit events of the node's HTTP API (PS3.15 A.5.3).
namespace medvqa::audit {

// Who called the API: the bearer token's subject ("" when auth is off or the token was not
// accepted) and the client's IP address.
struct HttpClient {
  std::string subject;
  std::string ip;
};

// DICOM Instances Accessed (110103) for a question about a study (POST .../questions: action R,
// the model read the study's images; POST .../answer: action E, the rules ran again). The
// question goes in a ParticipantObjectDetail "Question" (base64, as the schema wants details).
AuditEvent studyQuestioned(const HttpClient& client, const std::string& nodeAet, const StudyRef& study, Action action,
                           const std::string& question, Outcome outcome, const std::string& outcomeDescription = {});

// A refused HTTP request. 401 (no token, or one that does not verify: expired, bad signature,
// wrong issuer): User Authentication (110114) Login with outcome 4, as a failed log-in.
// 403 (a valid token without the role): Security Alert (110113), Use of Restricted Function
// (110132), outcome 4: the user is known and reached for what they may not do. The request URI
// is the participant object (ID type 12 "URI").
AuditEvent httpRefused(const HttpClient& client, const std::string& nodeAet, int status, const std::string& method,
                       const std::string& path, const std::string& reason);

}  // namespace medvqa::audit
