#include "imaging/instance_header.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.h"
#include "imaging/dicom_file.h"
#include "imaging/functional_groups.h"

namespace medvqa::imaging {
namespace {

// More frames than any real acquisition: a header claiming more is malformed (or hostile), and
// believing it would make selection allocate per claimed frame.
constexpr int kMaxFrames = 100000;

std::optional<int> intOf(DcmItem& item, const DcmTagKey& tag) {
  Sint32 value = 0;
  if (item.findAndGetSint32(tag, value).bad()) return std::nullopt;
  return int(value);
}

template <std::size_t N>
std::optional<std::array<double, N>> doublesOf(DcmItem* item, const DcmTagKey& tag) {
  if (!item) return std::nullopt;
  std::array<double, N> values{};
  for (std::size_t i = 0; i < N; ++i)
    if (item->findAndGetFloat64(tag, values[i], i).bad() || !std::isfinite(values[i])) return std::nullopt;
  return values;
}

std::optional<Vector3> positionOf(DcmItem& dataset, int frame, int frames) {
  if (auto position =
          doublesOf<3>(functionalGroup(dataset, frame, DCM_PlanePositionSequence), DCM_ImagePositionPatient))
    return position;
  // A classic multi-frame has one position for all its frames: it orders none of them.
  if (frames == 1) return doublesOf<3>(&dataset, DCM_ImagePositionPatient);
  return std::nullopt;
}

std::optional<Vector3> normalOf(DcmItem& dataset) {
  auto orientation = doublesOf<6>(&dataset, DCM_ImageOrientationPatient);
  if (!orientation)
    orientation = doublesOf<6>(functionalGroup(dataset, 0, DCM_PlaneOrientationSequence), DCM_ImageOrientationPatient);
  if (!orientation) return std::nullopt;
  const auto& o = *orientation;
  const Vector3 n{o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
  if (std::abs(n[0]) + std::abs(n[1]) + std::abs(n[2]) < 1e-6) return std::nullopt;  // degenerate
  return n;
}

bool hasPixels(DcmItem& dataset) {
  return dataset.tagExists(DCM_PixelData) || dataset.tagExists(DCM_FloatPixelData) ||
         dataset.tagExists(DCM_DoubleFloatPixelData);
}

}  // namespace

InstanceHeader readInstanceHeader(DcmItem& dataset, const std::filesystem::path& path) {
  InstanceHeader header;
  header.path = path;
  header.studyInstanceUid = stringOf(dataset, DCM_StudyInstanceUID);
  header.seriesInstanceUid = stringOf(dataset, DCM_SeriesInstanceUID);
  header.sopInstanceUid = stringOf(dataset, DCM_SOPInstanceUID);
  header.seriesNumber = intOf(dataset, DCM_SeriesNumber);
  header.instanceNumber = intOf(dataset, DCM_InstanceNumber);
  header.frames = std::max(1, intOf(dataset, DCM_NumberOfFrames).value_or(1));
  if (header.frames > kMaxFrames)
    throw Error(ErrorCode::Dicom, "Number of Frames " + std::to_string(header.frames) + " is implausible");
  header.hasPixelData = hasPixels(dataset);
  header.normal = normalOf(dataset);
  header.positions.reserve(std::size_t(header.frames));
  for (int frame = 0; frame < header.frames; ++frame)
    header.positions.push_back(positionOf(dataset, frame, header.frames));
  return header;
}

}  // namespace medvqa::imaging
