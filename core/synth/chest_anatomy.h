// A chest phantom's anatomy and findings, in the patient's frame (PA projection).
//
// Coordinates are millimetres in the coronal plane: u runs towards the PATIENT'S LEFT, v runs
// towards the feet, the origin is mid-thorax. Rendering (chest_phantom.h) maps u onto increasing
// column index, so the patient's left lands on the image's right, as a PA film is read.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "synth/findings.h"
#include "synth/geometry.h"
#include "synth/random.h"

namespace medvqa::synth {

/// One hemithorax. Its local lateral coordinate is x = sign * u (grows towards its own chest
/// wall), so the right and the left lung share one description.
struct Hemithorax {
  double sign = 1.0;          // +1 patient left, -1 patient right
  double centreX = 0.0;       // centre of the pleural cavity outline (superellipse)
  double widestV = 0.0;       // level where the cavity is widest
  double halfWidth = 0.0;
  double topHalfHeight = 0.0;     // ellipse above widestV (rounded apex)
  double bottomHalfHeight = 0.0;  // squarer superellipse below (wide base, sharp angles)
  double costophrenicV = 0.0;     // diaphragm level at the chest wall
  double domeV = 0.0;             // top of the diaphragm dome
  double domeX = 0.0;
  Point hilum;                    // (x, v): where vessels and collapse converge
  // Pleural effusion: fluid above a meniscus that climbs the lateral wall.
  bool effusion = false;
  double effusionMedialHeight = 0.0;   // above costophrenicV, mm
  double effusionLateralHeight = 0.0;
  // Pneumothorax: the lung shrinks towards its hilum by these factors; air fills the rest.
  bool pneumothorax = false;
  double collapseX = 1.0;
  double collapseV = 1.0;

  double lateralWallX() const { return centreX + halfWidth; }
  /// Level of the cavity outline (<1 inside) at local (x, v); 1 on the outline.
  double cavityLevel(double x, double v) const;
  double diaphragmV(double x) const;
  double meniscusV(double x) const;
  /// Local point of the uncollapsed lung that the collapsed lung shows at (x, v).
  Point uncollapsed(double x, double v) const;
};

struct Nodule {
  Point centre;  // (u, v)
  double radius = 0.0;
};

/// A lung vessel, drawn as a tapered line; endpoints in (u, v).
struct Vessel {
  Point from, to;
  double radius = 0.0;
  double strength = 0.0;
};

struct ChestAnatomy {
  double thoraxHalfWidth = 0.0;  // inner chest wall: the thoracic width of the CTR is twice this
  double bodyHalfWidth = 0.0;
  double neckHalfWidth = 0.0;
  double shoulderV = 0.0;
  double spineHalfWidth = 0.0;
  double ribTopV = 0.0;
  double ribSpacing = 0.0;
  std::array<Hemithorax, 2> sides;  // [0] patient right, [1] patient left
  Point heartCentre;                // (u, v)
  double heartRadiusU = 0.0;
  double heartRadiusV = 0.0;
  double heartBaseV = 0.0;          // where the heart meets the diaphragm
  std::vector<Nodule> nodules;
  std::vector<Vessel> vessels;

  const Hemithorax& sideAt(double u) const { return sides[u < 0.0 ? 0 : 1]; }
  double cardiothoracicRatio() const { return heartRadiusU / thoraxHalfWidth; }
};

/// Per-pixel classification the renderer and the nodule placement share (values 0..1, soft).
struct ChestTissues {
  double cavity = 0.0;     // pleural cavity above the diaphragm
  double heart = 0.0;
  double effusion = 0.0;
  double aerated = 0.0;    // lung that still holds parenchyma and vessels
  double freeAir = 0.0;    // pneumothorax: air without lung
  double pleuralLine = 0.0;
};
ChestTissues tissuesAt(const ChestAnatomy& a, double u, double v);

/// Draws an anatomy (size, shape, heart, diaphragm, vessels) and places the findings.
/// Cardiomegaly gives a cardiothoracic ratio of 0.55-0.66, a normal heart 0.38-0.46.
/// Each part draws from its own stream of `seed`, so the same seed with another finding gives
/// the same body with only that finding changed.
ChestAnatomy planChestAnatomy(const ChestFindings& findings, std::uint64_t seed);

}  // namespace medvqa::synth
