#include "synth/ct_anatomy.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace medvqa::synth {
namespace {

constexpr double kLong = 1000.0;  // z semi-axis of structures that run through every slice
constexpr double kDegree = M_PI / 180.0;

Ellipsoid shape(Tissue tissue, double hu, double cx, double cy, double rx, double ry, double cz = 0.0,
                double rz = kLong, double angle = 0.0, bool withinCavity = false) {
  Ellipsoid e;
  e.tissue = tissue, e.hu = hu;
  e.cx = cx, e.cy = cy, e.cz = cz;
  e.rx = rx, e.ry = ry, e.rz = rz;
  e.angle = angle, e.withinCavity = withinCavity;
  return e;
}

struct Habitus {
  double bodyRx, bodyRy, fat, wall;
  double spineY;  // centre of the vertebral body
};

/// Skin to cavity: subcutaneous fat, the muscle wall, then intra-abdominal fat.
void addBodyWall(CtAnatomy& a, const Habitus& h, Rng& rng) {
  a.shapes.push_back(shape(Tissue::Table, rng.uniform(120.0, 250.0), 0.0, h.bodyRy + 14.0, 220.0, 5.0));
  a.shapes.push_back(shape(Tissue::Fat, rng.uniform(-110.0, -90.0), 0.0, 0.0, h.bodyRx, h.bodyRy));
  a.shapes.push_back(shape(Tissue::Muscle, rng.uniform(40.0, 50.0), 0.0, 0.0, h.bodyRx - h.fat, h.bodyRy - h.fat));
  const double inset = h.fat + h.wall;
  a.cavity = shape(Tissue::Fat, rng.uniform(-100.0, -80.0), 0.0, 0.0, h.bodyRx - inset, h.bodyRy - inset);
  a.shapes.push_back(a.cavity);
}

void addSpineAndVessels(CtAnatomy& a, const Habitus& h, Rng& rng) {
  const double muscle = rng.uniform(45.0, 55.0);
  for (const double s : {-1.0, 1.0})  // paraspinal muscles
    a.shapes.push_back(shape(Tissue::Muscle, muscle, s * 38.0, h.spineY + 30.0, 27.0, 21.0));
  const double r = rng.uniform(18.0, 22.0);
  a.shapes.push_back(shape(Tissue::Bone, 700.0, 0.0, h.spineY, r, r * 0.9));               // cortex
  a.shapes.push_back(shape(Tissue::Bone, rng.uniform(250.0, 350.0), 0.0, h.spineY, r - 3.5, r * 0.9 - 3.5));  // cancellous
  a.shapes.push_back(shape(Tissue::Bone, 700.0, 0.0, h.spineY + r + 12.0, 9.0, 15.0));     // posterior elements
  a.shapes.push_back(shape(Tissue::Canal, 20.0, 0.0, h.spineY + r + 5.0, 8.0, 6.5));       // spinal canal
  a.shapes.push_back(shape(Tissue::Vessel, rng.uniform(38.0, 50.0), rng.uniform(6.0, 14.0), h.spineY - r - 12.0,
                           11.0, 11.0));                                                     // aorta
  a.shapes.push_back(shape(Tissue::Vessel, rng.uniform(35.0, 45.0), -rng.uniform(18.0, 25.0), h.spineY - r - 10.0,
                           12.0, 9.0));                                                      // inferior vena cava
}

/// Bowel loops in the anterior cavity, left of the liver; they come and go between slices, as
/// bowel does. Their content is gas or positive oral contrast, never water-dense fluid, which
/// would look exactly like a hypodense lesion and make the truth ambiguous.
void addBowel(CtAnatomy& a, const Habitus& h, Rng& rng) {
  const int loops = rng.integer(2, 5);
  const double front = -(h.bodyRy - h.fat - h.wall);
  for (int i = 0; i < loops; ++i) {
    const double r = rng.uniform(12.0, 22.0);
    const double cx = rng.uniform(0.0, 70.0), cy = rng.uniform(front + r + 5.0, 0.0);
    const double cz = rng.uniform(-20.0, 20.0), rz = rng.uniform(25.0, 45.0);
    a.shapes.push_back(shape(Tissue::Bowel, rng.uniform(30.0, 45.0), cx, cy, r, r * 0.85, cz, rz, 0.0, true));
    const bool gas = rng.chance(0.5);
    a.shapes.push_back(shape(gas ? Tissue::Gas : Tissue::OralContrast, gas ? -1000.0 : rng.uniform(150.0, 250.0), cx,
                             cy, r - 4.0, r * 0.85 - 4.0, cz, rz - 4.0, 0.0, true));
  }
}

void addOrgans(CtAnatomy& a, const Habitus& h, Rng& rng) {
  // Liver: the patient's right (x < 0), a right lobe and a left lobe reaching across the midline.
  a.liverHu = rng.uniform(55.0, 65.0);
  const double liverRx = rng.uniform(72.0, 86.0), liverRy = rng.uniform(72.0, 86.0);
  a.shapes.push_back(shape(Tissue::Liver, a.liverHu, -rng.uniform(58.0, 70.0), -rng.uniform(5.0, 18.0), liverRx,
                           liverRy, rng.uniform(20.0, 40.0), 110.0, rng.uniform(-15.0, 15.0) * kDegree, true));
  a.shapes.push_back(shape(Tissue::Liver, a.liverHu, -rng.uniform(10.0, 20.0), -rng.uniform(38.0, 50.0),
                           rng.uniform(40.0, 50.0), rng.uniform(24.0, 32.0), rng.uniform(20.0, 40.0), 90.0, 0.0, true));
  // Spleen: the patient's left, posterolateral.
  a.shapes.push_back(shape(Tissue::Spleen, rng.uniform(42.0, 50.0), rng.uniform(72.0, 85.0), rng.uniform(15.0, 30.0),
                           rng.uniform(26.0, 34.0), rng.uniform(45.0, 55.0), rng.uniform(20.0, 35.0), 70.0,
                           -35.0 * kDegree, true));
  // Kidneys, both sides of the spine, long axes turned towards the front and the midline, each
  // in its perirenal fat (which also keeps them apart from liver and spleen at 128 x 128).
  a.kidneyHu = rng.uniform(28.0, 34.0);
  for (const double s : {-1.0, 1.0}) {
    Ellipsoid kidney = shape(Tissue::Kidney, a.kidneyHu, s * rng.uniform(58.0, 68.0), h.spineY + rng.uniform(-8.0, 2.0),
                             rng.uniform(25.0, 29.0), rng.uniform(31.0, 37.0), rng.uniform(-8.0, 8.0),
                             rng.uniform(50.0, 60.0), s * rng.uniform(20.0, 30.0) * kDegree, true);
    Ellipsoid fat = kidney;
    fat.tissue = Tissue::Fat, fat.hu = rng.uniform(-100.0, -80.0);
    const double rim = rng.uniform(6.0, 10.0);
    fat.rx += rim, fat.ry += rim, fat.rz += rim;
    a.shapes.push_back(fat);
    a.shapes.push_back(kidney);
  }
}

double diameterIn(DiameterRange range, Rng& rng) { return rng.uniform(range.min, range.max); }

DiameterRange rangeOf(LesionSize size) {
  switch (size) {
    case LesionSize::Small: return kSmallLesion;
    case LesionSize::Medium: return kMediumLesion;
    default: return kLargeLesion;
  }
}

/// True when a disc of `radius` (+ margin) at (x, y) on the middle slice lies within `organ`.
bool discWithin(const CtAnatomy& a, Tissue organ, double x, double y, double radius) {
  if (tissueAt(a, x, y, 0.0) != organ) return false;
  for (int k = 0; k < 16; ++k) {
    const double angle = k * (2.0 * M_PI / 16.0);
    if (tissueAt(a, x + radius * std::cos(angle), y + radius * std::sin(angle), 0.0) != organ) return false;
  }
  return true;
}

bool clearOf(const std::vector<Ellipsoid>& lesions, double x, double y, double radius, double gap) {
  for (const Ellipsoid& l : lesions)
    if (std::hypot(l.cx - x, l.cy - y) < l.rx + radius + gap) return false;
  return true;
}

/// Liver lesions: the largest has the study's size class; the others are of a class no larger
/// and at most medium, so that three of them fit in a slim patient's liver. False when they do
/// not fit this anatomy.
bool addLiverLesions(CtAnatomy& a, const CtFindings& f, Rng& rng) {
  for (int i = 0; i < f.liverLesions; ++i) {
    LesionSize size = f.liverLesionSize;
    if (i > 0) size = static_cast<LesionSize>(rng.integer(1, std::min(static_cast<int>(size), 2)));
    const double radius = diameterIn(rangeOf(size), rng) / 2.0;
    bool placed = false;
    for (int attempt = 0; attempt < 2000 && !placed; ++attempt) {
      const double x = rng.uniform(-150.0, 30.0), y = rng.uniform(-110.0, 70.0);
      if (!clearOf(a.liverLesions, x, y, radius, 5.0) || !discWithin(a, Tissue::Liver, x, y, radius + 3.0)) continue;
      a.liverLesions.push_back(shape(Tissue::LiverLesion, a.liverHu - rng.uniform(kMinLesionContrast, 62.0), x, y, radius, radius,
                                     0.0, radius));
      placed = true;
    }
    if (!placed) return false;
  }
  return true;
}

bool addKidneyLesion(CtAnatomy& a, double side, Rng& rng) {
  const double radius = diameterIn(kKidneyLesion, rng) / 2.0;
  for (int attempt = 0; attempt < 2000; ++attempt) {
    const double x = side * rng.uniform(30.0, 100.0), y = rng.uniform(-20.0, 120.0);
    if (!discWithin(a, Tissue::Kidney, x, y, radius + 2.5)) continue;
    a.kidneyLesions.push_back(shape(Tissue::KidneyLesion, a.kidneyHu - rng.uniform(kMinLesionContrast, 62.0), x, y,
                                    radius, radius, 0.0, radius));
    return true;
  }
  return false;
}

/// One draw of body and lesions; nullopt when the lesions do not fit this body.
std::optional<CtAnatomy> tryPlan(const CtFindings& findings, std::uint64_t seed) {
  Rng rng(seed, "body");
  Habitus h;
  h.bodyRx = rng.uniform(140.0, 165.0);  // fits the narrowest field of view (350 mm) with the shift
  h.bodyRy = rng.uniform(110.0, 128.0);
  h.fat = rng.uniform(10.0, 22.0);
  h.wall = rng.uniform(8.0, 12.0);
  h.spineY = h.bodyRy - h.fat - h.wall - 48.0;
  CtAnatomy a;
  // Painted back to front: a later shape covers an earlier one, so organs that abut others
  // (kidneys behind the liver, vessels and spine behind everything) come last.
  addBodyWall(a, h, rng);
  addBowel(a, h, rng);
  addOrgans(a, h, rng);
  addSpineAndVessels(a, h, rng);
  Rng liver(seed, "liver-lesions"), rightKidney(seed, "kidney-lesion", {0}), leftKidney(seed, "kidney-lesion", {1});
  if (!addLiverLesions(a, findings, liver)) return std::nullopt;
  if (hasRight(findings.kidneyLesion) && !addKidneyLesion(a, -1.0, rightKidney)) return std::nullopt;
  if (hasLeft(findings.kidneyLesion) && !addKidneyLesion(a, +1.0, leftKidney)) return std::nullopt;
  a.shapes.insert(a.shapes.end(), a.liverLesions.begin(), a.liverLesions.end());
  a.shapes.insert(a.shapes.end(), a.kidneyLesions.begin(), a.kidneyLesions.end());
  return a;
}

}  // namespace

