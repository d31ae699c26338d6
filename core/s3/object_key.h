#pragma once

#include <string>

namespace medvqa::s3 {

// The object key of an instance: {prefix}{StudyInstanceUID}/{SeriesInstanceUID}/{SOPInstanceUID}.dcm,
// so a bucket lists like a PACS folder and a study is one key prefix. Error(InvalidArgument) for
// an empty UID or one with a '/', which would break that layout.
std::string objectKey(const std::string& prefix, const std::string& studyUid, const std::string& seriesUid,
                      const std::string& sopInstanceUid);

}  // namespace medvqa::s3
