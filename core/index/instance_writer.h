#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "db/sqlite.h"
#include "index/index.h"
#include "index/instance_record.h"

namespace medvqa::index_detail {

// The write side of Index, on a connection the caller owns exclusively. Each call is one
// IMMEDIATE transaction, committed before it returns or rolled back when it throws.

PutResult putInstance(db::Connection& connection, const InstanceRecord& record,
                      DuplicatePolicy policy, std::int64_t receivedAtMs, Settling settling);

std::optional<StoredInstance> removeInstance(db::Connection& connection,
                                             const std::string& sopInstanceUid);

}  // namespace medvqa::index_detail
