// Deliberately malformed files for the node's security / robustness tests.
#pragma once

#include <iosfwd>
#include <string>

#include "options.h"

namespace medvqa::gen {

struct HostileResult {
  std::string sopInstanceUid;  // as written (may be absent: "<absent>")
  std::string expectation;     // "reject" or "accept"
};

/// Writes one file of kind `o.hostile` to `o.out`.  Throws UsageError for an unknown kind.
HostileResult writeHostile(const GenOptions& o);

/// One line per kind: name, what the node should do, what the file contains.
void listHostileKinds(std::ostream& os);

}  // namespace medvqa::gen
