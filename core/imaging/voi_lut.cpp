#include "imaging/voi_lut.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <algorithm>
#include <cmath>

#include "imaging/functional_groups.h"

namespace medvqa::imaging {
namespace {

int bitWidth(unsigned value) {
  int bits = 0;
  while (value) {
    ++bits;
    value >>= 1;
  }
  return bits;
}

// Some writers pack an 8-bit table two entries per 16-bit word (OW); DCMTK accepts that too.
std::vector<std::uint16_t> entriesOf(const Uint16* data, unsigned long words, unsigned count, int bits) {
  if (bits == 8 && words * 2 == count) {
    std::vector<std::uint16_t> entries;
    entries.reserve(count);
    for (unsigned long i = 0; i < words; ++i) {
      entries.push_back(data[i] & 0xFF);
      entries.push_back(data[i] >> 8);
    }
    return entries;
  }
  if (words < count) return {};
  return {data, data + count};
}

// The descriptor is US or SS (the VR follows the sign of the input); read either as raw 16 bits.
bool descriptorValue(DcmElement& descriptor, unsigned long pos, Uint16& value) {
  if (descriptor.getVR() == EVR_SS) {
    Sint16 signedValue = 0;
    if (descriptor.getSint16(signedValue, pos).bad()) return false;
    value = Uint16(signedValue);
    return true;
  }
  return descriptor.getUint16(value, pos).good();
}

std::optional<VoiLut> readLut(DcmItem& lutItem, bool negativeInput) {
  DcmElement* descriptor = nullptr;
  Uint16 count = 0, first = 0, bits = 0;
  if (lutItem.findAndGetElement(DCM_LUTDescriptor, descriptor).bad() || !descriptorValue(*descriptor, 0, count) ||
      !descriptorValue(*descriptor, 1, first) || !descriptorValue(*descriptor, 2, bits))
    return std::nullopt;
  const Uint16* data = nullptr;
  unsigned long words = 0;
  if (lutItem.findAndGetUint16Array(DCM_LUTData, data, &words).bad() || !data) return std::nullopt;
  const unsigned entries = count == 0 ? 65536u : count;  // 0 means 2^16 entries
  VoiLut lut;
  const bool signedFirst = descriptor->getVR() == EVR_SS || (negativeInput && first >= 0x8000);
  lut.firstMapped = signedFirst ? int(Sint16(first)) : int(first);
  lut.entries = entriesOf(data, words, entries, bits);
  if (lut.entries.empty()) return std::nullopt;
  // A table whose entries exceed its declared depth is normalised by what it actually holds.
  const unsigned largest = *std::max_element(lut.entries.begin(), lut.entries.end());
  lut.bits = std::clamp(std::max<int>(bits, bitWidth(largest)), 1, 16);
  return lut;
}

}  // namespace

std::optional<VoiLut> fileVoiLut(DcmItem& dataset, int frame, bool negativeInput) {
  DcmItem* lutItem = nullptr;
  if (dataset.findAndGetSequenceItem(DCM_VOILUTSequence, lutItem, 0).bad()) {
    DcmItem* group = functionalGroup(dataset, frame, DCM_FrameVOILUTSequence);
    if (!group || group->findAndGetSequenceItem(DCM_VOILUTSequence, lutItem, 0).bad()) return std::nullopt;
  }
  return readLut(*lutItem, negativeInput);
}

void applyVoiLut(std::span<const float> in, const VoiLut& lut, bool invert, std::span<float> out) {
  const float scale = 1.0f / float((1u << lut.bits) - 1u);
  const long last = long(lut.entries.size()) - 1;
  const std::size_t n = std::min(in.size(), out.size());
  for (std::size_t i = 0; i < n; ++i) {
    const long index = std::clamp(std::lround(in[i]) - long(lut.firstMapped), 0L, last);
    const float y = float(lut.entries[std::size_t(index)]) * scale;
    out[i] = invert ? 1.0f - y : y;
  }
}

}  // namespace medvqa::imaging
