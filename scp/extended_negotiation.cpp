#include "extended_negotiation.h"

#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/extneg.h>

#include <algorithm>
#include <memory>

namespace medvqa::scp {
namespace {

// Service-class-application-information of the C-FIND sub-item (PS3.4 Tables C.5-1 / C.5-2), one
// byte per feature: relational-queries, date-time matching, fuzzy semantic matching of person
// names, timezone query adjustment, enhanced multi-frame image conversion.
constexpr unsigned short kDateTimeMatchingByte = 1;
constexpr unsigned short kKnownBytes = 5;

bool isFindSopClass(const OFString& uid) {
  return uid == UID_FINDPatientRootQueryRetrieveInformationModel ||
         uid == UID_FINDStudyRootQueryRetrieveInformationModel;
}

bool asksForDateTimeMatching(const SOPClassExtendedNegotiationSubItem& item) {
  return item.serviceClassAppInfo != nullptr && item.serviceClassAppInfoLength > kDateTimeMatchingByte &&
         item.serviceClassAppInfo[kDateTimeMatchingByte] == 1;
}

// A reply list that frees its items unless handed over to DCMTK (which frees it with the
// association parameters).
class ReplyList {
 public:
  ~ReplyList() {
    if (list_) deleteListMembers(*list_);
  }
  void add(const SOPClassExtendedNegotiationSubItem& request, bool dateTimeMatching) {
    auto item = std::make_unique<SOPClassExtendedNegotiationSubItem>();
    item->sopClassUID = request.sopClassUID;
    // Every field the SCU sent is answered, each "0 - not supported" but the one we do.
    item->serviceClassAppInfoLength = std::min(request.serviceClassAppInfoLength, kKnownBytes);
    item->serviceClassAppInfo = new unsigned char[item->serviceClassAppInfoLength]();
    if (dateTimeMatching) item->serviceClassAppInfo[kDateTimeMatchingByte] = 1;
    list_->push_back(item.release());
  }
  bool empty() const { return list_->empty(); }
  SOPClassExtendedNegotiationSubItemList* release() { return list_.release(); }

 private:
  std::unique_ptr<SOPClassExtendedNegotiationSubItemList> list_ =
      std::make_unique<SOPClassExtendedNegotiationSubItemList>();
};

}  // namespace

std::set<std::string> answerQueryExtendedNegotiation(T_ASC_Association& assoc) {
  std::set<std::string> combined;
  SOPClassExtendedNegotiationSubItemList* requested = nullptr;
  ASC_getRequestedExtNegList(assoc.params, &requested);
  if (requested == nullptr) return combined;
  ReplyList replies;
  for (const SOPClassExtendedNegotiationSubItem* item : *requested) {
    // Only for a FIND SOP class this association can actually use.
    if (item == nullptr || item->serviceClassAppInfoLength == 0 || !isFindSopClass(item->sopClassUID) ||
        ASC_findAcceptedPresentationContextID(&assoc, item->sopClassUID.c_str()) == 0) {
      continue;
    }
    const bool dateTime = asksForDateTimeMatching(*item);
    replies.add(*item, dateTime);
    if (dateTime) combined.insert(item->sopClassUID.c_str());
  }
  if (!replies.empty()) ASC_setAcceptedExtNegList(assoc.params, replies.release());
  return combined;
}

}  // namespace medvqa::scp
