#include "audit/event_parts.h"

#include <arpa/inet.h>
#include <unistd.h>

#include "audit/audit_codes.h"

namespace medvqa::audit {
namespace {

AccessPointType accessPointTypeOf(const std::string& host) {
  if (host.empty()) return AccessPointType::None;
  unsigned char address[sizeof(in6_addr)];
  const bool ip = inet_pton(AF_INET, host.c_str(), address) == 1 || inet_pton(AF_INET6, host.c_str(), address) == 1;
  return ip ? AccessPointType::IpAddress : AccessPointType::MachineName;
}

}  // namespace

ActiveParticipant nodeParticipant(const std::string& aet, bool isRequestor, std::vector<Code> roles) {
  ActiveParticipant p;
  p.userId = aet;
  p.alternativeUserId = std::to_string(::getpid());
  p.isRequestor = isRequestor;
  p.roles = std::move(roles);
  return p;
}

ActiveParticipant peerParticipant(const std::string& who, const std::string& host, bool isRequestor,
                                  std::vector<Code> roles) {
  ActiveParticipant p;
  p.userId = who;
  p.isRequestor = isRequestor;
  p.networkAccessPointId = host;
  p.networkAccessPointType = accessPointTypeOf(host);
  p.roles = std::move(roles);
  return p;
}

ParticipantObject patientObject(const StudyRef& study) {
  ParticipantObject o;
  o.id = study.patientId;
  o.typeCode = 1;
  o.typeCodeRole = 1;
  o.idType = codes::patientNumber();
  o.name = study.patientName;
  return o;
}

ParticipantObject studyObject(const StudyRef& study, const StudyTally::Counts& counts) {
  ParticipantObject o;
  o.id = study.studyUid;
  o.typeCode = 2;
  o.typeCodeRole = 3;
  o.idType = codes::studyInstanceUid();
  if (!study.accession.empty()) o.accessionNumbers.push_back(study.accession);
  for (const auto& [sopClass, count] : counts.bySopClass) o.sopClasses.push_back({sopClass, count, {}});
  return o;
}

std::string failureSummary(const StudyTally::Counts& counts, const std::string& what) {
  if (counts.failed == 0) return {};
  return std::to_string(counts.failed) + " of " + std::to_string(counts.total()) + " " + what + " failed";
}

}  // namespace medvqa::audit
