#include "pipeline/study_source.h"

#include <openssl/sha.h>

#include <algorithm>

namespace medvqa::pipeline {

std::string StudySnapshot::fingerprint() const {
  std::vector<std::string> sorted = instanceUids;
  std::sort(sorted.begin(), sorted.end());
  std::string joined;
  for (const auto& uid : sorted) joined += uid + '\n';
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string hex = std::to_string(sorted.size()) + ":";
  for (int i = 0; i < 12; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

bool isMedVqaSeries(const std::string& modality, const std::string& seriesDescription) {
  return modality == "SR" && seriesDescription == kAnswerSeriesDescription;
}

}  // namespace medvqa::pipeline