double Ellipsoid::scaleAt(double z) const {
  const double t = (z - cz) / rz;
  return t * t >= 1.0 ? 0.0 : std::sqrt(1.0 - t * t);
}

bool Ellipsoid::contains(double x, double y, double z) const {
  const double s = scaleAt(z);
  if (s <= 0.0) return false;
  const double c = std::cos(angle), sn = std::sin(angle);
  const double dx = x - cx, dy = y - cy;
  const double lx = (c * dx + sn * dy) / (rx * s), ly = (-sn * dx + c * dy) / (ry * s);
  return lx * lx + ly * ly <= 1.0;
}

Tissue tissueAt(const CtAnatomy& a, double x, double y, double z, double* hu) {
  for (auto it = a.shapes.rbegin(); it != a.shapes.rend(); ++it) {
    if (it->contains(x, y, z) && (!it->withinCavity || a.cavity.contains(x, y, z))) {
      if (hu != nullptr) *hu = it->hu;
      return it->tissue;
    }
  }
  if (hu != nullptr) *hu = -1000.0;
  return Tissue::Air;
}

CtAnatomy planCtAnatomy(const CtFindings& findings, std::uint64_t seed) {
  // A body too slim for three lesions is redrawn (deterministically): the truth must never
  // claim a lesion the image lacks.
  for (std::uint64_t attempt = 0; attempt < 32; ++attempt) {
    if (auto a = tryPlan(findings, attempt == 0 ? seed : streamSeed(seed, "redraw", {attempt}))) return *a;
  }
  throw std::logic_error("synth: no room for the CT lesions in 32 anatomies");
}

}  // namespace medvqa::synth
