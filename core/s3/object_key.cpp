#include "s3/object_key.h"

#include "common/error.h"

namespace medvqa::s3 {
namespace {

const std::string& checked(const std::string& uid, const char* what) {
  if (uid.empty() || uid.find('/') != std::string::npos) {
    throw Error(ErrorCode::InvalidArgument, std::string("no object key for ") + what + " '" + uid + "'");
  }
  return uid;
}

}  // namespace

std::string objectKey(const std::string& prefix, const std::string& studyUid, const std::string& seriesUid,
                      const std::string& sopInstanceUid) {
  return prefix + checked(studyUid, "Study Instance UID") + "/" + checked(seriesUid, "Series Instance UID") + "/" +
         checked(sopInstanceUid, "SOP Instance UID") + ".dcm";
}

}  // namespace medvqa::s3
