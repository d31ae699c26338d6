#pragma once

// An EvaluationReport as people read it (a fixed-width table) and as scripts read it (JSON).

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "training/evaluation.h"

namespace medvqa::training {

// Overall, closed, open, seen/held-out phrasings, every type, then ECE; percentages.
std::string formatTable(const EvaluationReport& report);

// {"overall": {"correct", "total", "accuracy"}, "closed", "open", "seen", "heldout",
//  "per_type": [{"type", "closed", "correct", "total", "accuracy"}], "ece",
//  "bins": [{"lower", "upper", "count", "confidence", "accuracy"}]}
nlohmann::json toJson(const EvaluationReport& report);

}  // namespace medvqa::training
