#!/usr/bin/env bash
# Trains the demo VQA model from nothing but this repository, and measures it:
#   synthetic training set -> medvqa prepare (images, questions, and the text set: every phrasing,
#   direct and inverse, and the out-of-scope catalogue) -> models/train/train.py (the answer path
#   on each type's canonical question, the understanding head on the text set; thresholds and
#   min_confidence chosen on validation) -> models/demo/ (manifest format 2)
#   fresh synthetic test set (another seed; in-scope, out-of-scope and not-applicable questions,
#   held-out phrasings, wordings and topics included) -> medvqa eval (the C++ runtime) ->
#   docs/model-card.md
#   the same test set scored in Python -> C++ and Python must give the same outcomes.
# About 6 minutes on 2 idle CPU cores (training ~4; synth and prepare reused with REUSE_DATA=1). Usage: scripts/train-demo-model.sh [BUILD_DIR]
# Environment: TRAIN_STUDIES (3000), TEST_STUDIES (400), SEED (1), TEST_SEED (7), EPOCHS (9),
#              OUT (models/demo), WORK (BUILD_DIR/demo-model), CARD (docs/model-card.md),
#              VERSION (1.2.0, the version written into the manifest),
#              REUSE_DATA=1 keeps synthetic sets already in WORK (the same seeds give the same bytes).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${1:-build}
MEDVQA=$BUILD/bin/medvqa
PYTHON=/usr/bin/python3  # Debian's, with torch 1.13 (the same release as libtorch-dev)
TRAIN_STUDIES=${TRAIN_STUDIES:-3000}
TEST_STUDIES=${TEST_STUDIES:-400}
SEED=${SEED:-1}
TEST_SEED=${TEST_SEED:-7}
EPOCHS=${EPOCHS:-9}
VERSION=${VERSION:-1.2.0}
OUT=${OUT:-models/demo}
WORK=${WORK:-$BUILD/demo-model}
CARD=${CARD:-docs/model-card.md}

[[ -x $MEDVQA ]] || { echo "no $MEDVQA: build first (cmake --build $BUILD --target medvqa)" >&2; exit 1; }
"$PYTHON" -c 'import torch' 2>/dev/null || { echo "$PYTHON has no torch: apt-get install python3-torch" >&2; exit 1; }
[[ $TEST_SEED != "$SEED" ]] || { echo "the test set needs a seed the training set did not use" >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }
# synth DIR STUDIES SEED: a synthetic set, kept when REUSE_DATA=1 and it is complete.
synth() {
  if [[ ${REUSE_DATA:-0} == 1 && -s $1/truth.jsonl ]]; then echo "reusing $1"; return; fi
  rm -rf "$1"
  "$MEDVQA" synth --out "$1" --studies "$2" --seed "$3"
}
mkdir -p "$WORK"

step "training set: $TRAIN_STUDIES studies, seed $SEED"
synth "$WORK/train-data" "$TRAIN_STUDIES" "$SEED"
"$MEDVQA" prepare --data "$WORK/train-data" --out "$WORK/train" --exclude-heldout

step "training ($EPOCHS epochs, seed $SEED)"
# PYTHONHASHSEED: TorchScript writes some of model.pt in set order; fixed, the same seed and
# threads give the same bytes.
PYTHONHASHSEED=0 "$PYTHON" models/train/train.py --data "$WORK/train" --out "$OUT" --epochs "$EPOCHS" --seed "$SEED" \
  --version "$VERSION" \
  --source "\`medvqa synth --studies $TRAIN_STUDIES --seed $SEED\`, held-out phrasings, wordings and topics excluded"

step "fresh test set: $TEST_STUDIES studies, seed $TEST_SEED"
synth "$WORK/test-data" "$TEST_STUDIES" "$TEST_SEED"

step "evaluation with the C++ runtime"
"$MEDVQA" eval --model "$OUT" --data "$WORK/test-data" --predictions "$WORK/cpp-predictions.jsonl" \
  --write-model-card "$CARD"

step "the same set in Python; answers must equal the runtime's"
"$MEDVQA" prepare --data "$WORK/test-data" --out "$WORK/test" --tokenizer "$OUT/manifest.json" --quiet
agreement=$("$PYTHON" models/train/evaluate.py --model "$OUT" --data "$WORK/test" --truth "$WORK/test-data" \
  --predictions "$WORK/python-predictions.jsonl" --compare "$WORK/cpp-predictions.jsonl" | tail -n 1)
echo "$agreement"
cat >> "$CARD" <<CARD

## C++ runtime vs Python

Every question of the test set was also answered by the exported module in Python
(\`models/train/evaluate.py\` on the same files, preprocessed by \`medvqa prepare\`): $agreement.
CARD

step "the model answers through medvqa ask, and refuses what it cannot answer"
study=$(find "$WORK/test-data" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)
"$MEDVQA" ask "$study" "Is there a pleural effusion?" --model "$OUT"
"$MEDVQA" ask "$study" "Is there a fracture of the left femur?" --model "$OUT"
echo "model: $OUT ($(du -h "$OUT/model.pt" | cut -f1)), card: $CARD"
