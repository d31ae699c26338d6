#pragma once

#include <span>
#include <string>

class DcmItem;

namespace medvqa::imaging {

struct ImageSpec;

// Which VOI transformation a monochrome frame gets, in this order: the file's VOI LUT, the
// file's first window, the spec's default window for the modality, the frame's own min/max.
// (When a file has both a LUT and a window the standard lets the reader choose; the LUT is the
// more specific of the two, as pydicom also prefers.)
enum class VoiSource { FileLut, FileWindow, SpecWindow, MinMax };

std::string_view toString(VoiSource source);

// Maps a frame's modality values to [0,1] with the chosen VOI; `invert` (MONOCHROME1) makes
// high values dark -> 1 - y, so that bright means dense for every image. `out` may be `modality`
// itself (transformed in place). Returns the source used.
VoiSource windowToUnit(DcmItem& dataset, int frame, const ImageSpec& spec, std::span<const float> modality, bool invert,
                       std::span<float> out);

}  // namespace medvqa::imaging
