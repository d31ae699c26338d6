#pragma once

#include <optional>
#include <string>

#include "db/sqlite.h"
#include "index/index.h"

namespace medvqa::index_detail {

// The columns of a StoredInstance, in the order readStoredInstance() reads them, for queries over
// `instances i JOIN series se ... JOIN studies st ...` (kStoredInstanceFrom).
inline constexpr const char* kStoredInstanceColumns =
    "i.sop_class_uid, i.sop_instance_uid, i.transfer_syntax_uid, i.rel_path, i.file_size, "
    "st.study_uid, se.series_uid";
inline constexpr const char* kStoredInstanceFrom =
    "instances i JOIN series se ON se.id = i.series_fk JOIN studies st ON st.id = se.study_fk";

StoredInstance readStoredInstance(const db::Statement& row);

std::optional<StoredInstance> selectInstance(db::Connection& connection,
                                             const std::string& sopInstanceUid);

}  // namespace medvqa::index_detail
