#pragma once

#include "db/sqlite.h"

namespace medvqa::index_detail {

// The index's sqlite schema version; bumped with every incompatible change.
// 2: instances.acquisition_datetime(_norm) for the AcquisitionDateTime key.
constexpr int kSchemaVersion = 2;

// Creates the schema in an empty database, migrates an older one this build knows (1 -> 2), or
// checks that an existing one is a version this build understands (Error(Database) otherwise:
// refusing to start beats misreading a newer index).
void createOrCheckSchema(db::Connection& connection);

}  // namespace medvqa::index_detail
