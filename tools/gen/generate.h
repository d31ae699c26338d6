// Writing a whole corpus: DIR/<study>/<series>/<instance>.dcm
#pragma once

#include <cstdint>

#include "options.h"

namespace medvqa::gen {

struct GenSummary {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};

GenSummary generateCorpus(const GenOptions& o);

}  // namespace medvqa::gen
