#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace medvqa::audit {

// A coded value as the DICOM audit schema writes it (csd-code, codeSystemName, originalText).
struct Code {
  std::string code;
  std::string system = "DCM";
  std::string meaning;
};

// EventActionCode (PS3.15 A.5.1): what the event did to the objects it names.
enum class Action : char { Create = 'C', Read = 'R', Update = 'U', Delete = 'D', Execute = 'E' };

// EventOutcomeIndicator.
enum class Outcome : int { Success = 0, MinorFailure = 4, SeriousFailure = 8, MajorFailure = 12 };

// NetworkAccessPointTypeCode; None leaves both the ID and the type out.
enum class AccessPointType : int { None = 0, MachineName = 1, IpAddress = 2 };

// A person or process taking part: a calling AE, the node itself, a token's subject.
struct ActiveParticipant {
  std::string userId;
  std::string alternativeUserId;
  std::string userName;
  bool isRequestor = false;
  std::string networkAccessPointId;
  AccessPointType networkAccessPointType = AccessPointType::None;
  std::vector<Code> roles;  // RoleIDCode: 110153 Source, 110152 Destination, 110150 Application...
};

// Who reports the event: this node (AuditSourceTypeCode 4, "Application Server").
struct AuditSource {
  std::string enterpriseSiteId;  // empty: left out
  std::string sourceId;          // the node's AE title
  std::string typeCode = "4";
};

// ParticipantObjectDescription/SOPClass: how many instances of one class an event touched.
struct SopClassCount {
  std::string sopClassUid;
  std::uint64_t instances = 0;
  std::vector<std::string> instanceUids;  // optional: listed as SOPClass/Instance
};

// ParticipantObjectDetail: a name and a value, which the XML carries base64-encoded.
struct ObjectDetail {
  std::string type;
  std::string value;
};

// A patient, a study, a query...: what the event was about.
struct ParticipantObject {
  std::string id;
  int typeCode = 0;      // 1 person, 2 system object; 0 leaves it out
  int typeCodeRole = 0;  // 1 patient, 3 report, 24 query...; 0 leaves it out
  Code idType;           // ParticipantObjectIDTypeCode
  // The schema wants either a name or a query; a query (raw bytes, base64 in the XML) wins.
  std::string name;
  std::optional<std::string> query;
  std::vector<ObjectDetail> details;
  std::vector<std::string> accessionNumbers;  // in ParticipantObjectDescription
  std::vector<SopClassCount> sopClasses;      // in ParticipantObjectDescription
};

// One audit event (PS3.15 A.5.3): serialised by audit_xml.h, recorded by AuditTrail.
struct AuditEvent {
  Code eventId;
  Action action = Action::Execute;
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
  Outcome outcome = Outcome::Success;
  std::string outcomeDescription;  // empty: left out
  std::vector<Code> eventTypes;
  std::vector<ActiveParticipant> participants;
  AuditSource source;  // AuditTrail fills it in when the event leaves it empty
  std::vector<ParticipantObject> objects;
};

}  // namespace medvqa::audit
