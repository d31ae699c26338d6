#include "imaging/functional_groups.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>

namespace medvqa::imaging {
namespace {

DcmItem* firstItemOf(DcmItem* parent, const DcmTagKey& sequence) {
  DcmItem* item = nullptr;
  if (parent && parent->findAndGetSequenceItem(sequence, item, 0).good()) return item;
  return nullptr;
}

}  // namespace

DcmItem* functionalGroup(DcmItem& dataset, int frame, const DcmTagKey& macro) {
  DcmItem* perFrame = nullptr;
  if (dataset.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, perFrame, frame).good()) {
    if (DcmItem* item = firstItemOf(perFrame, macro)) return item;
  }
  return firstItemOf(firstItemOf(&dataset, DCM_SharedFunctionalGroupsSequence), macro);
}

}  // namespace medvqa::imaging
