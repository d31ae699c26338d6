"""The figures of `medvqa eval`, computed from prediction rows exactly as core/training/evaluation.cpp
computes them (same groups, same ranking, same bins) and laid out as its JSON
(core/training/evaluation_report.h) and its table, so the C++ and Python figures can be compared.

A row is a dict as in a predictions file (core/training/predictions_file.h): "type", "heldout",
"expect" ("answered" | "unsupported" | "not_applicable"), "inverse", "truth", "status" ("answered"
| "unsupported" | "not_applicable" | "uncertain"), "answer" (the answer, or the best guess when
uncertain), "confidence", "question_type" (resolved, "" if none), "source" ("model" | "header").

- In-scope rows (expect answered) are right when answered with the truth; any other status is a
  refusal (a false refusal), never an error. Accuracy is over the answered, coverage answered /
  asked, risk at 95 % coverage as in `risk_at_coverage`.
- Out-of-scope rows (expect unsupported): refused when not answered (any status), split by seen
  and held-out topics and wordings; `as_expected` counts those refused as unsupported.
- Not-applicable rows: `as_expected` counts those refused as not applicable.
- Calibration: the answered in-scope rows."""

import math
from typing import Dict, List, Sequence

from metrics import CALIBRATION_BINS

STATUSES = ("answered", "unsupported", "not_applicable", "uncertain")
EXPECTATIONS = ("answered", "unsupported", "not_applicable")
RISK_COVERAGE = 0.95


def in_scope(row: Dict) -> bool:
    return row.get("expect", "answered") == "answered"


def is_answered(row: Dict) -> bool:
    return row.get("status", "answered") == "answered"


def is_correct(row: Dict) -> bool:
    return is_answered(row) and row["answer"] == row["truth"]


def without_answer(row: Dict) -> bool:
    """Refused with no answer at all (not even a best guess): ranked after every other row."""
    return row.get("status", "answered") in ("unsupported", "not_applicable")


def risk_at_coverage(rows: Sequence[Dict], coverage: float = RISK_COVERAGE) -> float:
    """Risk at a coverage over the in-scope rows: ranked by confidence, highest first (ties keep the
    rows' order; rows without any answer last); the top ceil(coverage * n) kept; the share of them
    whose answer or best guess is not the truth, a row without an answer counting as an error."""
    ranked = [r for r in rows if in_scope(r)]
    if not ranked:
        return 0.0
    ranked.sort(key=lambda r: (without_answer(r), 0.0 if without_answer(r) else -r["confidence"]))  # stable
    kept = min(max(math.ceil(coverage * len(ranked) - 1e-9), 1), len(ranked))
    errors = sum(1 for r in ranked[:kept] if without_answer(r) or r["answer"] != r["truth"])
    return errors / kept


def calibration_bins(rows: Sequence[Dict], bins: int = CALIBRATION_BINS) -> List[Dict]:
    """Equal-width bins of the answered in-scope rows; confidence c goes to min(floor(c * bins), bins - 1)."""
    counts, conf_sum, hits = [0] * bins, [0.0] * bins, [0] * bins
    for row in rows:
        if not in_scope(row) or not is_answered(row):
            continue
        c = row["confidence"]
        b = min(max(int(math.floor(c * bins)), 0), bins - 1)
        counts[b] += 1
        conf_sum[b] += c
        hits[b] += int(is_correct(row))
    return [{"lower": b / bins, "upper": (b + 1) / bins, "count": counts[b],
             "confidence": conf_sum[b] / counts[b] if counts[b] else 0.0,
             "accuracy": hits[b] / counts[b] if counts[b] else 0.0} for b in range(bins)]


def expected_calibration_error(bins: Sequence[Dict]) -> float:
    total = sum(b["count"] for b in bins)
    if total == 0:
        return 0.0
    return sum(b["count"] / total * abs(b["accuracy"] - b["confidence"]) for b in bins)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _statuses(rows: Sequence[Dict]) -> Dict[str, int]:
    counts = {status: 0 for status in STATUSES}
    for row in rows:
        counts[row.get("status", "answered")] += 1
    return counts


def selective(rows: Sequence[Dict]) -> Dict:
    """The SELECTIVE object of `medvqa eval --json`, for in-scope rows."""
    asked = len(rows)
    answered = sum(1 for r in rows if is_answered(r))
    correct = sum(1 for r in rows if is_correct(r))
    understood = sum(1 for r in rows if r.get("question_type") and r.get("question_type") == r["type"])
    wrong = answered - correct
    return {"asked": asked, "answered": answered, "correct": correct, "wrong": wrong, "understood": understood,
            "accuracy": _ratio(correct, answered), "coverage": _ratio(answered, asked),
            "false_refusals": _ratio(asked - answered, asked), "wrong_rate": _ratio(wrong, asked),
            "correct_rate": _ratio(correct, asked), "risk_at_95": risk_at_coverage(rows),
            "statuses": _statuses(rows)}


