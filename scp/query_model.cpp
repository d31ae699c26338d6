#include "query_model.h"

#include <dcmtk/dcmdata/dcuid.h>

namespace medvqa::scp {

std::optional<QueryModel> queryModelFor(const std::string& uid) {
  if (uid == UID_FINDPatientRootQueryRetrieveInformationModel ||
      uid == UID_GETPatientRootQueryRetrieveInformationModel ||
      uid == UID_MOVEPatientRootQueryRetrieveInformationModel) {
    return QueryModel::PatientRoot;
  }
  if (uid == UID_FINDStudyRootQueryRetrieveInformationModel ||
      uid == UID_GETStudyRootQueryRetrieveInformationModel ||
      uid == UID_MOVEStudyRootQueryRetrieveInformationModel) {
    return QueryModel::StudyRoot;
  }
  return std::nullopt;
}

}  // namespace medvqa::scp
