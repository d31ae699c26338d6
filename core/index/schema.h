#pragma once

#include "db/sqlite.h"

namespace medvqa::index_detail {

// The index's sqlite schema version; bumped with every incompatible change.
constexpr int kSchemaVersion = 1;

// Creates the schema in an empty database, or checks that an existing one is a version this build
// understands (Error(Database) otherwise: refusing to start beats misreading a newer index).
void createOrCheckSchema(db::Connection& connection);

}  // namespace medvqa::index_detail
