#pragma once

#include <dcmtk/dcmdata/dctagkey.h>

class DcmItem;

namespace medvqa::imaging {

// Enhanced multi-frame objects keep per-frame attributes (position, rescale, window) in
// functional group macros instead of the top level. Returns the first item of `macro` for
// `frame`: from the Per-Frame Functional Groups Sequence when that frame has it, else from the
// Shared Functional Groups Sequence; null when neither has it (a classic, single-frame object).
DcmItem* functionalGroup(DcmItem& dataset, int frame, const DcmTagKey& macro);

}  // namespace medvqa::imaging
