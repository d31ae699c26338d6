#!/usr/bin/python3
"""Scores an exported model in Python on a set prepared with the model's own tokenizer, the way the
C++ runtime (vqa::Engine) answers, with the same figures as `medvqa eval`, and optionally compares
its per-question outcomes with the runtime's (`medvqa eval --predictions`): the two must agree.

    medvqa prepare --data build/demo/test --out build/demo/test --tokenizer models/demo/manifest.json
    /usr/bin/python3 models/train/evaluate.py --model models/demo --data build/demo/test \\
        --predictions build/demo/python.jsonl --compare build/demo/cpp.jsonl

The engine's steps, reproduced on the prepared tensors (docs/vqa-runtime.md):
1. the header router: not reproduced (Python has no DICOM header); rows the runtime answered from
   the header ("source": "header" in the C++ file) are counted, not compared;
2. understanding (format 2): softmax(understand(tokens)[:, :T+1] / understanding temperature);
   "none of these" on top, or a top probability under min_confidence -> unsupported; a closed type
   is inverse when softmax of the two polarity logits gives inverse > 0.5. A format-1 model has no
   understanding: every question goes to the answer head with its own words, over every answer;
3. applicability: the type's applies_to against the study's (Modality, Body Part Examined). The
   prepared set has no header: the study's region is taken from PREFIX.json rows' "modality" and
   "body_part" when present, otherwise inferred from the truth: the regions every in-scope type
   asked about the study applies to and no not-applicable type asked about it does. A type that
   applies on some of those regions and not on others cannot be decided (the row is reported as
   not reproduced);
4. answer: answer(features of each selected image, the type's canonical question) / temperature,
   softmax, restricted to the type's answers and renormalised, combined over images by the
   runtime's rule (core/vqa/answer_combiner.h); inverse polarity flips yes <-> no;
5. a confidence under the type's threshold -> uncertain (the answer kept as the best guess).

The truth rows come from --truth (a `medvqa synth` folder or its truth.jsonl); without it from the
--compare file's truth columns (question, type, expect, inverse, truth: inputs, not the runtime's
outputs); without either, the prepared (in-scope) rows alone are scored. Questions are found in the
prepared set by their text (the image rows' tokens, else the text rows': `medvqa prepare` writes
every phrasing and every out-of-scope question), images by study UID."""

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))

from prepared_data import PreparedSet, load_prepared  # noqa: E402
from selective_metrics import format_table, selective_report  # noqa: E402

# The runtime's answers and Python's are computed by different builds of the same kernels (batch
# sizes differ too), so probabilities agree to float rounding, not bit for bit.
CONFIDENCE_TOLERANCE = 1e-4
# A decision whose deciding value lies this close to its boundary (a threshold, 0.5, a tie) may
# fall either way in the two builds: a different outcome there is reported, not a failure.
BORDERLINE = 1e-4


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="model folder (manifest.json + model.pt)")
    p.add_argument("--data", required=True, help="PREFIX of `medvqa prepare --tokenizer MODEL/manifest.json`")
    p.add_argument("--truth", help="the `medvqa synth` folder (or truth.jsonl) the set was prepared from")
    p.add_argument("--predictions", help="write one JSON line per question (as medvqa eval does)")
    p.add_argument("--compare", help="a `medvqa eval --predictions` file: fail unless every outcome is the same")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--threads", type=int, default=2)
    return p.parse_args()


def check_same_tokenizer(manifest: Dict, data: PreparedSet) -> None:
    for section in ("tokenizer", "answers"):
        if manifest[section] != data.meta[section]:
            raise SystemExit(f"{section} of the prepared set differs from the model's: prepare it with "
                             f"--tokenizer MODEL/manifest.json")
    if [t["name"] for t in manifest["question_types"]] != [t["name"] for t in data.question_types]:
        raise SystemExit("question types of the prepared set differ from the model's: prepare it with "
                         "--tokenizer MODEL/manifest.json")


# -- truth rows ------------------------------------------------------------------------------------

