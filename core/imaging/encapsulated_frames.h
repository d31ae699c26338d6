#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

class DcmPixelSequence;

namespace medvqa::imaging {

// True when a fragment's bytes begin a new frame (e.g. a JPEG 2000 SOC marker). Used only when
// the Basic Offset Table is empty and fragments outnumber frames.
using FrameStartTest = std::function<bool(std::span<const std::uint8_t>)>;

// The compressed bytes of one frame (0-based) of an encapsulated pixel sequence: its fragments
// concatenated. Frames are found, in this order of trust, from: a single frame (every fragment),
// the Basic Offset Table (when it points at fragment starts), one fragment per frame,
// `startsFrame`. Throws Error(Dicom) when the sequence does not hold that frame.
std::vector<std::uint8_t> encapsulatedFrame(DcmPixelSequence& sequence, int frame, int numberOfFrames,
                                            const FrameStartTest& startsFrame);

}  // namespace medvqa::imaging
