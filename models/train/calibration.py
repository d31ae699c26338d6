"""What training decides on validation data after the weights are fixed (docs/model-format.md,
"Answers it can stand behind"):

- the answer temperature, fitted with the softmax restricted to each type's answers, as the
  runtime computes confidences;
- each type's `threshold` (below it the runtime says "uncertain"), for a target risk;
- the understanding temperature and `min_confidence` (below it, or "none of these" on top, the
  runtime says "unsupported"), refusing as much out-of-scope text as the allowed false refusals of
  in-scope questions permit."""

import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F


# -- answers -------------------------------------------------------------------------------------

def answer_mask(spaces: Sequence[Sequence[int]], answers: int) -> torch.Tensor:
    """bool [T, A]: answer a is in type t's answer space."""
    mask = torch.zeros(len(spaces), answers, dtype=torch.bool)
    for t, space in enumerate(spaces):
        mask[t, list(space)] = True
    return mask


def restricted_probabilities(logits: torch.Tensor, allowed: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits / T) over each row's allowed answers (0 elsewhere): what the runtime gives."""
    return F.softmax((logits / temperature).masked_fill(~allowed, float("-inf")), dim=1)


def fit_restricted_temperature(logits: torch.Tensor, labels: torch.Tensor, allowed: torch.Tensor) -> float:
    """The T minimising the NLL of the restricted softmax (Guo et al. 2017), by LBFGS on log T."""
    if logits.shape[0] == 0:
        return 1.0
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        scaled = (logits / log_t.exp()).masked_fill(~allowed, float("-inf"))
        loss = F.cross_entropy(scaled, labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    # A degenerate validation set (a tiny test run) can push T to extremes; keep it sane.
    return float(log_t.exp().clamp(0.05, 20.0))


@dataclass
class ThresholdChoice:
    threshold: float
    rows: int          # validation rows of the type
    coverage: float    # share answered at this threshold
    risk: float        # error rate among them (raw, not smoothed)
    rule: str          # "target" (risk target met), "coverage floor", "no data"

    def as_json(self) -> Dict:
        return {"threshold": round(self.threshold, 6), "validation_rows": self.rows,
                "coverage": round(self.coverage, 4), "risk": round(self.risk, 4), "rule": self.rule}


def _risk_curve(confidence: torch.Tensor, correct: torch.Tensor, cut: float) -> Tuple[int, int]:
    answered = confidence >= cut
    return int(answered.sum()), int((answered & ~correct).sum())


def choose_thresholds(confidence: torch.Tensor, correct: torch.Tensor, qtype: torch.Tensor, closed: List[bool],
                      target_risk: float, min_coverage: float, prior_rows: float) -> List[ThresholdChoice]:
    """Each type's threshold: the smallest cut whose answered validation rows have a *smoothed*
    risk <= target_risk, unless that answers fewer than min_coverage of the type's rows; then the
    cut that answers min_coverage (the floor: abstaining on most questions helps no one).

    Candidate cuts are 0 and the midpoints between consecutive distinct confidences. Per-type
    validation is small (a type has ~150 rows, so one error is 0.7 %), so the risk at a cut is
    shrunk towards the pooled risk of the type's family (closed or open types) at the same cut:
    (errors + k * pooled risk) / (answered + k), k = prior_rows pseudo-rows. A type without
    validation rows takes its family's pooled threshold."""
    choices: List[ThresholdChoice] = []
    family_of = [bool(c) for c in closed]
    for t in range(len(closed)):
        family = torch.tensor([family_of[int(q)] == family_of[t] for q in qtype.tolist()], dtype=torch.bool)
        pooled_conf, pooled_ok = confidence[family], correct[family]
        mine = qtype == t
        conf, ok = confidence[mine], correct[mine]
        pooled_only = int(mine.sum()) == 0
        if pooled_only:
            conf, ok = pooled_conf, pooled_ok
        n_all = int(conf.numel())
        if n_all == 0:
            choices.append(ThresholdChoice(0.0, 0, 1.0, 0.0, "no data"))
            continue
        values = sorted(set(conf.tolist()))
        cuts = [0.0] + [(a + b) / 2 for a, b in zip(values, values[1:])]
        chosen: Optional[float] = None
        floor_cut = 0.0
        for cut in cuts:
            n, e = _risk_curve(conf, ok, cut)
            if n / n_all + 1e-12 >= min_coverage:
                floor_cut = cut
            if n == 0:
                break
            if pooled_only:
                smoothed = e / n
            else:
                pn, pe = _risk_curve(pooled_conf, pooled_ok, cut)
                smoothed = (e + prior_rows * (pe / pn if pn else 0.0)) / (n + prior_rows)
            if smoothed <= target_risk:
                chosen = cut
                break
        rule = "target"
        if chosen is None or chosen > floor_cut:
            chosen, rule = floor_cut, "coverage floor"
        n, e = _risk_curve(conf, ok, chosen)
        choices.append(ThresholdChoice(chosen, int(mine.sum()), n / n_all, e / n if n else 0.0,
                                       rule + (" (pooled: no validation rows)" if pooled_only else "")))
    return choices


# -- understanding -------------------------------------------------------------------------------

def fit_weighted_temperature(logits: torch.Tensor, labels: torch.Tensor, weights: torch.Tensor,
                             minimum: float = 1.0) -> float:
    """T minimising a weighted NLL of softmax(logits / T); weights balance in-scope and
    out-of-scope rows, whose validation counts say nothing about how often each is asked.
    Never below `minimum` (1: never sharper than trained): a validation set the head separates
    perfectly drives the NLL's T towards 0, which says nothing about wordings and topics it has
    not seen, where an over-sharp head would refuse or accept with false certainty."""
    if logits.shape[0] == 0:
        return 1.0
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200, line_search_fn="strong_wolfe")
    weights = weights / weights.sum()

    def closure():
        optimizer.zero_grad()
        loss = (F.cross_entropy(logits / log_t.exp(), labels, reduction="none") * weights).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    return float(log_t.exp().clamp(minimum, 20.0))


