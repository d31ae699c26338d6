#include "imaging/encapsulated_frames.h"

#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

#include <string>

#include "common/error.h"

namespace medvqa::imaging {
namespace {

struct Fragment {
  std::span<const std::uint8_t> bytes;
  Uint32 offset = 0;  // of its item tag, from the first fragment's item tag (what the BOT counts)
};

[[noreturn]] void fail(const std::string& why) {
  throw Error(ErrorCode::Dicom, "encapsulated pixel data: " + why);
}

std::span<const std::uint8_t> itemBytes(DcmPixelItem& item) {
  Uint8* data = nullptr;
  if (item.getLength() == 0) return {};
  if (item.getUint8Array(data).bad() || !data) fail("unreadable fragment");
  return {data, item.getLength()};
}

// Item 0 is the Basic Offset Table; the fragments follow.
std::vector<Fragment> fragmentsOf(DcmPixelSequence& sequence) {
  std::vector<Fragment> fragments;
  Uint32 offset = 0;
  for (unsigned long i = 1; i < sequence.card(); ++i) {
    DcmPixelItem* item = nullptr;
    if (sequence.getItem(item, i).bad() || !item) fail("missing fragment");
    fragments.push_back({itemBytes(*item), offset});
    offset += 8 + item->getLength();  // item tag + length, then the value
  }
  return fragments;
}

std::vector<Uint32> basicOffsetTable(DcmPixelSequence& sequence) {
  DcmPixelItem* table = nullptr;
  if (sequence.getItem(table, 0).bad() || !table || table->getLength() == 0) return {};
  // The table is little endian on disk; DCMTK hands the item's value over as raw bytes.
  const auto bytes = itemBytes(*table);
  std::vector<Uint32> result(bytes.size() / 4);
  for (std::size_t i = 0; i < result.size(); ++i)
    result[i] = Uint32(bytes[4 * i]) | Uint32(bytes[4 * i + 1]) << 8 | Uint32(bytes[4 * i + 2]) << 16 |
                Uint32(bytes[4 * i + 3]) << 24;
  return result;
}

// Empty when the table is absent or does not point at fragment starts (some writers get it
// wrong); the other strategies then decide.
std::vector<std::size_t> startsFromOffsetTable(const std::vector<Fragment>& fragments, DcmPixelSequence& sequence,
                                               int numberOfFrames) {
  const std::vector<Uint32> table = basicOffsetTable(sequence);
  if (table.size() != std::size_t(numberOfFrames)) return {};
  std::vector<std::size_t> starts;
  std::size_t f = 0;
  for (Uint32 offset : table) {
    while (f < fragments.size() && fragments[f].offset < offset) ++f;
    if (f == fragments.size() || fragments[f].offset != offset) return {};
    starts.push_back(f);
  }
  return starts;
}

// The index of every frame's first fragment; a frame runs to the next one's first.
std::vector<std::size_t> frameStarts(const std::vector<Fragment>& fragments, DcmPixelSequence& sequence,
                                     int numberOfFrames, const FrameStartTest& startsFrame) {
  if (numberOfFrames == 1) return {0};
  if (std::vector<std::size_t> fromTable = startsFromOffsetTable(fragments, sequence, numberOfFrames);
      !fromTable.empty())
    return fromTable;
  std::vector<std::size_t> starts;
  if (fragments.size() == std::size_t(numberOfFrames)) {
    for (std::size_t f = 0; f < fragments.size(); ++f) starts.push_back(f);
    return starts;
  }
  for (std::size_t f = 0; f < fragments.size(); ++f)
    if (f == 0 || (startsFrame && startsFrame(fragments[f].bytes))) starts.push_back(f);
  return starts;
}

}  // namespace

std::vector<std::uint8_t> encapsulatedFrame(DcmPixelSequence& sequence, int frame, int numberOfFrames,
                                            const FrameStartTest& startsFrame) {
  const std::vector<Fragment> fragments = fragmentsOf(sequence);
  if (fragments.empty()) fail("no fragments");
  const std::vector<std::size_t> starts = frameStarts(fragments, sequence, numberOfFrames, startsFrame);
  if (frame < 0 || std::size_t(frame) >= starts.size())
    fail("frame " + std::to_string(frame) + " not found (" + std::to_string(starts.size()) + " frames located)");
  const std::size_t first = starts[std::size_t(frame)];
  const std::size_t last = std::size_t(frame) + 1 < starts.size() ? starts[std::size_t(frame) + 1] : fragments.size();
  std::vector<std::uint8_t> bytes;
  for (std::size_t f = first; f < last; ++f)
    bytes.insert(bytes.end(), fragments[f].bytes.begin(), fragments[f].bytes.end());
  return bytes;
}

}  // namespace medvqa::imaging
