#pragma once

#include <dcmtk/dcmnet/scpthrd.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/event_parts.h"
#include "audit/study_tally.h"
#include "node_services.h"
#include "sub_operations.h"

namespace medvqa {
struct StoredInstance;
}
namespace medvqa::net {
class StoreClient;
}

namespace medvqa::scp {

// One DICOM association: policy (who may connect) and dispatch to the services, each of which
// lives in its own file (echo is DCMTK's, store_service.cpp, find_service.cpp,
// get_service.cpp, move_service.cpp). A fresh object serves each association and is destroyed
// after it, which also frees DCMTK's association structure.
//
// Services answer the failures they expect (an Error they map to a status) themselves. Any
// exception that escapes one is caught once, in handleIncomingCommand: the peer gets the final
// response of the command's kind (0xC000, or 0xA7xx when out of memory or disk), the log says
// which command failed and why, and the association goes on serving.
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
  // A C-GET or C-MOVE being served: its sub-operations (with what they sent, by study) and who
  // received them. Held by the association, not on the service's stack, so that the catch-all
  // can still put the counts in its final response and audit what went out.
  struct Retrieve {
    SubOperations ops;
    audit::Peer destination;  // C-GET: the requestor itself
  };

  // Dispatch (association.cpp): the service for the command, inside the catch-all.
  OFCondition dispatch(T_DIMSE_Message& msg, const DcmPresentationContextInfo& presInfo);
  // The catch-all's answer: the final response of the command's kind with a failure status, once
  // the command's data set, if still on the wire, is read and dropped.
  OFCondition answerUnexpected(T_DIMSE_Message& msg, T_ASC_PresentationContextID presId, bool outOfResources,
                               const std::string& what);
  // Called by each service once the command's data set (if any) is read: from then on the next
  // PDU on the wire is a new command, and a final response may go out at any time.
  void dataSetReceived() { dataSetOnTheWire_ = false; }
  // Runs auditOutcome_ (set by the service) after the final response; never throws, so nothing
  // that follows a final response can reach the catch-all and answer the command twice.
  void auditOutcome(Uint16 finalStatus, const std::string& problem) noexcept;

  OFCondition handleStore(T_DIMSE_C_StoreRQ& request, T_ASC_PresentationContextID presId);
  OFCondition handleFind(T_DIMSE_C_FindRQ& request, T_ASC_PresentationContextID presId);
  OFCondition handleGet(T_DIMSE_C_GetRQ& request, T_ASC_PresentationContextID presId);
  OFCondition handleMove(T_DIMSE_C_MoveRQ& request, T_ASC_PresentationContextID presId);

  // C-GET and C-MOVE (association.cpp): the instances an identifier names; nullopt, logged, when
  // it names none the node can look up (answered 0xA900).
  std::optional<std::vector<StoredInstance>> instancesToRetrieve(const char* service, const char* sopClassUid,
                                                                 DcmDataset& identifier);
  // Starts retrieve_ for `instances`, sent to `destination`, audited once answered.
  Retrieve& startRetrieve(const std::vector<StoredInstance>& instances, audit::Peer destination);

  // C-GET helpers (get_service.cpp): sub-operations go back over this same association.
  Uint16 storeOverThisAssociation(const StoredInstance& instance);
  // A C-GET-RSP with the counts of retrieve_ (zeros when none has started).
  OFCondition sendGetResponse(T_ASC_PresentationContextID presId, const T_DIMSE_C_GetRQ& request, Uint16 status,
                              DcmDataset* identifier = nullptr, DcmDataset* statusDetail = nullptr);

  // C-MOVE steps (move_service.cpp), after handleMove has resolved the destination: open the
  // sub-association, send over it, answer.
  bool openSubAssociation(net::StoreClient& client, const std::vector<StoredInstance>& instances);
  OFCondition sendOverSubAssociation(net::StoreClient& client, T_ASC_PresentationContextID presId,
                                     const T_DIMSE_C_MoveRQ& request, const std::vector<StoredInstance>& instances);
  OFCondition finishMove(T_ASC_PresentationContextID presId, const T_DIMSE_C_MoveRQ& request);
  // A C-MOVE-RSP with the counts of retrieve_ (none when no retrieve has started).
  OFCondition sendMoveResponse(T_ASC_PresentationContextID presId, const T_DIMSE_C_MoveRQ& request, Uint16 status,
                               DcmDataset* identifier = nullptr, DcmDataset* statusDetail = nullptr);

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

  // The command being served (reset as each one arrives).
  bool dataSetOnTheWire_ = false;     // it announced a data set that no service has read yet
  std::optional<Retrieve> retrieve_;  // C-GET, C-MOVE
  // The audit record it owes once answered, given the final status and what went wrong.
  std::function<void(Uint16 finalStatus, const std::string& problem)> auditOutcome_;
};

}  // namespace medvqa::scp
