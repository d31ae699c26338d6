"""Accuracy breakdowns, expected calibration error and temperature scaling. The definitions match
core/training/evaluation.cpp exactly (same bins, same groups), so the C++ and Python figures can
be compared."""

from typing import Dict, List, Sequence

import torch
import torch.nn.functional as F

CALIBRATION_BINS = 15


def calibration_bins(confidences: Sequence[float], correct: Sequence[bool], bins: int = CALIBRATION_BINS) -> List[Dict]:
    """Equal-width bins; confidence c goes to bin min(floor(c * bins), bins - 1)."""
    counts = [0] * bins
    conf_sum = [0.0] * bins
    hits = [0] * bins
    for c, ok in zip(confidences, correct):
        b = min(max(int(c * bins), 0), bins - 1)
        counts[b] += 1
        conf_sum[b] += c
        hits[b] += int(ok)
    return [{"lower": b / bins, "upper": (b + 1) / bins, "count": counts[b],
             "confidence": conf_sum[b] / counts[b] if counts[b] else 0.0,
             "accuracy": hits[b] / counts[b] if counts[b] else 0.0} for b in range(bins)]


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool],
                               bins: int = CALIBRATION_BINS) -> float:
    total = len(confidences)
    if total == 0:
        return 0.0
    return sum(b["count"] / total * abs(b["accuracy"] - b["confidence"])
               for b in calibration_bins(confidences, correct, bins))


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The T that minimises the NLL of softmax(logits / T) (Guo et al. 2017), by LBFGS on log T."""
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    # A degenerate validation set (a tiny test run) can push T to extremes; keep it sane.
    return float(log_t.exp().clamp(0.05, 20.0))


def accuracy_report(types: List[str], heldout: List[bool], truth: List[str], predicted: List[str],
                    confidences: List[float], question_types: List[Dict]) -> Dict:
    """The figures of `medvqa eval --json`: overall, closed, open, seen, heldout, per type, ECE."""
    closed = {t["name"]: bool(t["closed"]) for t in question_types}
    groups = {name: [0, 0] for name in ("overall", "closed", "open", "seen", "heldout")}
    per_type = {t["name"]: [0, 0] for t in question_types}
    correct = []
    for t, h, y, p in zip(types, heldout, truth, predicted):
        if t not in closed:
            raise SystemExit(f"question type {t!r} is not in the model's manifest")
        ok = y == p
        correct.append(ok)
        for group in ("overall", "closed" if closed[t] else "open", "heldout" if h else "seen"):
            groups[group][0] += ok
            groups[group][1] += 1
        per_type[t][0] += ok
        per_type[t][1] += 1

    def entry(c, n):
        return {"correct": c, "total": n, "accuracy": c / n if n else 0.0}

    report = {name: entry(*counts) for name, counts in groups.items()}
    report["per_type"] = [dict(entry(*per_type[t["name"]]), type=t["name"], closed=bool(t["closed"]))
                          for t in question_types if per_type[t["name"]][1] > 0]
    report["bins"] = calibration_bins(confidences, correct)
    report["ece"] = expected_calibration_error(confidences, correct)
    return report


def format_table(report: Dict) -> str:
    """The table `medvqa eval` prints."""
    def line(label, e):
        return f"{label:<28} {100.0 * e['accuracy']:7.2f} %  {e['correct']:6d} / {e['total']:<6d}\n"
    text = "                               accuracy   correct / rows\n"
    text += line("overall", report["overall"]) + line("closed (yes/no)", report["closed"])
    text += line("open", report["open"]) + line("seen phrasings", report["seen"])
    text += line("held-out phrasings", report["heldout"])
    for e in report["per_type"]:
        text += line("  " + e["type"], e)
    text += f"{'expected calibration error':<28} {report['ece']:7.4f}  ({len(report['bins'])} bins)\n"
    return text
