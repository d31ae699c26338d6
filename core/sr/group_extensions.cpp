#include "sr/group_extensions.h"

#include <dcmtk/dcmsr/cmr/tid4019.h>
#include <dcmtk/dcmsr/codes/dcm.h>
#include <dcmtk/dcmsr/dsrdoctr.h>

#include <memory>

#include "common/error.h"
#include "sr/confidence.h"
#include "sr/dcmtk_status.h"
#include "sr/sr_codes.h"

namespace medvqa::sr {

namespace {

struct Identity {
  std::string name;
  std::string version;
};

Identity identityOf(const AnswerGroup& group) {
  const auto& answer = group.answer;
  Identity identity{answer.modelName.empty() ? group.algorithm.name : answer.modelName,
                    answer.modelVersion.empty() ? group.algorithm.version : answer.modelVersion};
  if (identity.name.empty() || identity.version.empty()) {
    throw Error(ErrorCode::InvalidArgument, group.trackingIdentifier +
                                                ": TID 4019 needs an algorithm name and version; neither the answer "
                                                "nor the request's algorithm gives both");
  }
  return identity;
}

bool is(const DSRContentItem& item, DSRTypes::E_ValueType type, const DSRCodedEntryValue& name) {
  return item.getValueType() == type && sameConcept(item.getConceptName(), name);
}

// Cursor on the coded answer: adds its text as a child and comes back.
void addAnswerText(DSRDocumentTree& tree, const AnswerGroup& group) {
  const std::string what = group.trackingIdentifier + ": answer text";
  check(tree.addChildContentItem(DSRTypes::RT_hasConceptMod, DSRTypes::VT_Text,
                                 DSRCodedEntryValue(CODE_DCM_EquivalentMeaningOfValue)),
        what);
  check(tree.getCurrentContentItem().setStringValue(group.answer.text.c_str()), what);
  tree.gotoParent();
}

// Cursor on an alternative answer: adds its confidence as a child and comes back.
void addAlternativeConfidence(DSRDocumentTree& tree, const vqa::Alternative& alternative, const std::string& what) {
  check(tree.addChildContentItem(DSRTypes::RT_hasProperties, DSRTypes::VT_Num, confidenceConcept()), what);
  DSRNumericMeasurementValue value(formatConfidence(alternative.confidence).c_str(), ratioUnit());
  check(value.setFloatingPointRepresentation(alternative.confidence), what);
  check(tree.getCurrentContentItem().setNumericValue(value), what);
  tree.gotoParent();
}

// Cursor on the group container: adds TID 4019 as its last children.
void addAlgorithm(DSRDocumentTree& tree, const AnswerGroup& group) {
  const Identity identity = identityOf(group);
  const std::string what = group.trackingIdentifier + ": algorithm identification";
  TID4019_AlgorithmIdentification algorithm;
  check(algorithm.setIdentification(identity.name.c_str(), identity.version.c_str()), what);
  if (group.answer.source == vqa::AnswerSource::Model) {
    for (const auto& parameter : group.algorithm.parameters) check(algorithm.addParameter(parameter.c_str()), what);
  }
  std::unique_ptr<DSRDocumentSubTree> subtree(algorithm.cloneTree());
  if (!subtree) throw Error(ErrorCode::Dicom, what + ": cannot copy DCMTK's TID 4019 subtree");
  // TID 4019's items leave their relationship open for the including template to set.
  check(tree.insertSubTree(subtree.get(), DSRTypes::AM_belowCurrent, DSRTypes::RT_hasConceptMod), what);
  subtree.release();  // the tree owns it now
}

// Cursor on the group container; leaves it there.
void extendGroup(DSRDocumentTree& tree, const AnswerGroup& group) {
  const std::size_t container = tree.getNodeID();
  std::size_t alternatives = 0;
  if (tree.gotoChild() == 0) throw Error(ErrorCode::Dicom, group.trackingIdentifier + ": empty measurement group");
  do {
    const DSRContentItem& item = tree.getCurrentContentItem();
    if (is(item, DSRTypes::VT_Code, answerConcept())) {
      addAnswerText(tree, group);
    } else if (is(item, DSRTypes::VT_Text, alternativeAnswerConcept()) &&
               alternatives < group.answer.alternatives.size()) {
      addAlternativeConfidence(tree, group.answer.alternatives[alternatives],
                               group.trackingIdentifier + ": alternative " + std::to_string(alternatives + 1));
      ++alternatives;
    }
  } while (tree.gotoNext() != 0);
  tree.gotoNode(container);
  addAlgorithm(tree, group);
  tree.gotoNode(container);
}

}  // namespace

void extendAnswerGroups(DSRDocumentTree& tree, const std::vector<AnswerGroup>& groups) {
  if (tree.gotoRoot() == 0 || tree.gotoNamedChildNode(CODE_DCM_ImagingMeasurements) == 0 || tree.gotoChild() == 0) {
    throw Error(ErrorCode::Dicom, "the SR tree has no Imaging Measurements to extend");
  }
  std::size_t next = 0;
  do {
    if (next < groups.size() && is(tree.getCurrentContentItem(), DSRTypes::VT_Container, CODE_DCM_MeasurementGroup)) {
      extendGroup(tree, groups[next++]);
    }
  } while (tree.gotoNext() != 0);
  if (next != groups.size()) {
    throw Error(ErrorCode::Dicom, "the SR tree holds " + std::to_string(next) + " measurement groups, not " +
                                      std::to_string(groups.size()));
  }
}

}  // namespace medvqa::sr