def refusal(rows: Sequence[Dict], expected: str) -> Dict:
    """The REFUSAL object, for rows that should get `expected` (unsupported / not_applicable)."""
    asked = len(rows)
    refused = sum(1 for r in rows if not is_answered(r))
    as_expected = sum(1 for r in rows if r.get("status", "answered") == expected)
    return {"asked": asked, "refused": refused, "as_expected": as_expected, "rate": _ratio(refused, asked),
            "expected_rate": _ratio(as_expected, asked), "statuses": _statuses(rows)}


def selective_report(rows: Sequence[Dict], question_types: List[Dict]) -> Dict:
    """The figures of `medvqa eval --json` (core/training/evaluation_report.h)."""
    names = [t["name"] for t in question_types]
    closed = {t["name"]: bool(t["closed"]) for t in question_types}
    for row in rows:
        expect = row.get("expect", "answered")
        if expect not in EXPECTATIONS:
            raise SystemExit(f"a truth row cannot expect {expect!r}")
        if expect != "unsupported" and row["type"] not in closed:
            raise SystemExit(f"question type {row['type']!r} is not in the model's manifest")
    scoped = [r for r in rows if in_scope(r)]
    oos = [r for r in rows if r.get("expect") == "unsupported"]
    na = [r for r in rows if r.get("expect") == "not_applicable"]
    per_type = []
    for name in names:
        of_type = [r for r in scoped if r["type"] == name]
        na_of_type = [r for r in na if r["type"] == name]
        if not of_type and not na_of_type:
            continue
        entry = selective(of_type)
        entry.update(type=name, closed=closed[name], inverse=selective([r for r in of_type if r.get("inverse")]),
                     not_applicable=refusal(na_of_type, "not_applicable"))
        per_type.append(entry)
    out_of_scope = refusal(oos, "unsupported")
    out_of_scope["seen"] = refusal([r for r in oos if not r["heldout"]], "unsupported")
    out_of_scope["heldout"] = refusal([r for r in oos if r["heldout"]], "unsupported")
    bins = calibration_bins(rows)
    return {"rows": len(rows),
            "overall": selective(scoped),
            "closed": selective([r for r in scoped if closed[r["type"]]]),
            "open": selective([r for r in scoped if not closed[r["type"]]]),
            "seen": selective([r for r in scoped if not r["heldout"]]),
            "heldout": selective([r for r in scoped if r["heldout"]]),
            "inverse": selective([r for r in scoped if r.get("inverse")]),
            "per_type": per_type,
            "out_of_scope": out_of_scope,
            "not_applicable": refusal(na, "not_applicable"),
            "ece": expected_calibration_error(bins),
            "bins": bins,
            "header_answers": sum(1 for r in rows if r.get("source") == "header")}


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.2f} %" if whole else "-"


def format_table(report: Dict) -> str:
    """The table `medvqa eval` prints (core/training/evaluation_report.cpp, formatTable)."""
    def line(label: str, f: Dict) -> str:
        risk = f"{100.0 * f['risk_at_95']:.2f} %" if f["asked"] else "-"
        return (f"{label:<30} {f['asked']:7d} {f['answered']:9d} {_percent(f['answered'], f['asked']):>10} "
                f"{_percent(f['correct'], f['answered']):>10} {risk:>10}\n")

    def refusal_line(label: str, f: Dict, expected: str) -> str:
        return (f"{label:<30} {f['asked']:7d} {f['refused']:9d} {_percent(f['refused'], f['asked']):>10}   "
                f"({f['as_expected']} as {expected})\n")

    text = "in-scope questions               asked  answered   coverage   accuracy    risk@95\n"
    for key, label in (("overall", "overall"), ("closed", "closed (yes/no)"), ("open", "open"),
                       ("seen", "seen phrasings"), ("heldout", "held-out phrasings"), ("inverse", "inverse polarity")):
        text += line(label, report[key])
    for entry in report["per_type"]:
        if entry["asked"]:
            text += line("  " + entry["type"], entry)
    overall, inverse = report["overall"], report["inverse"]
    refused = overall["asked"] - overall["answered"]
    s = overall["statuses"]
    text += (f"false refusals                 {refused:7d} {'':>9} {_percent(refused, overall['asked']):>10}   "
             f"(unsupported {s['unsupported']}, not applicable {s['not_applicable']}, uncertain {s['uncertain']})\n")
    text += (f"inverse polarity, wrong        {inverse['wrong']:7d} {'':>9} {_percent(inverse['wrong'], inverse['asked']):>10}"
             f"   (of {inverse['asked']} asked)\n")
    text += "\nshould be refused                asked   refused       rate\n"
    oos = report["out_of_scope"]
    text += refusal_line("out of scope", oos, "unsupported")
    text += refusal_line("  seen topics and wordings", oos["seen"], "unsupported")
    text += refusal_line("  held-out topics and wordings", oos["heldout"], "unsupported")
    text += refusal_line("not applicable to the study", report["not_applicable"], "not_applicable")
    text += (f"\n{'expected calibration error':<30} {report['ece']:7.4f}  ({len(report['bins'])} bins, "
             f"{overall['answered']} answered in-scope questions)\n")
    if report["header_answers"]:
        text += f"({report['header_answers']} questions answered from the DICOM header, not the model)\n"
    return text
