#pragma once

#include <span>

namespace medvqa::imaging {

// ITU-R BT.601 luma weights, the ones DCMTK's DicomImage::createMonochromeImage() uses by default.
inline constexpr float kLumaRed = 0.299f;
inline constexpr float kLumaGreen = 0.587f;
inline constexpr float kLumaBlue = 0.114f;

// Interleaved RGB (R,G,B per pixel, [0,1]) to `channels` planes (CHW): 3 keeps R, G and B;
// 1 gives luminance. `out` holds channels * pixels values.
void rgbToPlanes(std::span<const float> rgb, int channels, std::span<float> out);

// One grey plane to `channels` identical planes (a 3-channel model sees a monochrome image as
// grey RGB). `grey` may alias the first plane of `out`.
void greyToPlanes(std::span<const float> grey, int channels, std::span<float> out);

}  // namespace medvqa::imaging
