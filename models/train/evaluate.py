#!/usr/bin/python3
"""Scores an exported model in Python on a set prepared with the model's own tokenizer, with the
same figures as `medvqa eval`, and optionally compares its per-question predictions with the C++
runtime's (`medvqa eval --predictions`): the two must give the same answers on the same files.

    medvqa prepare --data build/demo/test --out build/demo/test --tokenizer models/demo/manifest.json
    /usr/bin/python3 models/train/evaluate.py --model models/demo --data build/demo/test \\
        --predictions build/demo/python.jsonl --compare build/demo/cpp.jsonl"""

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))

from metrics import accuracy_report, format_table  # noqa: E402
from prepared_data import PreparedSet, load_prepared  # noqa: E402

# The runtime's answers and Python's are computed by different builds of the same kernels (batch
# sizes differ too), so confidences agree to float rounding, not bit for bit.
CONFIDENCE_TOLERANCE = 1e-4


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="model folder (manifest.json + model.pt)")
    p.add_argument("--data", required=True, help="PREFIX of `medvqa prepare --tokenizer MODEL/manifest.json`")
    p.add_argument("--predictions", help="write one JSON line per question (as medvqa eval does)")
    p.add_argument("--compare", help="a `medvqa eval --predictions` file: fail unless every answer is the same")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--threads", type=int, default=2)
    return p.parse_args()


def check_same_tokenizer(manifest: Dict, data: PreparedSet) -> None:
    for section in ("tokenizer", "answers"):
        if manifest[section] != data.meta[section]:
            raise SystemExit(f"{section} of the prepared set differs from the model's: prepare it with "
                             f"--tokenizer MODEL/manifest.json")


@torch.no_grad()
def row_probabilities(module, data: PreparedSet, temperature: float) -> torch.Tensor:
    """softmax(logits / T) of every prepared row, each image encoded once."""
    features = torch.cat([module.encode_image(data.images[i:i + 128]) for i in range(0, data.images.shape[0], 128)])
    logits = torch.cat([module.answer(features[data.image_index[i:i + 1024]], data.tokens[i:i + 1024])
                        for i in range(0, data.tokens.shape[0], 1024)])
    return F.softmax(logits / temperature, dim=1)


def combine(rows: List[torch.Tensor], answers: List[str]) -> Tuple[str, float]:
    """One answer from the rows of one question (one per selected image), by the runtime's rule
    (core/vqa/answer_combiner.h): closed questions are "yes" when any image says so; others vote."""
    tops = [int(r.argmax()) for r in rows]
    if all(answers[t] in ("yes", "no") for t in tops):
        yes, no = answers.index("yes"), answers.index("no")
        if any(answers[t] == "yes" for t in tops):
            return "yes", max(float(r[yes]) for r in rows)
        return "no", min(float(r[no]) for r in rows)
    votes: Dict[int, Tuple[int, float]] = {}
    for t, r in zip(tops, rows):
        count, total = votes.get(t, (0, 0.0))
        votes[t] = (count + 1, total + float(r[t]))
    best = max(votes, key=lambda t: votes[t])
    return answers[best], sum(float(r[best]) for r in rows) / len(rows)


def predictions(data: PreparedSet, probabilities: torch.Tensor) -> List[Dict]:
    by_question: Dict[int, List[int]] = {}
    for i, row in enumerate(data.rows):
        by_question.setdefault(int(row["truth_row"]), []).append(i)
    result = []
    for truth_row in sorted(by_question):
        indices = by_question[truth_row]
        meta = data.rows[indices[0]]
        answer, confidence = combine([probabilities[i] for i in indices], data.answers)
        result.append({"truth_row": truth_row, "study_uid": meta["study_uid"], "question": meta["question"],
                       "type": meta["type"], "heldout": bool(data.heldout[indices[0]]), "truth": meta["answer"],
                       "answer": answer, "confidence": confidence})
    return result


def compare(ours: List[Dict], theirs_file: str) -> bool:
    """Same answer on every question the runtime gave to the model; questions its router sent to
    the DICOM header ("source": "header") are not the model's and are only counted."""
    theirs = {row["truth_row"]: row for row in map(json.loads, Path(theirs_file).read_text().splitlines())}
    differ, worst, header = [], 0.0, 0
    for row in ours:
        other = theirs.get(row["truth_row"])
        if other is not None and other.get("source") == "header" and other["question"] == row["question"]:
            header += 1
            continue
        if other is None or other["question"] != row["question"] or other["answer"] != row["answer"]:
            differ.append((row, other))
            continue
        worst = max(worst, abs(other["confidence"] - row["confidence"]))
    missing = len(theirs) - len(ours)
    compared = len(ours) - header
    print(f"C++ vs Python: {compared - len(differ)}/{compared} same answers, "
          f"largest confidence difference {worst:.2e}" + (f", {missing} rows only in C++" if missing else "")
          + (f" ({header} questions answered from the DICOM header by the runtime, not compared)" if header else ""))
    for row, other in differ[:10]:
        print(f"  row {row['truth_row']}: Python {row['answer']} ({row['confidence']:.4f}), "
              f"C++ {other and other['answer']} ({other and other['confidence']})")
    return not differ and missing == 0 and worst <= CONFIDENCE_TOLERANCE


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    manifest = json.loads((Path(args.model) / "manifest.json").read_text())
    module = torch.jit.load(str(Path(args.model) / manifest["module"]))
    module.eval()
    data = load_prepared(args.data)
    check_same_tokenizer(manifest, data)

    rows = predictions(data, row_probabilities(module, data, float(manifest["calibration"]["temperature"])))
    report = accuracy_report([r["type"] for r in rows], [r["heldout"] for r in rows], [r["truth"] for r in rows],
                             [r["answer"] for r in rows], [r["confidence"] for r in rows], manifest["question_types"])
    print(json.dumps(report, indent=2) if args.json else format_table(report), end="\n" if args.json else "")
    if args.predictions:
        Path(args.predictions).write_text("".join(json.dumps(r) + "\n" for r in rows))
    if args.compare and not compare(rows, args.compare):
        sys.exit(1)


if __name__ == "__main__":
    main()
