// Lung markings: the vessel tree that fans out from each hilum.
//
// They matter for more than looks: a pneumothorax is recognised by a lung edge with no markings
// lateral to it, so the markings must fill the aerated lung and stop where it stops.
#pragma once

#include <vector>

#include "synth/chest_anatomy.h"
#include "synth/geometry.h"
#include "synth/random.h"

namespace medvqa::synth {

/// A branching tree from the hilum of `h` that stays inside its (uncollapsed) lung; when `h`
/// has a pneumothorax the tree shrinks with the lung towards the hilum. Endpoints in (u, v).
std::vector<Vessel> growVessels(const Hemithorax& h, Rng& rng);

/// Rasterises the vessels into a rows x cols buffer (0..1 per pixel, the strongest vessel wins).
/// `patientToPixel` maps (u, v) mm onto (column, row) pixel coordinates.
std::vector<float> rasterizeVessels(const std::vector<Vessel>& vessels, const Affine2& patientToPixel,
                                    double pixelsPerMm, unsigned rows, unsigned cols);

}  // namespace medvqa::synth
