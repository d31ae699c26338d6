#include "synth/chest_anatomy.h"

#include <cmath>
#include <optional>
#include <stdexcept>

#include "synth/lung_markings.h"

namespace medvqa::synth {

constexpr double kEdgeMm = 1.5;  // soft-edge ramp of organ outlines

double Hemithorax::cavityLevel(double x, double v) const {
  const double dx = (x - centreX) / halfWidth;
  const double dv = v - widestV;
  if (dv < 0.0) {
    const double t = dv / topHalfHeight;
    return std::sqrt(dx * dx + t * t);  // ellipse: a rounded apex
  }
  const double t = dv / bottomHalfHeight;
  return std::sqrt(std::sqrt(dx * dx * dx * dx + t * t * t * t));  // superellipse: a wide, square base
}

double Hemithorax::diaphragmV(double x) const {
  const double t = (x - domeX) / (lateralWallX() - domeX);
  return domeV + (costophrenicV - domeV) * t * t;
}

double Hemithorax::meniscusV(double x) const {
  const double t = std::clamp((x - (centreX - halfWidth)) / (2.0 * halfWidth), 0.0, 1.0);
  return costophrenicV - effusionMedialHeight - (effusionLateralHeight - effusionMedialHeight) * t * t;
}

Point Hemithorax::uncollapsed(double x, double v) const {
  return {hilum.x + (x - hilum.x) / collapseX, hilum.y + (v - hilum.y) / collapseV};
}

ChestTissues tissuesAt(const ChestAnatomy& a, double u, double v) {
  ChestTissues t;
  const Hemithorax& h = a.sideAt(u);
  const double x = h.sign * u;
  const double hu = (u - a.heartCentre.x) / a.heartRadiusU, hv = (v - a.heartCentre.y) / a.heartRadiusV;
  // The heart's lower part sinks into the diaphragm: below its base it is abdomen, not heart.
  t.heart = insideness((std::sqrt(hu * hu + hv * hv) - 1.0) * a.heartRadiusU, kEdgeMm) *
            insideness(v - a.heartBaseV, kEdgeMm);
  const double level = h.cavityLevel(x, v);
  if (level > 1.3) return t;  // far outside this lung: no lung, fluid or air here
  const double outline = insideness((level - 1.0) * h.halfWidth, kEdgeMm);
  t.cavity = outline * insideness(v - h.diaphragmV(x), kEdgeMm);
  // Fluid fills everything below the meniscus; masking it with the outline too would leave a
  // thin rim of air along the chest wall where both soft edges overlap.
  const double fluid = h.effusion ? insideness(h.meniscusV(x) - v, 2.5) : 0.0;
  t.effusion = outline * fluid;
  const double lungSpace = t.cavity * (1.0 - t.heart) * (1.0 - fluid);
  if (!h.pneumothorax) {
    t.aerated = lungSpace;
    return t;
  }
  // The collapsed lung is the image of the whole lung under the shrink towards the hilum.
  const Point p = h.uncollapsed(x, v);
  const double collapsedLevel = h.cavityLevel(p.x, p.y);
  const double edgeMm = (collapsedLevel - 1.0) * h.halfWidth * h.collapseX;
  const double collapsed = insideness(edgeMm, 1.0) * insideness((p.y - h.diaphragmV(p.x)) * h.collapseV, 1.0);
  t.aerated = lungSpace * collapsed;
  t.freeAir = lungSpace * (1.0 - collapsed);
  t.pleuralLine = lungSpace * std::max(0.0, 1.0 - std::fabs(edgeMm) / 1.2);  // the visceral pleura
  return t;
}

namespace {

// Nodules: 16-26 mm across, so that even the smallest spans 4.5 pixels of the model's 128 x 128
// input on the longest field of view (kMaxFieldMm = 455 mm: 3.55 mm per pixel).
constexpr double kNoduleMinRadius = 8.0;
constexpr double kNoduleMaxRadius = 13.0;
constexpr double kNoduleGap = 12.0;  // mm between nodules: they must stay countable at 128 x 128

Hemithorax planHemithorax(double sign, double thoraxHalfWidth, double apexV, double costophrenicV, Rng& rng) {
  Hemithorax h;
  h.sign = sign;
  h.halfWidth = thoraxHalfWidth * rng.uniform(0.40, 0.43);
  h.centreX = thoraxHalfWidth - h.halfWidth;  // the lateral wall sits exactly at the thoracic half-width
  h.costophrenicV = costophrenicV;
  h.widestV = costophrenicV - rng.uniform(55.0, 75.0);
  h.topHalfHeight = h.widestV - apexV;
  h.bottomHalfHeight = (costophrenicV - h.widestV) + rng.uniform(25.0, 35.0);
  h.domeV = costophrenicV - rng.uniform(30.0, 50.0);
  h.domeX = h.centreX - 0.1 * h.halfWidth;
  h.hilum = {h.centreX - 0.55 * h.halfWidth, h.widestV - rng.uniform(5.0, 20.0)};
  return h;
}

void addEffusion(Hemithorax& h, Rng& rng) {
  h.effusion = true;
  // Medially the fluid hides under the diaphragm dome; laterally it climbs the chest wall (the
  // meniscus) and fills the costophrenic angle: 20-30 pixels at 128 x 128.
  h.effusionMedialHeight = rng.uniform(30.0, 50.0);
  h.effusionLateralHeight = rng.uniform(65.0, 100.0);
}

void addPneumothorax(Hemithorax& h, Rng& rng) {
  h.pneumothorax = true;
  // The lateral gap (chest wall to visceral pleura) comes out at 25-45 mm: 7-14 pixels at 128.
  h.collapseX = rng.uniform(0.60, 0.74);
  h.collapseV = rng.uniform(0.78, 0.88);
}

void planHeart(ChestAnatomy& a, bool cardiomegaly, Rng& rng) {
  const double ratio = cardiomegaly ? rng.uniform(0.55, 0.66) : rng.uniform(0.38, 0.46);
  a.heartRadiusU = ratio * a.thoraxHalfWidth;
  a.heartRadiusV = a.heartRadiusU * rng.uniform(0.72, 0.88);
  // A third of the heart lies right of the midline; its base sinks a little into the diaphragm.
  a.heartBaseV = 0.5 * (a.sides[0].domeV + a.sides[1].domeV) + rng.uniform(10.0, 20.0);
  a.heartCentre = {a.heartRadiusU / 3.0 * rng.uniform(0.85, 1.15), a.heartBaseV - rng.uniform(0.75, 0.85) * a.heartRadiusV};
}

/// True when the disc (centre, radius + margin) lies in aerated lung and clear of other nodules.
bool noduleFits(const ChestAnatomy& a, Point c, double radius) {
  for (const Nodule& n : a.nodules)
    if (distance(n.centre, c) < n.radius + radius + kNoduleGap) return false;
  const double reach = radius + 6.0;
  if (tissuesAt(a, c.x, c.y).aerated < 0.99) return false;
  for (int k = 0; k < 16; ++k) {
    const double angle = k * (2.0 * M_PI / 16.0);
    if (tissuesAt(a, c.x + reach * std::cos(angle), c.y + reach * std::sin(angle)).aerated < 0.99) return false;
  }
  return true;
}

/// False when the nodules do not fit this anatomy's aerated lung.
bool placeNodules(ChestAnatomy& a, int count, Rng& rng) {
  for (int placed = 0; placed < count; ++placed) {
    const double radius = rng.uniform(kNoduleMinRadius, kNoduleMaxRadius);
    bool ok = false;
    for (int attempt = 0; attempt < 2000 && !ok; ++attempt) {
      const Hemithorax& h = a.sides[rng.integer(0, 1)];
      const double x = rng.uniform(h.centreX - h.halfWidth, h.lateralWallX());
      const Point c{h.sign * x, rng.uniform(h.widestV - h.topHalfHeight, h.costophrenicV)};
      if (noduleFits(a, c, radius)) {
        a.nodules.push_back({c, radius});
        ok = true;
      }
    }
    if (!ok) return false;
  }
  return true;
}

/// The body without findings: habitus, hemithoraces, diaphragm, ribs.
ChestAnatomy planBody(Rng& rng) {
  ChestAnatomy a;
  a.thoraxHalfWidth = rng.uniform(130.0, 160.0);
  a.bodyHalfWidth = a.thoraxHalfWidth + rng.uniform(22.0, 40.0);
  a.neckHalfWidth = rng.uniform(50.0, 62.0);
  const double apexV = -rng.uniform(150.0, 175.0);
  a.shoulderV = apexV - rng.uniform(0.0, 15.0);
  a.spineHalfWidth = rng.uniform(16.0, 21.0);
  const double leftCostophrenicV = rng.uniform(100.0, 125.0);
  const double rightCostophrenicV = leftCostophrenicV - rng.uniform(5.0, 15.0);  // the liver lifts the right dome
  a.sides[0] = planHemithorax(-1.0, a.thoraxHalfWidth, apexV, rightCostophrenicV, rng);
  a.sides[1] = planHemithorax(+1.0, a.thoraxHalfWidth, apexV, leftCostophrenicV, rng);
  a.ribTopV = apexV - 5.0;
  a.ribSpacing = (leftCostophrenicV - apexV) / rng.uniform(9.0, 10.0);
  return a;
}

/// One draw of body and findings; nullopt when the nodules do not fit.
std::optional<ChestAnatomy> tryPlan(const ChestFindings& findings, std::uint64_t seed) {
  Rng body(seed, "body");
  ChestAnatomy a = planBody(body);
  Rng heart(seed, "heart");
  planHeart(a, findings.cardiomegaly, heart);
  for (std::uint64_t side = 0; side < 2; ++side) {
    Hemithorax& h = a.sides[side];
    Rng effusion(seed, "effusion", {side}), pneumothorax(seed, "pneumothorax", {side}), vessels(seed, "vessels", {side});
    if (side == 0 ? hasRight(findings.effusion) : hasLeft(findings.effusion)) addEffusion(h, effusion);
    if (findings.pneumothorax == (side == 0 ? Side::Right : Side::Left)) addPneumothorax(h, pneumothorax);
    const std::vector<Vessel> tree = growVessels(h, vessels);
    a.vessels.insert(a.vessels.end(), tree.begin(), tree.end());
  }
  Rng nodules(seed, "nodules");
  if (!placeNodules(a, findings.nodules, nodules)) return std::nullopt;
  return a;
}

}  // namespace

ChestAnatomy planChestAnatomy(const ChestFindings& findings, std::uint64_t seed) {
  // Redrawn (deterministically) when the nodules find no room: the truth must never claim a
  // nodule the image lacks.
  for (std::uint64_t attempt = 0; attempt < 32; ++attempt) {
    if (auto a = tryPlan(findings, attempt == 0 ? seed : streamSeed(seed, "redraw", {attempt}))) return *a;
  }
  throw std::logic_error("synth: no room for the lung nodules in 32 anatomies");
}

}  // namespace medvqa::synth
