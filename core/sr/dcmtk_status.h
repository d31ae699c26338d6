#pragma once

// DCMTK reports through OFCondition; core/ speaks medvqa::Error. One translation for sr/.

#include <dcmtk/ofstd/ofcond.h>

#include <string>
#include <string_view>

#include "common/error.h"

namespace medvqa::sr {

// Throws Error(Dicom) "`what`: <DCMTK's text>" when `status` is bad.
inline void check(const OFCondition& status, std::string_view what) {
  if (status.bad()) throw Error(ErrorCode::Dicom, std::string(what) + ": " + status.text());
}

}  // namespace medvqa::sr
