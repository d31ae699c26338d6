#pragma once

// An SR content tree as plain values: what DCMTK read, detached from its cursor, so the reader
// walks it with ordinary loops and the tests can look at it. One ContentItem per content item;
// by-reference relationships are not followed (MedVQA writes none).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vqa/code.h"

class DSRCodedEntryValue;
class DSRDocumentTree;

namespace medvqa::sr {

struct ContentItem {
  std::string relationship;       // DICOM defined term: "CONTAINS", "HAS CONCEPT MOD"... ("" at the root)
  std::string valueType;          // "CONTAINER", "TEXT", "CODE", "NUM", "IMAGE", "UIDREF"...
  vqa::Code conceptName;          // the concept name (empty fields when absent)
  std::string text;               // TEXT, UIDREF, PNAME, DATE, TIME, DATETIME: the value
  std::optional<vqa::Code> code;  // CODE: the value
  std::optional<double> number;   // NUM: the FD when present, else the DS parsed
  std::optional<vqa::Code> unit;  // NUM: the measurement unit
  std::string sopClassUid;        // IMAGE, COMPOSITE: the referenced instance
  std::string sopInstanceUid;
  std::vector<ContentItem> children;

  // This item has the value type and the concept (scheme designator + code value).
  bool is(std::string_view type, const DSRCodedEntryValue& name) const;
  // The first child that is(type, name), or nullptr.
  const ContentItem* child(std::string_view type, const DSRCodedEntryValue& name) const;
  // Every child that is(type, name), in order.
  std::vector<const ContentItem*> childrenOf(std::string_view type, const DSRCodedEntryValue& name) const;
};

// The whole tree from its root; Error(Dicom) for an empty tree.
ContentItem snapshotTree(DSRDocumentTree& tree);

}  // namespace medvqa::sr
