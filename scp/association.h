#pragma once

#include <dcmtk/dcmnet/scpthrd.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "audit/event_parts.h"
#include "audit/study_tally.h"
#include "node_services.h"

namespace medvqa {
struct StoredInstance;
}

namespace medvqa::scp {

// One DICOM association: policy (who may connect) and dispatch to the services, each of which
// lives in its own file (echo is DCMTK's, store_service.cpp, find_service.cpp,
// get_service.cpp, move_service.cpp). A fresh object serves each association and is destroyed
// after it, which also frees DCMTK's association structure.
class NodeAssociation : public DcmThreadSCP {
 public:
  NodeAssociation(NodeServices& services, std::uint64_t id);
  ~NodeAssociation() override;

  OFCondition run(T_ASC_Association* assoc) override;

 protected:
  OFCondition handleIncomingCommand(T_DIMSE_Message* msg, const DcmPresentationContextInfo& presInfo) override;
  OFBool checkCalledAETitleAccepted(const OFString& calledAE) override;
  OFBool checkCallingAETitleAccepted(const OFString& callingAE) override;
  OFCondition negotiateAssociation() override;
  void notifyAssociationAcknowledge() override;
  void notifyAssociationTermination() override;

 private:
  OFCondition handleStore(T_DIMSE_C_StoreRQ& request, T_ASC_PresentationContextID presId);
  OFCondition handleFind(T_DIMSE_C_FindRQ& request, T_ASC_PresentationContextID presId);
  OFCondition handleGet(T_DIMSE_C_GetRQ& request, T_ASC_PresentationContextID presId);
  OFCondition handleMove(T_DIMSE_C_MoveRQ& request, T_ASC_PresentationContextID presId);

  // C-GET helpers (get_service.cpp): sub-operations go back over this same association.
  Uint16 storeOverThisAssociation(const StoredInstance& instance);
  OFCondition sendGetResponse(T_ASC_PresentationContextID presId, const T_DIMSE_C_GetRQ& request,
                              Uint16 status, DcmDataset* identifier, unsigned remaining, unsigned completed,
                              unsigned failed, unsigned warning);

  // Audit (association_audit.cpp): each is a no-op when the node does not audit.
  audit::Peer caller() const;
  audit::StudyRef studyRef(const std::string& studyUid) const;  // patient and accession from the index
  void auditOpened();
  void auditEnded();
  void auditSent(const audit::StudyTally& sent, const audit::Peer& destination);

  NodeServices& services_;
  std::uint64_t id_;
  T_ASC_Association* assoc_ = nullptr;  // owned by DcmSCP; kept for C-GET sub-operations
  bool acknowledged_ = false;           // an A-ASSOCIATE-AC went out (else it ends refused)
  // FIND SOP classes for which the SCU negotiated combined date-time matching.
  std::set<std::string> combinedDateTimeMatching_;
  audit::StudyTally received_;  // what C-STOREs stored, for one audit message per study at the end
  std::string refusal_;         // why the association was refused, when it was
};

}  // namespace medvqa::scp
