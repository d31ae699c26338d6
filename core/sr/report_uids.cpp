#include "sr/report_uids.h"

#include <dcmtk/dcmdata/dcuid.h>

#include <cstdint>

#include "dicom/uid.h"
#include "synth/derived_uid.h"

namespace medvqa::sr {

namespace {

std::string givenOrNew(const std::string& given, const char* root, const char* what) {
  if (!given.empty()) return dicom::requireUid(given, what);
  char uid[100];
  return dcmGenerateUniqueIdentifier(uid, root);
}

// FNV-1a: a stable 64-bit seed from the UID text (std::hash is not stable across builds).
std::uint64_t seedOf(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
  return hash;
}

}  // namespace

ReportUids reportUids(const std::string& seriesInstanceUid, const std::string& sopInstanceUid) {
  return {givenOrNew(seriesInstanceUid, SITE_SERIES_UID_ROOT, "SR Series Instance UID"),
          givenOrNew(sopInstanceUid, SITE_INSTANCE_UID_ROOT, "SR SOP Instance UID")};
}

std::string trackingUid(const std::string& reportSopInstanceUid, std::size_t index) {
  // derivedUid makes an RFC 9562 version-8 UUID of (seed, purpose, index): collisions between
  // different SRs need a 64-bit FNV collision of their SOP Instance UIDs.
  return synth::derivedUid(seedOf(reportSopInstanceUid), "medvqa-sr-tracking-uid", {index});
}

}  // namespace medvqa::sr
