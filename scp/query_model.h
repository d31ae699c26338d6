#pragma once

#include <optional>
#include <string>

#include "index/query.h"

namespace medvqa::scp {

// Which information model a Query/Retrieve SOP Class UID (FIND, GET or MOVE) names.
std::optional<QueryModel> queryModelFor(const std::string& sopClassUid);

}  // namespace medvqa::scp