@dataclass
class UnderstandingFigures:
    in_scope: int             # validation in-scope questions
    understood: float         # share resolved to their own type and not refused
    false_refusals: float     # share refused
    out_of_scope: int
    oos_refused: float        # share refused
    polarity: float           # share of closed-type in-scope questions whose polarity is right
    polarity_rows: int

    def line(self) -> str:
        return (f"understood {100 * self.understood:.1f} % of {self.in_scope} in-scope "
                f"(refused {100 * self.false_refusals:.1f} %), refused {100 * self.oos_refused:.1f} % of "
                f"{self.out_of_scope} out-of-scope, polarity {100 * self.polarity:.1f} % of {self.polarity_rows}")

    def as_json(self) -> Dict:
        return {"in_scope": self.in_scope, "understood": round(self.understood, 4),
                "false_refusals": round(self.false_refusals, 4), "out_of_scope": self.out_of_scope,
                "out_of_scope_refused": round(self.oos_refused, 4), "polarity_accuracy": round(self.polarity, 4),
                "polarity_rows": self.polarity_rows}


def understanding_figures(outputs: torch.Tensor, labels: torch.Tensor, polarity: torch.Tensor, closed: List[bool],
                          temperature: float, min_confidence: float) -> UnderstandingFigures:
    """The runtime's reading of understand(): softmax over the T+1 type columns / temperature,
    refused when "none" wins or the winner is below min_confidence; polarity = argmax of the
    last two columns (only closed types can be inverse)."""
    types = outputs.shape[1] - 3
    probabilities = F.softmax(outputs[:, :types + 1] / temperature, dim=1)
    confidence, predicted = probabilities.max(dim=1)
    refused = (predicted == types) | (confidence < min_confidence)
    inside = labels < types
    outside = ~inside
    n_in, n_out = int(inside.sum()), int(outside.sum())
    understood = (~refused & (predicted == labels) & inside).sum()
    closed_rows = inside.clone()
    if n_in:
        closed_rows[inside] = torch.tensor([closed[int(t)] for t in labels[inside].tolist()], dtype=torch.bool)
    polarity_ok = (outputs[:, types + 1:].argmax(dim=1) == polarity) & closed_rows
    n_pol = int(closed_rows.sum())
    return UnderstandingFigures(
        in_scope=n_in, understood=float(understood) / max(n_in, 1),
        false_refusals=float((refused & inside).sum()) / max(n_in, 1),
        out_of_scope=n_out, oos_refused=float((refused & outside).sum()) / max(n_out, 1),
        polarity=float(polarity_ok.sum()) / max(n_pol, 1), polarity_rows=n_pol)


def choose_min_confidence(outputs: torch.Tensor, labels: torch.Tensor, temperature: float,
                          max_false_refusal: float) -> float:
    """The understanding `min_confidence`: refuse as many validation out-of-scope questions as
    possible while refusing at most max_false_refusal of the in-scope ones (refused = "none" wins
    or the top probability is below the cut). Among cuts that refuse that many, the one halfway
    between the most confident refused question and the least confident accepted one: the widest
    margin on both sides for wordings validation did not have."""
    types = outputs.shape[1] - 3
    probabilities = F.softmax(outputs[:, :types + 1] / temperature, dim=1)
    confidence, predicted = probabilities.max(dim=1)
    inside = labels < types
    accepted_in = confidence[inside & (predicted != types)]
    already_refused_in = int((inside & (predicted == types)).sum())
    allowed = math.floor(max_false_refusal * int(inside.sum()) + 1e-9) - already_refused_in
    if allowed < 0 or accepted_in.numel() == 0:
        return 0.0  # "none" alone already refuses more in-scope questions than allowed
    # The highest cut that refuses at most `allowed` more in-scope questions: just above the
    # allowed-th lowest in-scope confidence, i.e. at the (allowed+1)-th lowest.
    ordered = torch.sort(accepted_in).values
    ceiling = float(ordered[min(allowed, ordered.numel() - 1)])
    # Out-of-scope questions the cut can still refuse (not already refused by "none").
    oos = confidence[~inside & (predicted != types)]
    refusable = oos[oos < ceiling]
    if refusable.numel() == 0:
        return 0.0
    lower = float(refusable.max())  # the most confident one the cut must refuse
    above = torch.cat([accepted_in[accepted_in > lower], oos[oos > lower]])
    upper = float(above.min()) if above.numel() else ceiling
    return (lower + min(upper, ceiling)) / 2