def truth_from_file(path: str) -> List[Dict]:
    file = Path(path)
    if file.is_dir():
        file = file / "truth.jsonl"
    rows = []
    for i, line in enumerate(file.read_text().splitlines()):
        t = json.loads(line)
        rows.append({"truth_row": i, "study_uid": t["study_uid"], "question": t["question"], "type": t["type"],
                     "heldout": bool(t.get("heldout", False)), "expect": t.get("expect", "answered"),
                     "inverse": bool(t.get("inverse", False)), "truth": t["answer"]})
    return rows


def truth_from_predictions(path: str) -> List[Dict]:
    keys = ("truth_row", "study_uid", "question", "type", "heldout", "expect", "inverse", "truth")
    rows = []
    for line in Path(path).read_text().splitlines():
        p = json.loads(line)
        row = {key: p.get(key) for key in keys}
        row["expect"] = row["expect"] or "answered"
        row["inverse"] = bool(row["inverse"])
        rows.append(row)
    return rows


def truth_from_prepared(data: PreparedSet) -> List[Dict]:
    """The in-scope truth rows the prepared set holds. Its `answer` is the type-level answer: an
    inverse phrasing's truth as asked is that answer flipped (yes <-> no)."""
    flip = {"yes": "no", "no": "yes"}
    seen, rows = set(), []
    for i, row in enumerate(data.rows):
        key = int(row["truth_row"])
        if key in seen:
            continue
        seen.add(key)
        inverse = data.polarity is not None and bool(data.polarity[i])
        rows.append({"truth_row": key, "study_uid": row["study_uid"], "question": row["question"], "type": row["type"],
                     "heldout": bool(data.heldout[i]), "expect": "answered", "inverse": inverse,
                     "truth": flip.get(row["answer"], row["answer"]) if inverse else row["answer"]})
    return rows


# -- the prepared set, indexed ----------------------------------------------------------------------

class PreparedIndex:
    """Question tokens by question text, images and region by study."""

    def __init__(self, data: PreparedSet):
        self.data = data
        self.tokens: Dict[str, torch.Tensor] = {}
        self.images: Dict[str, List[int]] = {}
        self.region: Dict[str, Tuple[str, str]] = {}
        for i, row in enumerate(data.rows):
            self.tokens.setdefault(row["question"], data.tokens[i])
            images = self.images.setdefault(row["study_uid"], [])
            image = int(data.image_index[i])
            if image not in images:
                images.append(image)
            if "modality" in row and "body_part" in row:
                self.region[row["study_uid"]] = (str(row["modality"]).strip().upper(),
                                                 str(row["body_part"]).strip().upper())
        if data.text_tokens is not None:
            for k, text in enumerate(data.text_rows):
                self.tokens.setdefault(text["question"], data.text_tokens[k])


# -- applicability ------------------------------------------------------------------------------------

OTHER = "\x00other"  # a value no applies_to lists


def applies(entry: Dict, region: Tuple[str, str]) -> bool:
    """core/vqa/applicability.cpp: no applies_to applies everywhere; an empty list matches anything."""
    rules = entry.get("applies_to") or []
    if not rules:
        return True
    modality, part = region
    for rule in rules:
        modalities = [m.strip().upper() for m in rule.get("modality", [])]
        parts = [b.strip().upper() for b in rule.get("body_part", [])]
        if (not modalities or modality in modalities) and (not parts or part in parts):
            return True
    return False


class Regions:
    """What each study shows, from the prepared rows' header fields or inferred from its truth rows."""

    def __init__(self, question_types: List[Dict], truth: List[Dict], index: PreparedIndex):
        self.types = {t["name"]: t for t in question_types}
        modalities, parts = {OTHER}, {OTHER}
        for t in question_types:
            for rule in t.get("applies_to") or []:
                modalities.update(m.strip().upper() for m in rule.get("modality", []))
                parts.update(b.strip().upper() for b in rule.get("body_part", []))
        candidates = list(itertools.product(sorted(modalities), sorted(parts)))
        self.possible: Dict[str, List[Tuple[str, str]]] = {}
        by_study: Dict[str, List[Dict]] = {}
        for row in truth:
            by_study.setdefault(row["study_uid"], []).append(row)
        for study, rows in by_study.items():
            if study in index.region:
                self.possible[study] = [index.region[study]]
                continue
            shown = {r["type"] for r in rows if r["expect"] == "answered" and r["type"] in self.types}
            not_shown = {r["type"] for r in rows if r["expect"] == "not_applicable" and r["type"] in self.types}
            self.possible[study] = [c for c in candidates if all(applies(self.types[t], c) for t in shown)
                                    and not any(applies(self.types[t], c) for t in not_shown)]

    def applies(self, study: str, type_name: str) -> Optional[bool]:
        """None when the study's possible regions do not decide it."""
        verdicts = {applies(self.types[type_name], region) for region in self.possible.get(study, [])}
        return verdicts.pop() if len(verdicts) == 1 else None


