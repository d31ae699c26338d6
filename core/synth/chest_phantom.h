// Chest radiograph phantoms: an anatomy (chest_anatomy.h) projected onto a detector.
//
// Display convention (PS3.3 C.7.6.1.1.1, Patient Orientation): a PA or AP chest image is written
// as it is read, facing the patient, so the patient's left is on the image's right. Columns run
// towards the patient's left and rows towards the feet: PatientOrientation "L\F".
#pragma once

#include <cstdint>
#include <string_view>

#include "synth/chest_anatomy.h"
#include "synth/geometry.h"
#include "synth/pixel_image.h"
#include "synth/random.h"

namespace medvqa::synth {

enum class ChestModality { CR, DX };

/// How the film was taken and stored. Everything here varies between studies so that a model
/// has to look at anatomy, not at one pixel, one exposure or one place in the frame.
struct ChestAcquisition {
  ChestModality modality = ChestModality::CR;
  bool anteroposterior = false;  // AP (portable) rather than PA
  unsigned rows = 0;
  unsigned cols = 0;
  double pixelSpacing = 0.0;     // mm at the detector, square pixels
  double rotation = 0.0;         // radians: the patient's tilt in the frame
  Point centre;                  // patient (u, v) at the image centre: the patient's shift
  double offset = 0.0;           // detector response: offset + gain * attenuation^gamma
  double gain = 0.0;
  double gamma = 1.0;
  double heel = 0.0;             // anode heel effect: brightness slope across the columns
  double noiseSd = 0.0;          // in display units (0..1)
  unsigned bitsStored = 12;
  bool monochrome1 = false;      // stored inverted (air high), as many CR readers write
  bool window = true;            // write a VOI window; CR files often carry none (readers use min-max)
  double kvp = 120.0;
};

/// The longest side of the field of view (mm): at 128 pixels, 3.55 mm per pixel at most.
constexpr double kMaxFieldMm = 455.0;

ChestAcquisition planChestAcquisition(Rng& rng);

/// Maps a pixel position (column, row; pixel centres at +0.5) onto the patient's (u, v) in mm.
Affine2 pixelToPatient(const ChestAcquisition& acq);

/// Renders the radiograph: stored values of `acq.bitsStored` bits, inverted when MONOCHROME1,
/// with a VOI window around the displayed range. `noiseSeed` drives the pixel noise only.
PixelImage renderChest(const ChestAnatomy& anatomy, const ChestAcquisition& acq, std::uint64_t noiseSeed);

std::string_view toString(ChestModality modality);  // "CR", "DX"

}  // namespace medvqa::synth
