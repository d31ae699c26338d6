#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

class DcmItem;

namespace medvqa::imaging {

using Vector3 = std::array<double, 3>;

// What series selection needs to know about one instance, read from its header.
struct InstanceHeader {
  std::filesystem::path path;
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  std::string sopInstanceUid;
  std::optional<int> seriesNumber;
  std::optional<int> instanceNumber;
  int frames = 1;
  bool hasPixelData = false;  // false: SR, KOS, presentation states... not images
  // Image Position (Patient) per frame: the top level for a single frame, the Plane Position
  // functional group for an enhanced multi-frame; nullopt where the file does not say.
  std::vector<std::optional<Vector3>> positions;
  // The slice normal, row x column direction cosines of Image Orientation (Patient).
  std::optional<Vector3> normal;
};

InstanceHeader readInstanceHeader(DcmItem& dataset, const std::filesystem::path& path);

}  // namespace medvqa::imaging