# -- the engine's steps ----------------------------------------------------------------------------

def restrict(row: torch.Tensor, allowed: Optional[List[int]]) -> torch.Tensor:
    """core/vqa/answer_space.cpp: zero outside the type's answers, renormalised (uniform when the
    row has no mass inside)."""
    if allowed is None:
        return row
    out = torch.zeros_like(row)
    mass = float(row[allowed].double().sum())
    out[allowed] = (row[allowed].double() / mass).float() if mass > 0 else 1.0 / len(allowed)
    return out


def combine(rows: Sequence[torch.Tensor], answers: List[str]) -> Tuple[int, float]:
    """core/vqa/answer_combiner.cpp: closed when "yes" and "no" are answers and every image's top
    answer is one of them: "yes" when any image says so (its highest P(yes)), else "no" with the
    lowest P(no); otherwise a majority vote of the images' top answers, ties to the voters' summed
    confidence, with the winner's mean probability over all images."""
    tops = [int(r.argmax()) for r in rows]
    if "yes" in answers and "no" in answers:
        yes, no = answers.index("yes"), answers.index("no")
        if all(t in (yes, no) for t in tops):
            if yes in tops:
                return yes, max(float(r[yes]) for r, t in zip(rows, tops) if t == yes)
            return no, min(float(r[no]) for r in rows)
    votes: Dict[int, Tuple[int, float]] = {}
    for t, r in zip(tops, rows):
        count, total = votes.get(t, (0, 0.0))
        votes[t] = (count + 1, total + float(r[t]))
    best = None
    for a in range(len(answers)):  # the C++ loop: strictly more votes, or as many and more confidence
        if a not in votes:
            continue
        if best is None or votes[a][0] > votes[best][0] or (votes[a][0] == votes[best][0] and votes[a][1] > votes[best][1]):
            best = a
    # Answers without a vote: the C++ loop starts at index 0 with 0 votes; a voted answer always beats it.
    return best, sum(float(r[best]) for r in rows) / len(rows)


def top_gap(row: torch.Tensor) -> float:
    top2 = torch.topk(row.double(), min(2, row.shape[0])).values
    return float(top2[0] - top2[1]) if top2.shape[0] > 1 else 1.0


