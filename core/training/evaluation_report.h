#pragma once

// An EvaluationReport as people read it (a fixed-width table) and as scripts read it (JSON).
// models/train/selective_metrics.py writes the same JSON.

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "training/evaluation.h"

namespace medvqa::training {

// In-scope questions (overall, closed, open, seen/held-out phrasings, inverse polarity, every
// type): asked, answered, coverage, accuracy when answered, risk at 95 % coverage; then false
// refusals by status, out-of-scope and not-applicable refusals, ECE of the answered questions.
std::string formatTable(const EvaluationReport& report);

// {"rows",
//  "overall" | "closed" | "open" | "seen" | "heldout" | "inverse": SELECTIVE,
//  "per_type": [{"type", "closed", ...SELECTIVE, "inverse": SELECTIVE, "not_applicable": REFUSAL}],
//  "out_of_scope": {...REFUSAL, "seen": REFUSAL, "heldout": REFUSAL}, "not_applicable": REFUSAL,
//  "ece", "bins": [{"lower", "upper", "count", "confidence", "accuracy"}], "header_answers"}
// SELECTIVE = {"asked", "answered", "correct", "wrong", "understood", "accuracy" (when answered),
//              "coverage", "false_refusals", "wrong_rate", "correct_rate", "risk_at_95",
//              "statuses": {"answered", "unsupported", "not_applicable", "uncertain"}}
// REFUSAL = {"asked", "refused", "as_expected", "rate", "expected_rate", "statuses": {...}}
nlohmann::json toJson(const EvaluationReport& report);

}  // namespace medvqa::training
