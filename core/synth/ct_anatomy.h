// An abdominal CT phantom's anatomy and findings: ellipsoids of known Hounsfield units.
//
// Coordinates are the patient's (DICOM LPS) in mm, relative to the centre of the body at the
// middle slice: x runs to the PATIENT'S LEFT, y to posterior, z to superior. With Image
// Orientation (Patient) 1\0\0\0\1\0 the patient's left is on the image's right (ct_phantom.h).
#pragma once

#include <cstdint>
#include <vector>

#include "synth/findings.h"
#include "synth/random.h"

namespace medvqa::synth {

enum class Tissue : std::uint8_t {
  Air, Fat, Muscle, Bone, Canal, Vessel, Liver, Spleen, Kidney, Bowel, Gas, OralContrast, Table,
  LiverLesion, KidneyLesion,
};

struct Ellipsoid {
  Tissue tissue = Tissue::Air;
  double hu = 0.0;
  double cx = 0.0, cy = 0.0, cz = 0.0;
  double rx = 0.0, ry = 0.0, rz = 0.0;
  double angle = 0.0;          // in-plane rotation, radians
  bool withinCavity = false;   // organs stay inside the abdominal cavity (never over the wall)

  /// Semi-axes of the cross-section at z (0 when the plane misses it).
  double scaleAt(double z) const;
  bool contains(double x, double y, double z) const;
};

// Liver lesion size classes by diameter (mm). At the 350-400 mm fields of view of ct_phantom,
// shrunk to the model's 128 x 128 input, small spans 5.1-7.3 pixels, medium 8.6-12.1, large
// 13.8-19.0: the classes do not overlap in pixels either.
struct DiameterRange {
  double min, max;
};
constexpr DiameterRange kSmallLesion{16.0, 20.0};
constexpr DiameterRange kMediumLesion{27.0, 33.0};
constexpr DiameterRange kLargeLesion{43.0, 52.0};
constexpr DiameterRange kKidneyLesion{20.0, 26.0};
/// Lesions are at least this much darker than their organ (HU): well above the noise after a
/// 40/400 window (48-62 HU: 0.12-0.155 of the window).
constexpr double kMinLesionContrast = 48.0;

struct CtAnatomy {
  std::vector<Ellipsoid> shapes;  // painted in order: a later shape covers an earlier one
  Ellipsoid cavity;               // the abdominal cavity, inside the muscle wall
  double liverHu = 0.0;
  double kidneyHu = 0.0;
  std::vector<Ellipsoid> liverLesions;   // also in shapes; centred on z = 0 (the middle slice)
  std::vector<Ellipsoid> kidneyLesions;  // also in shapes
};

/// The tissue at a point and its value (the last shape that contains it wins).
Tissue tissueAt(const CtAnatomy& a, double x, double y, double z, double* hu = nullptr);

/// Draws the body habitus and organs and places the lesions: all lesion centres lie on z = 0,
/// so every finding shows in the middle slice. Body and each finding draw from their own streams
/// of `seed`: the same seed with other findings gives the same body.
CtAnatomy planCtAnatomy(const CtFindings& findings, std::uint64_t seed);

}  // namespace medvqa::synth
