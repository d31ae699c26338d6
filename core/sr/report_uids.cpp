#include "sr/report_uids.h"

#include <dcmtk/dcmdata/dcuid.h>

#include <cstdint>

#include "dicom/uid.h"

namespace medvqa::sr {

namespace {

std::string givenOrNew(const std::string& given, const char* root, const char* what) {
  if (!given.empty()) return dicom::requireUid(given, what);
  char uid[100];
  return dcmGenerateUniqueIdentifier(uid, root);
}

}  // namespace

ReportUids reportUids(const std::string& seriesInstanceUid, const std::string& sopInstanceUid) {
  return {givenOrNew(seriesInstanceUid, SITE_SERIES_UID_ROOT, "SR Series Instance UID"),
          givenOrNew(sopInstanceUid, SITE_INSTANCE_UID_ROOT, "SR SOP Instance UID")};
}

std::string trackingUid(const std::string& reportSopInstanceUid, std::size_t index) {
  // derivedUid makes an RFC 9562 version-8 UUID of (seed, purpose, index): collisions between
  // different SRs need a 64-bit FNV-1a collision (uidSeed) of their SOP Instance UIDs.
  return dicom::derivedUid(dicom::uidSeed(reportSopInstanceUid), "medvqa-sr-tracking-uid", {index});
}

}  // namespace medvqa::sr