class PythonEngine:
    def __init__(self, module, manifest: Dict, data: PreparedSet, index: PreparedIndex, regions: Regions):
        self.module, self.manifest, self.data, self.index, self.regions = module, manifest, data, index, regions
        self.types: List[Dict] = manifest["question_types"]
        self.answers = [a["text"] for a in manifest["answers"]]
        self.temperature = float(manifest["calibration"]["temperature"])
        self.understanding = manifest.get("understanding") if "understand" in manifest.get("methods", []) else None
        self.spaces = [[self.answers.index(a) for a in t["answers"]] if t.get("answers") else None for t in self.types]
        self.yes = self.answers.index("yes") if "yes" in self.answers else None
        self.no = self.answers.index("no") if "no" in self.answers else None
        with torch.no_grad():
            self.features = torch.cat([module.encode_image(data.images[i:i + 128])
                                       for i in range(0, data.images.shape[0], 128)])
        self._canonical: Dict[int, torch.Tensor] = {}

    @torch.no_grad()
    def probabilities(self, images: List[int], tokens: torch.Tensor) -> List[torch.Tensor]:
        logits = self.module.answer(self.features[images], tokens.unsqueeze(0).expand(len(images), -1).contiguous())
        return list(F.softmax(logits / self.temperature, dim=1))

    @torch.no_grad()
    def canonical(self, t: int) -> Optional[torch.Tensor]:
        """softmax(answer(every image, type t's canonical question) / T): [images, answers]."""
        if not self.types[t].get("question") or self.data.canonical_tokens is None:
            return None
        if t not in self._canonical:
            tokens = self.data.canonical_tokens[t].unsqueeze(0).expand(self.features.shape[0], -1).contiguous()
            logits = torch.cat([self.module.answer(self.features[i:i + 1024], tokens[i:i + 1024])
                                for i in range(0, self.features.shape[0], 1024)])
            self._canonical[t] = F.softmax(logits / self.temperature, dim=1)
        return self._canonical[t]

    @torch.no_grad()
    def read(self, rows: List[Dict]) -> List[Optional[Dict]]:
        """Step 2 for every row: {"type": index or None (unsupported), "inverse", "margin"}; None
        when the question's tokens are not in the prepared set."""
        readings: List[Optional[Dict]] = [None] * len(rows)
        known = [i for i, r in enumerate(rows) if r["question"] in self.index.tokens]
        if not self.understanding:
            for i in known:
                readings[i] = {"type": "unscreened", "inverse": False, "margin": 1.0}
            return readings
        count = len(self.types)
        temperature = float(self.understanding.get("temperature", 1.0))
        min_confidence = float(self.understanding.get("min_confidence", 0.0))
        for start in range(0, len(known), 1024):
            chunk = known[start:start + 1024]
            tokens = torch.stack([self.index.tokens[rows[i]["question"]] for i in chunk])
            out = self.module.understand(tokens).float()
            types = F.softmax(out[:, :count + 1] / temperature, dim=1)
            inverse = F.softmax(out[:, count + 1:count + 3], dim=1)[:, 1]
            for k, i in enumerate(chunk):
                p = types[k]
                best = int(p.argmax())
                margin = min(top_gap(p), abs(float(p[best]) - min_confidence))
                if best == count or float(p[best]) < min_confidence:
                    readings[i] = {"type": None, "inverse": False, "margin": margin}
                    continue
                closed = bool(self.types[best]["closed"])
                if closed:
                    margin = min(margin, abs(float(inverse[k]) - 0.5))
                readings[i] = {"type": best, "inverse": closed and float(inverse[k]) > 0.5, "margin": margin}
        return readings

    def flipped(self, answer: int) -> int:
        if self.yes is not None and self.no is not None:
            if answer == self.yes:
                return self.no
            if answer == self.no:
                return self.yes
        return answer

    def answer(self, row: Dict, reading: Optional[Dict]) -> Dict:
        out = dict(row, status=None, answer="", confidence=0.0, question_type="", polarity="direct", source="model",
                   margin=1.0)
        if reading is None:
            out["not_reproduced"] = "the question is not in the prepared set"
            return out
        out["margin"] = reading["margin"]
        t = reading["type"]
        if t is None:
            out["status"] = "unsupported"
            return out
        typed = t != "unscreened"
        if typed:
            out["question_type"] = self.types[t]["name"]
            out["polarity"] = "inverse" if reading["inverse"] else "direct"
            verdict = self.regions.applies(row["study_uid"], self.types[t]["name"])
            if verdict is None:
                out["not_reproduced"] = "the study's region does not decide whether " + self.types[t]["name"] + " applies"
                return out
            if not verdict:
                out["status"] = "not_applicable"
                return out
        images = self.index.images.get(row["study_uid"])
        if not images:
            out["not_reproduced"] = "no prepared image of the study"
            return out
        canonical = self.canonical(t) if typed else None
        if canonical is not None:
            per_image = [canonical[i] for i in images]
        else:
            per_image = self.probabilities(images, self.index.tokens[row["question"]])
        space = self.spaces[t] if typed else None
        per_image = [restrict(p, space) for p in per_image]
        best, confidence = combine(per_image, self.answers)
        out["margin"] = min([out["margin"]] + [top_gap(p) for p in per_image])
        if typed and reading["inverse"]:
            best = self.flipped(best)
        out["answer"], out["confidence"], out["status"] = self.answers[best], confidence, "answered"
        threshold = float(self.types[t].get("threshold", 0.0)) if typed else 0.0
        if typed and threshold > 0.0:
            out["margin"] = min(out["margin"], abs(confidence - threshold))
        if typed and confidence < threshold:
            out["status"] = "uncertain"
        return out


