#pragma once

#include "audit/audit_event.h"

// The DCM codes of PS3.15 A.5.3 and PS3.16 (CID 400-405) that MedVQA's audit events use.
namespace medvqa::audit::codes {

// EventID
inline Code applicationActivity() { return {"110100", "DCM", "Application Activity"}; }
inline Code beginTransferring() { return {"110102", "DCM", "Begin Transferring DICOM Instances"}; }
inline Code instancesAccessed() { return {"110103", "DCM", "DICOM Instances Accessed"}; }
inline Code instancesTransferred() { return {"110104", "DCM", "DICOM Instances Transferred"}; }
inline Code dataExport() { return {"110106", "DCM", "Export"}; }
inline Code query() { return {"110112", "DCM", "Query"}; }
inline Code securityAlert() { return {"110113", "DCM", "Security Alert"}; }
inline Code userAuthentication() { return {"110114", "DCM", "User Authentication"}; }

// EventTypeCode
inline Code applicationStart() { return {"110120", "DCM", "Application Start"}; }
inline Code applicationStop() { return {"110121", "DCM", "Application Stop"}; }
inline Code login() { return {"110122", "DCM", "Login"}; }
inline Code logout() { return {"110123", "DCM", "Logout"}; }
inline Code nodeAuthentication() { return {"110126", "DCM", "Node Authentication"}; }
inline Code useOfRestrictedFunction() { return {"110132", "DCM", "Use of Restricted Function"}; }

// RoleIDCode
inline Code application() { return {"110150", "DCM", "Application"}; }
inline Code applicationLauncher() { return {"110151", "DCM", "Application Launcher"}; }
inline Code destination() { return {"110152", "DCM", "Destination Role ID"}; }
inline Code source() { return {"110153", "DCM", "Source Role ID"}; }
inline Code destinationMedia() { return {"110154", "DCM", "Destination Media"}; }

// ParticipantObjectIDTypeCode: RFC 3881 values for the patient, DCM codes for DICOM objects.
inline Code patientNumber() { return {"2", "RFC-3881", "Patient Number"}; }
inline Code studyInstanceUid() { return {"110180", "DCM", "Study Instance UID"}; }
inline Code sopClassUid() { return {"110181", "DCM", "SOP Class UID"}; }
inline Code uri() { return {"12", "RFC-3881", "URI"}; }

}  // namespace medvqa::audit::codes
