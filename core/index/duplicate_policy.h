#pragma once

namespace medvqa {

// What the node does with an instance whose SOP Instance UID it already holds: replace it (the
// default) or keep the first one. The index applies it (Index::put), the node's ingest too
// (before it moves the file into place); the config's "duplicatePolicy" key chooses it.
enum class DuplicatePolicy { Overwrite, KeepExisting };

}  // namespace medvqa
