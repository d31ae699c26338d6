#pragma once

// What DCMTK 3.6.7's TID 1501 class has no method for, added to the expanded document tree
// (DSRDocumentTree checks every addition against the Comprehensive SR relationship constraints):
// - the answer's own words below a coded answer (HAS CONCEPT MOD TEXT, DCM 121051 "Equivalent
//   Meaning of Value"), so "yes" coded as SCT "Yes" reads back as "yes";
// - each alternative answer's confidence (HAS PROPERTIES NUM "Certainty of Finding");
// - TID 4019 Algorithm Identification (HAS CONCEPT MOD below the group, as the standard's TID
//   1501 includes it), built by DCMTK's TID4019 class.

#include <vector>

#include "sr/answer_group.h"

class DSRDocumentTree;

namespace medvqa::sr {

// `groups` in the order addAnswerGroup() wrote them. Error(InvalidArgument) for an answer with
// no algorithm name/version from itself or the request; Error(Dicom) when the tree does not hold
// the groups written or DCMTK refuses an item.
void extendAnswerGroups(DSRDocumentTree& tree, const std::vector<AnswerGroup>& groups);

}  // namespace medvqa::sr
