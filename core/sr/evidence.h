#pragma once

// The instances an answer SR is about: read once from the source images' headers, then used for
// the patient/study modules, the IMAGE references of each answer, the Image Library and the
// Current Requested Procedure Evidence Sequence, so all of them name the same instances.

#include <string>
#include <string_view>
#include <vector>

class DcmItem;
class DSRSOPInstanceReferenceList;

namespace medvqa::sr {

struct SourceInstance {
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  std::string sopClassUid;
  std::string sopInstanceUid;
  DcmItem* header = nullptr;  // the caller's data set (not owned)
};

class Evidence {
 public:
  // Throws Error(InvalidArgument) for no source, a null one, a header missing one of the four
  // UIDs (or holding an invalid one), or instances from more than one study: an answer SR
  // belongs to exactly one study. A SOP Instance UID given twice is kept once.
  explicit Evidence(const std::vector<DcmItem*>& headers);

  const std::string& studyInstanceUid() const { return instances_.front().studyInstanceUid; }
  const std::vector<SourceInstance>& instances() const { return instances_; }

  // The instance with this SOP Instance UID; Error(InvalidArgument) naming `what` when the
  // answers cite an image that is not among the sources (its SOP Class would be unknown).
  const SourceInstance& find(std::string_view sopInstanceUid, std::string_view what) const;

  // Every instance into `list` (grouped by study and series by DCMTK).
  void addTo(DSRSOPInstanceReferenceList& list) const;

 private:
  std::vector<SourceInstance> instances_;
};

}  // namespace medvqa::sr
