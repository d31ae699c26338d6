#include "dataset.h"

#include <array>
#include <cstdio>
#include <string_view>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "common/civil_date.h"
#include "common/hash.h"
#include "dicom/uid.h"
#include "synth/dicom_modules.h"

namespace medvqa::gen {
namespace {

// Family names: mostly ASCII, some that need ISO_IR 192 (UTF-8), and a few that break naive
// SQL / path / wildcard handling (apostrophe, spaces).
constexpr std::array<std::string_view, 26> kFamilyNames = {
    "DOE",    "SMITH",   "JOHNSON",  "BROWN",     "GARCIA",     "MILLER",   "DAVIS",
    "WILSON", "TAYLOR",  "NGUYEN",   "MARTIN",    "ROSSI",      "KOWALSKI", "JANSSEN",
    "DUBOIS", "O'BRIEN", "VAN DER BERG", "MÜLLER", "GARCÍA",    "ØSTERGÅRD", "SCHRÖDER",
    "ŁUKASIEWICZ", "PETROVIĆ", "NGUYỄN", "DOEBLER", "DOE-SMITH"};
constexpr std::array<std::string_view, 18> kGivenNames = {
    "JOHN", "JANE", "ALEX", "MARIA", "LUCAS", "EMMA", "NOAH", "OLIVIA", "LIAM",
    "AVA",  "MOHAMMED", "YUKI", "PRIYA", "SOFÍA", "JÖRG", "ZOË", "FRANÇOIS", "ANA"};
constexpr std::array<std::string_view, 6> kReferring = {
    "", "WELBY^MARCUS", "HOUSE^GREGORY", "GREY^MEREDITH", "KILDARE^JAMES", "QUINN^MICHAELA"};

struct Protocol {
  const char* description;
  double thickness;
  // MR only
  const char* scanningSequence = "SE";
  double tr = 0, te = 0, ti = 0;
};

constexpr Protocol kCtProtocols[] = {
    {"AXIAL 5MM SOFT TISSUE", 5.0}, {"AXIAL 1.25MM LUNG", 1.25}, {"AXIAL 2.5MM BONE", 2.5}};
constexpr Protocol kMrProtocols[] = {
    {"T1 AX", 5.0, "SE", 500, 15},        {"T2 AX", 5.0, "SE", 4000, 100},
    {"FLAIR AX", 5.0, "IR", 9000, 120, 2500}, {"DWI AX", 5.0, "EP", 6000, 80},
    {"T1 AX POST", 5.0, "SE", 500, 15}};

bool isAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

unsigned parseTime(const std::string& t) {
  return unsigned(std::stoi(t.substr(0, 2))) * 3600 + unsigned(std::stoi(t.substr(2, 2))) * 60 +
         unsigned(std::stoi(t.substr(4, 2)));
}

// Attributes as `medvqa synth` writes them: DCMTK's refusal named, locale-free decimal strings.
using synth::decimalString;
using synth::put;

}  // namespace

std::string genUid(std::uint64_t seed, std::string_view purpose, std::initializer_list<std::uint64_t> indices) {
  return dicom::derivedUid(seed, "medvqa-gen/" + std::string(purpose), indices);
}

const char* sopClassFor(Modality m) {
  switch (m) {
    case Modality::CT: return UID_CTImageStorage;
    case Modality::MR: return UID_MRImageStorage;
    case Modality::CR: return UID_ComputedRadiographyImageStorage;
  }
  return UID_SecondaryCaptureImageStorage;
}

PatientInfo CorpusPlan::patient(unsigned p) const {
  PatientInfo pi;
  char id[32];
  std::snprintf(id, sizeof id, "MV%03u%07u", unsigned(o_.seed % 1000), p);
  pi.id = id;
  const std::uint64_t h = streamSeed(o_.seed, "patient", {p});
  const std::string_view family = kFamilyNames[h % kFamilyNames.size()];
  const std::string_view given = kGivenNames[(h >> 16) % kGivenNames.size()];
  // (appends rather than operator+: GCC 12 warns falsely on the latter, -Wrestrict PR105651)
  pi.name.append(family).append(1, '^').append(given);
  if ((h >> 24) % 5 == 0) pi.name.append(1, '^').append(1, char('A' + (h >> 32) % 26));  // middle initial
  const std::int64_t birth = daysFromCivil({1935, 1, 1}) + std::int64_t((h >> 40) % (70 * 365));
  pi.birthDate = dicomDate(civilFromDays(birth));
  const unsigned sx = unsigned((h >> 8) % 100);
  pi.sex.assign(1, sx < 49 ? 'M' : (sx < 98 ? 'F' : 'O'));
  return pi;
}

StudyInfo CorpusPlan::study(unsigned s) const {
  StudyInfo st;
  st.index = s;
  st.patient = patient(s % o_.patients);
  st.uid = genUid(o_.seed, "study", {s});
  const std::uint64_t h = streamSeed(o_.seed, "study-meta", {s});
  const std::int64_t day =
      daysFromCivil({o_.dateFrom.year, int(o_.dateFrom.month), int(o_.dateFrom.day)}) + std::int64_t(h % o_.dateDays);
  st.date = dicomDate(civilFromDays(day));
  st.time = dicomTime(7 * 3600 + unsigned((h >> 20) % (13 * 3600)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "ACC%03u%07u", unsigned(o_.seed % 1000), s);
  st.accession = buf;
  st.studyId = std::to_string(s + 1);
  st.referringPhysician = std::string(kReferring[(h >> 40) % kReferring.size()]);
  const unsigned pick = unsigned((h >> 48) % 100);
  switch (o_.modality) {
    case Modality::CT:
      if (pick < 50) st.anatomy = Anatomy::Chest, st.bodyPart = "CHEST",
                     st.description = pick < 35 ? "CT CHEST WITH CONTRAST" : "CT CHEST LOW DOSE";
      else if (pick < 80) st.anatomy = Anatomy::Abdomen, st.bodyPart = "ABDOMEN",
                          st.description = "CT ABDOMEN PELVIS WITH CONTRAST";
      else st.anatomy = Anatomy::Head, st.bodyPart = "HEAD", st.description = "CT HEAD WITHOUT CONTRAST";
      break;
    case Modality::MR:
      if (pick < 65) st.anatomy = Anatomy::Head, st.bodyPart = "HEAD",
                     st.description = "MR BRAIN WITH AND WITHOUT CONTRAST";
      else st.anatomy = Anatomy::Knee, st.bodyPart = "KNEE", st.laterality = pick % 2 ? "L" : "R",
           st.description = std::string("MR KNEE ") + (pick % 2 ? "LEFT" : "RIGHT");
      break;
    case Modality::CR:
      if (pick < 80) st.anatomy = Anatomy::Chest, st.bodyPart = "CHEST", st.description = "XR CHEST PA AND LATERAL";
      else st.anatomy = Anatomy::Hand, st.bodyPart = "HAND", st.laterality = pick % 2 ? "L" : "R",
           st.description = std::string("XR HAND ") + (pick % 2 ? "LEFT" : "RIGHT") + " 2 VIEWS";
      break;
  }
  // Age at the study date, in whole years.
  const int by = std::stoi(st.patient.birthDate.substr(0, 4)), sy = std::stoi(st.date.substr(0, 4));
  const bool hadBirthday = st.date.substr(4) >= st.patient.birthDate.substr(4);
  std::snprintf(buf, sizeof buf, "%03dY", sy - by - (hadBirthday ? 0 : 1));
  st.patientAge = buf;
  return st;
}

SeriesInfo CorpusPlan::series(const StudyInfo& st, unsigned se) const {
  SeriesInfo sr;
  sr.index = se;
  sr.number = se + 1;
  sr.uid = genUid(o_.seed, "series", {st.index, se});
  sr.frameOfReferenceUid = genUid(o_.seed, "frame-of-reference", {st.index});
  sr.time = dicomTime(parseTime(st.time) + 120 + se * 240);
  const double cols = double(o_.cols);
  switch (o_.modality) {
    case Modality::CT: {
      const Protocol& p = kCtProtocols[se % std::size(kCtProtocols)];
      sr.variant = unsigned(se % std::size(kCtProtocols));
      sr.description = p.description;
      sr.sliceThickness = p.thickness;
      sr.pixelSpacing = 360.0 / cols;
      break;
    }
    case Modality::MR: {
      const Protocol& p = kMrProtocols[se % std::size(kMrProtocols)];
      sr.variant = unsigned(se % std::size(kMrProtocols));
      sr.description = p.description;
      sr.sliceThickness = p.thickness;
      sr.pixelSpacing = 240.0 / cols;
      break;
    }
    case Modality::CR:
      sr.variant = se % 2;
      if (st.anatomy == Anatomy::Chest) sr.viewPosition = se % 2 ? "LL" : "PA", sr.description = se % 2 ? "LATERAL" : "PA";
      else sr.viewPosition = se % 2 ? "" : "PA", sr.description = se % 2 ? "OBLIQUE" : "PA";
      sr.pixelSpacing = 430.0 / cols;
      sr.sliceThickness = 0.0;
      break;
  }
  return sr;
}

std::string CorpusPlan::sopInstanceUid(unsigned s, unsigned se, unsigned i) const {
  return genUid(o_.seed, "sop-instance", {s, se, i});
}

std::uint64_t CorpusPlan::noiseSeed(unsigned s, unsigned se, unsigned i) const {
  return streamSeed(o_.seed, "noise", {s, se, i});
}

std::unique_ptr<DcmFileFormat> buildInstance(Modality m, const StudyInfo& st, const SeriesInfo& se,
                                             unsigned instanceIndex,
                                             const std::string& sopInstanceUid, const Image& img,
                                             bool derived8bit) {
  auto ff = std::make_unique<DcmFileFormat>();
  DcmDataset& d = *ff->getDataset();

  // SOP Common
  if (!isAscii(st.patient.name) || !isAscii(st.referringPhysician)) put(d, DCM_SpecificCharacterSet, "ISO_IR 192");
  // CT and MR IODs demand 16 bits allocated: an 8-bit (windowed) image of them is written as
  // Secondary Capture (Modality kept), which is what such images are in practice.
  const bool secondaryCapture = derived8bit && m != Modality::CR;
  put(d, DCM_SOPClassUID, secondaryCapture ? UID_SecondaryCaptureImageStorage : sopClassFor(m));
  put(d, DCM_SOPInstanceUID, sopInstanceUid);
  put(d, DCM_InstanceCreationDate, st.date);
  put(d, DCM_InstanceCreationTime, se.time);

  // Patient
  put(d, DCM_PatientName, st.patient.name);
  put(d, DCM_PatientID, st.patient.id);
  put(d, DCM_IssuerOfPatientID, "MEDVQA-GEN");
  put(d, DCM_PatientBirthDate, st.patient.birthDate);
  put(d, DCM_PatientSex, st.patient.sex);

  // General Study + Patient Study
  put(d, DCM_StudyInstanceUID, st.uid);
  put(d, DCM_StudyDate, st.date);
  put(d, DCM_StudyTime, st.time);
  put(d, DCM_AccessionNumber, st.accession);
  put(d, DCM_StudyID, st.studyId);
  put(d, DCM_StudyDescription, st.description);
  put(d, DCM_ReferringPhysicianName, st.referringPhysician);
  put(d, DCM_PatientAge, st.patientAge);

  // General Series
  put(d, DCM_Modality, modalityName(m));
  put(d, DCM_SeriesInstanceUID, se.uid);
  put(d, DCM_SeriesNumber, std::to_string(se.number));
  put(d, DCM_SeriesDate, st.date);
  put(d, DCM_SeriesTime, se.time);
  put(d, DCM_SeriesDescription, se.description);
  put(d, DCM_BodyPartExamined, st.bodyPart);
  if (!st.laterality.empty()) put(d, DCM_Laterality, st.laterality);

  // General Equipment
  put(d, DCM_Manufacturer, "MedVQA");
  put(d, DCM_ManufacturerModelName, "medvqa-gen");
  put(d, DCM_InstitutionName, "MEDVQA TEST HOSPITAL");
  put(d, DCM_StationName, "GEN01");
  put(d, DCM_SoftwareVersions, "medvqa-gen 0.1");

  // General Image / Acquisition
  put(d, DCM_InstanceNumber, std::to_string(instanceIndex + 1));
  put(d, DCM_ContentDate, st.date);
  put(d, DCM_ContentTime, se.time);
  put(d, DCM_AcquisitionNumber, "1");
  put(d, DCM_AcquisitionDate, st.date);
  put(d, DCM_AcquisitionTime, se.time);
  if (derived8bit) put(d, DCM_DerivationDescription, "windowed to 8 bits by medvqa-gen");
  if (secondaryCapture) {
    put(d, DCM_ConversionType, "WSD");
    put(d, DCM_PatientOrientation, "L\\P");  // axial: rows toward the left, columns toward posterior
  }

  const double fov = se.pixelSpacing * img.cols;
  if (m == Modality::CR) {
    put(d, DCM_ImageType, derived8bit ? "DERIVED\\PRIMARY" : "ORIGINAL\\PRIMARY");
    put(d, DCM_PatientOrientation, st.anatomy == Anatomy::Chest && se.viewPosition == "LL" ? "P\\F" : "L\\F");
    put(d, DCM_ViewPosition, se.viewPosition);
    put(d, DCM_ImagerPixelSpacing, decimalString(se.pixelSpacing) + "\\" + decimalString(se.pixelSpacing));
    put(d, DCM_KVP, st.anatomy == Anatomy::Chest ? "120" : "55");
    put(d, DCM_ExposureTime, "10");
  } else {
    // Frame of Reference + Image Plane
    put(d, DCM_FrameOfReferenceUID, se.frameOfReferenceUid);
    put(d, DCM_PositionReferenceIndicator, "");
    put(d, DCM_PatientPosition, "HFS");
    const double z = 100.0 - instanceIndex * se.sliceThickness;
    const double x0 = -fov / 2.0 + se.pixelSpacing / 2.0;
    put(d, DCM_ImagePositionPatient, decimalString(x0) + "\\" + decimalString(x0) + "\\" + decimalString(z));
    put(d, DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
    put(d, DCM_PixelSpacing, decimalString(se.pixelSpacing) + "\\" + decimalString(se.pixelSpacing));
    put(d, DCM_SliceThickness, decimalString(se.sliceThickness));
    put(d, DCM_SliceLocation, decimalString(z));
    if (m == Modality::CT) {
      put(d, DCM_ImageType, derived8bit ? "DERIVED\\SECONDARY\\AXIAL" : "ORIGINAL\\PRIMARY\\AXIAL");
      put(d, DCM_KVP, "120");
      put(d, DCM_XRayTubeCurrent, "250");
      put(d, DCM_ConvolutionKernel, se.variant == 1 ? "LUNG" : (se.variant == 2 ? "BONE" : "STANDARD"));
      put(d, DCM_ReconstructionDiameter, decimalString(fov));
    } else {
      const Protocol& p = kMrProtocols[se.variant % std::size(kMrProtocols)];
      put(d, DCM_ImageType, derived8bit ? "DERIVED\\SECONDARY\\OTHER" : "ORIGINAL\\PRIMARY\\OTHER");
      put(d, DCM_ScanningSequence, p.scanningSequence);
      put(d, DCM_SequenceVariant, "NONE");
      put(d, DCM_ScanOptions, "");
      put(d, DCM_MRAcquisitionType, "2D");
      put(d, DCM_RepetitionTime, decimalString(p.tr));
      put(d, DCM_EchoTime, decimalString(p.te));
      if (p.ti > 0) put(d, DCM_InversionTime, decimalString(p.ti));
      put(d, DCM_EchoTrainLength, "1");
      put(d, DCM_MagneticFieldStrength, "1.5");
      put(d, DCM_ImagedNucleus, "1H");
    }
  }

  // Image Pixel (+ Modality / VOI LUT)
  put(d, DCM_SamplesPerPixel, "1");
  put(d, DCM_PhotometricInterpretation, "MONOCHROME2");
  put(d, DCM_Rows, std::to_string(img.rows));
  put(d, DCM_Columns, std::to_string(img.cols));
  put(d, DCM_BitsAllocated, std::to_string(img.bitsAllocated));
  put(d, DCM_BitsStored, std::to_string(img.bitsStored));
  put(d, DCM_HighBit, std::to_string(img.bitsStored - 1));
  put(d, DCM_PixelRepresentation, img.isSigned ? "1" : "0");
  if (img.hasRescale) {
    put(d, DCM_RescaleIntercept, decimalString(img.intercept));
    put(d, DCM_RescaleSlope, decimalString(img.slope));
  }
  put(d, DCM_WindowCenter, decimalString(img.windowCenter));
  put(d, DCM_WindowWidth, decimalString(img.windowWidth));
  OFCondition c;
  if (img.bitsAllocated == 8)
    c = d.putAndInsertUint8Array(DCM_PixelData, img.px8.data(), static_cast<unsigned long>(img.px8.size()));
  else
    c = d.putAndInsertUint16Array(DCM_PixelData, img.px16.data(), static_cast<unsigned long>(img.px16.size()));
  if (c.bad()) throw std::runtime_error(std::string("cannot set PixelData: ") + c.text());
  return ff;
}

}  // namespace medvqa::gen
