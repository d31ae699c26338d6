#include "sr/content_tree.h"

#include <dcmtk/dcmsr/dsrdoctr.h>

#include <cstdlib>

#include "common/error.h"
#include "sr/sr_codes.h"

namespace medvqa::sr {

namespace {

std::optional<double> numberOf(const DSRNumericMeasurementValue& value) {
  Float64 exact = 0.0;
  if (value.getFloatingPointRepresentation(exact).good()) return exact;
  const OFString& text = value.getNumericValue();
  if (text.empty()) return std::nullopt;  // a NUM may hold only a qualifier ("not a number")
  char* end = nullptr;
  const double parsed = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return std::nullopt;
  return parsed;
}

void readValue(const DSRContentItem& item, ContentItem& out) {
  switch (item.getValueType()) {
    case DSRTypes::VT_Code: out.code = fromCodedEntry(item.getCodeValue()); break;
    case DSRTypes::VT_Num:
      out.number = numberOf(item.getNumericValue());
      if (item.getNumericValue().getMeasurementUnit().isValid()) {
        out.unit = fromCodedEntry(item.getNumericValue().getMeasurementUnit());
      }
      break;
    case DSRTypes::VT_Image:
    case DSRTypes::VT_Composite: {
      const DSRCompositeReferenceValue& reference =
          item.getValueType() == DSRTypes::VT_Image ? item.getImageReference() : item.getCompositeReference();
      out.sopClassUid = reference.getSOPClassUID().c_str();
      out.sopInstanceUid = reference.getSOPInstanceUID().c_str();
      break;
    }
    case DSRTypes::VT_Container: break;
    default: out.text = item.getStringValue().c_str();  // empty for types without a string value
  }
}

// The tree's cursor is on the item; returns with it there.
ContentItem snapshot(DSRDocumentTree& tree) {
  const DSRContentItem& item = tree.getCurrentContentItem();
  ContentItem out;
  out.relationship = DSRTypes::relationshipTypeToDefinedTerm(item.getRelationshipType());
  out.valueType = DSRTypes::valueTypeToDefinedTerm(item.getValueType());
  if (item.getConceptName().isValid()) out.conceptName = fromCodedEntry(item.getConceptName());
  readValue(item, out);
  if (tree.gotoChild() != 0) {
    do {
      out.children.push_back(snapshot(tree));
    } while (tree.gotoNext() != 0);
    tree.gotoParent();
  }
  return out;
}

}  // namespace

bool ContentItem::is(std::string_view type, const DSRCodedEntryValue& name) const {
  return valueType == type && conceptName.value == name.getCodeValue().c_str() &&
         conceptName.scheme == name.getCodingSchemeDesignator().c_str();
}

const ContentItem* ContentItem::child(std::string_view type, const DSRCodedEntryValue& name) const {
  for (const auto& item : children) {
    if (item.is(type, name)) return &item;
  }
  return nullptr;
}

std::vector<const ContentItem*> ContentItem::childrenOf(std::string_view type, const DSRCodedEntryValue& name) const {
  std::vector<const ContentItem*> found;
  for (const auto& item : children) {
    if (item.is(type, name)) found.push_back(&item);
  }
  return found;
}

ContentItem snapshotTree(DSRDocumentTree& tree) {
  if (tree.gotoRoot() == 0) throw Error(ErrorCode::Dicom, "the SR has an empty content tree");
  return snapshot(tree);
}

}  // namespace medvqa::sr
