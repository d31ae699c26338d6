#pragma once

// DCMTK's own log (oflog) routed through ours, with the values of identifying attributes masked:
// at debug level dcmnet dumps every DIMSE message with its data set, and dcmdata prints each
// string it converts to UTF-8, so without this `--log-level debug` would write patient names.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/log.h"

namespace medvqa::log {

struct IdentifyingAttribute {
  std::uint16_t group;
  std::uint16_t element;
  std::string_view keyword;  // PS3.6; DCMTK's dictionary prefixes retired ones with RETIRED_
};

// The attributes whose values never reach a log in clear: they name, number or locate a patient,
// or name a person who could be traced to the patient (physicians, operators), or key the order
// in the RIS (accession, order numbers). Deliberately not here, since operators need them and
// they identify nobody on their own: UIDs, IssuerOfPatientID, PatientSex, PatientAge,
// InstitutionName, StudyDate, StudyID, descriptions. The one list: docs point here.
inline constexpr IdentifyingAttribute kIdentifyingAttributes[] = {
    {0x0008, 0x0050, "AccessionNumber"},
    {0x0008, 0x0090, "ReferringPhysicianName"},
    {0x0008, 0x0092, "ReferringPhysicianAddress"},
    {0x0008, 0x0094, "ReferringPhysicianTelephoneNumbers"},
    {0x0008, 0x1048, "PhysiciansOfRecord"},
    {0x0008, 0x1050, "PerformingPhysicianName"},
    {0x0008, 0x1060, "NameOfPhysiciansReadingStudy"},
    {0x0008, 0x1070, "OperatorsName"},
    {0x0010, 0x0010, "PatientName"},
    {0x0010, 0x0020, "PatientID"},
    {0x0010, 0x0030, "PatientBirthDate"},
    {0x0010, 0x0032, "PatientBirthTime"},
    {0x0010, 0x1000, "OtherPatientIDs"},
    {0x0010, 0x1001, "OtherPatientNames"},
    {0x0010, 0x1005, "PatientBirthName"},
    {0x0010, 0x1040, "PatientAddress"},
    {0x0010, 0x1060, "PatientMotherBirthName"},
    {0x0010, 0x1090, "MedicalRecordLocator"},
    {0x0010, 0x2154, "PatientTelephoneNumbers"},
    {0x0010, 0x2155, "PatientTelecomInformation"},
    {0x0032, 0x1032, "RequestingPhysician"},
    {0x0038, 0x0010, "AdmissionID"},
    {0x0040, 0x0006, "ScheduledPerformingPhysicianName"},
    {0x0040, 0x2016, "PlacerOrderNumberImagingServiceRequest"},
    {0x0040, 0x2017, "FillerOrderNumberImagingServiceRequest"},
    {0x0040, 0xA123, "PersonName"},
};

bool isIdentifying(std::uint16_t group, std::uint16_t element) noexcept;

// `text` with every identifying value replaced by mask(value). Recognised, by tag number and not
// by attribute name: DCMTK's data set dump ("(0010,0010) PN [DOE^JOHN]  #  8, 1 PatientName",
// at any indentation, a value running over several lines included; unbracketed values such as
// the hex of a UN element too), and dcmdata's "DcmSpecificCharacterSet: Converting '...'", whose
// value belongs to no named attribute and so is always masked. Everything else is kept as is.
std::string maskIdentifyingValues(std::string_view text);

// Replaces DCMTK's console output with our log: each oflog event becomes one log::write at the
// matching level (TRACE/DEBUG -> Debug, INFO -> Info, WARN -> Warn, ERROR/FATAL -> Error), masked
// as above. DCMTK itself logs from DEBUG when `level` is Debug; otherwise from WARN (its INFO is a
// line per DIMSE message), and from ERROR when `level` is Error. Call before other threads start.
void routeDcmtkLogging(Level level);

}  // namespace medvqa::log