# -- comparison ------------------------------------------------------------------------------------

def same_outcome(ours: Dict, other: Dict) -> Tuple[bool, float]:
    """Same status, question type, polarity and answer; confidences within the tolerance."""
    if ours["status"] != other.get("status", "answered") or ours["question_type"] != other.get("question_type", ours["question_type"]):
        return False, 0.0
    if ours["question_type"] and ours["polarity"] != other.get("polarity", "direct"):
        return False, 0.0
    if ours["status"] in ("answered", "uncertain"):
        difference = abs(other["confidence"] - ours["confidence"])
        return ours["answer"] == other["answer"] and difference <= CONFIDENCE_TOLERANCE, difference
    return True, 0.0


def compare(ours: List[Dict], theirs_file: str) -> bool:
    """Same outcome on every question the runtime gave to the model; questions its router sent to
    the DICOM header ("source": "header") are not the model's and are only counted; an outcome
    decided within BORDERLINE of its boundary may differ (counted)."""
    theirs = {row["truth_row"]: row for row in map(json.loads, Path(theirs_file).read_text().splitlines())}
    differ, worst, header, borderline, not_reproduced = [], 0.0, 0, 0, []
    for row in ours:
        other = theirs.get(row["truth_row"])
        if other is not None and other.get("source") == "header" and other["question"] == row["question"]:
            header += 1
            continue
        if row["status"] is None:
            not_reproduced.append(row)
            continue
        if other is None or other["question"] != row["question"]:
            differ.append((row, other))
            continue
        same, difference = same_outcome(row, other)
        if not same and row["margin"] < BORDERLINE:
            borderline += 1
            continue
        if not same:
            differ.append((row, other))
            continue
        worst = max(worst, difference)
    missing = len(theirs) - len(ours)
    compared = len(ours) - header - len(not_reproduced)
    print(f"C++ vs Python: {compared - len(differ) - borderline}/{compared} same outcomes (status, question type, "
          f"polarity, answer), largest confidence difference {worst:.2e}"
          + (f", {borderline} decided within {BORDERLINE:g} of a boundary either way" if borderline else "")
          + (f", {missing} rows only in C++" if missing else "")
          + (f", {len(not_reproduced)} not reproduced in Python" if not_reproduced else "")
          + (f" ({header} questions answered from the DICOM header by the runtime, not compared)" if header else ""))
    for row, other in differ[:10]:
        print(f"  row {row['truth_row']} {row['question']!r}: Python {row['status']} {row['question_type']} "
              f"{row['polarity']} {row['answer']} ({row['confidence']:.4f}), C++ "
              + (f"{other.get('status')} {other.get('question_type')} {other.get('polarity')} {other['answer']} "
                 f"({other['confidence']})" if other else "nothing"))
    for row in not_reproduced[:10]:
        print(f"  row {row['truth_row']} {row['question']!r}: not reproduced: {row['not_reproduced']}")
    return not differ and missing == 0 and not not_reproduced


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    manifest = json.loads((Path(args.model) / "manifest.json").read_text())
    module = torch.jit.load(str(Path(args.model) / manifest["module"]))
    module.eval()
    data = load_prepared(args.data)
    check_same_tokenizer(manifest, data)

    if args.truth:
        truth = truth_from_file(args.truth)
    elif args.compare:
        truth = truth_from_predictions(args.compare)
    else:
        truth = truth_from_prepared(data)
    index = PreparedIndex(data)
    engine = PythonEngine(module, manifest, data, index, Regions(manifest["question_types"], truth, index))
    readings = engine.read(truth)
    rows = [engine.answer(row, reading) for row, reading in zip(truth, readings)]

    scored = [r for r in rows if r["status"] is not None]
    report = selective_report(scored, manifest["question_types"])
    if len(scored) < len(rows):
        report["not_reproduced"] = len(rows) - len(scored)
    print(json.dumps(report, indent=2) if args.json else format_table(report), end="\n" if args.json else "")
    if args.predictions:
        Path(args.predictions).write_text("".join(json.dumps(r) + "\n" for r in rows))
    if args.compare and not compare(rows, args.compare):
        sys.exit(1)


if __name__ == "__main__":
    main()
