#!/usr/bin/env bash
# The training pipeline end to end on a tiny set (well under a minute): medvqa synth -> medvqa
# prepare -> train.py --tiny -> the exported model loaded by the C++ runtime (medvqa ask, medvqa
# eval) -> the same questions answered in Python must get the runtime's answers. Any failing step
# fails the test. Usage: test-training-pipeline.sh BUILD_DIR
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)"
MEDVQA="$BUILD/bin/medvqa"
PYTHON=${MEDVQA_TORCH_PYTHON:-/usr/bin/python3}
WORK="$(mktemp -d "${TMPDIR:-/tmp}/medvqa-training.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step synth
"$MEDVQA" synth --out "$WORK/data" --studies 12 --seed 7 >/dev/null
[[ -s $WORK/data/truth.jsonl ]] || fail "synth wrote no truth.jsonl"

step prepare
"$MEDVQA" prepare --data "$WORK/data" --out "$WORK/train" --exclude-heldout --quiet
"$PYTHON" - "$WORK/train" <<'PY' || fail "PREFIX.pt/.json do not follow docs/model-format.md"
import json, sys, torch
prefix = sys.argv[1]
t = torch.load(prefix + ".pt")
meta = json.load(open(prefix + ".json"))
m = t["tokens"].shape[0]
assert t["images"].dtype == torch.float32 and t["images"].dim() == 4, t["images"].shape
assert t["images"].shape[1:] == (1, 128, 128), t["images"].shape
for name in ("tokens", "image_index", "answer", "qtype", "heldout"):
    assert t[name].dtype == torch.int64 and t[name].shape[0] == m, name
assert len(meta["rows"]) == m and int(t["heldout"].sum()) == 0
assert int(t["image_index"].max()) < t["images"].shape[0]
assert int(t["tokens"].max()) < len(meta["tokenizer"]["vocabulary"]) + meta["tokenizer"]["ngram"]["buckets"]
PY

step "train --tiny"
"$PYTHON" "$ROOT/models/train/train.py" --data "$WORK/train" --out "$WORK/model" --tiny --seed 3 >/dev/null
for file in manifest.json model.pt SHA256SUMS; do [[ -s $WORK/model/$file ]] || fail "no $file exported"; done
(cd "$WORK/model" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"

step "ask (C++ runtime)"
study="$WORK/data/$(head -n 1 "$WORK/data/truth.jsonl" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["study_dir"])')"
answer=$("$MEDVQA" ask "$study" "Is there a pleural effusion?" --model "$WORK/model" --device cpu --json)
echo "$answer" | "$PYTHON" -c '
import json, sys
a = json.load(sys.stdin)
assert a["source"] == "model" and 0.0 <= a["confidence"] <= 1.0 and a["answer"], a
' || fail "unexpected answer: $answer"

step "eval (C++) and evaluate.py (Python) agree"
"$MEDVQA" eval --model "$WORK/model" --data "$WORK/data" --device cpu --quiet --json \
  --predictions "$WORK/cpp.jsonl" --write-model-card "$WORK/card.md" >"$WORK/eval.json"
grep -q "Not for clinical use" "$WORK/card.md" || fail "model card incomplete"
"$MEDVQA" prepare --data "$WORK/data" --out "$WORK/test" --tokenizer "$WORK/model/manifest.json" --quiet
"$PYTHON" "$ROOT/models/train/evaluate.py" --model "$WORK/model" --data "$WORK/test" --json \
  --predictions "$WORK/python.jsonl" --compare "$WORK/cpp.jsonl" >"$WORK/python.json" \
  || { tail -n 12 "$WORK/python.json"; fail "C++ and Python answers differ"; }
"$PYTHON" - "$WORK/eval.json" "$WORK/python.json" "$WORK/cpp.jsonl" <<'PY' || fail "C++ and Python figures differ"
import json, sys
cpp = json.load(open(sys.argv[1]))
py, _ = json.JSONDecoder().raw_decode(open(sys.argv[2]).read())  # the comparison line follows
# Questions the runtime's router gave to the DICOM header are scored from the header in C++ and
# from the model in Python: the figures can only be equal without them.
header = sum(json.loads(line)["source"] == "header" for line in open(sys.argv[3]))
assert "not_reproduced" not in py, py.get("not_reproduced")
for key in ("overall", "closed", "open", "seen", "heldout", "inverse"):
    assert cpp[key]["asked"] == py[key]["asked"], key
for key in ("out_of_scope", "not_applicable"):
    assert cpp[key]["asked"] == py[key]["asked"], key

def same(a, b, path="report"):
    """Every count equal, every rate within 1e-4 (selective_metrics.py computes what evaluation.cpp does)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), (path, sorted(a.keys() ^ b.keys()))
        for k in a:
            same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert abs(a - b) < 1e-4, (path, a, b)
    else:
        assert a == b, (path, a, b)

if not header:
    same(cpp, py)
PY
echo "training pipeline: every step passed"
