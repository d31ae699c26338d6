#!/usr/bin/env bash
# End-to-end answer latency: from the last C-STORE response to the answer SR stored in the node.
#
#   bench/pipeline.sh [--repeat 5] [--model DIR] [--build-dir DIR] [--keep]
#
# Two studies, each sent --repeat times (a fresh node each time, so nothing is cached):
#   chest  one synthetic chest radiograph (medvqa synth), the built-in chest rule: 5 questions
#   ct50   a 50-slice 512x512 CT series (medvqa-gen), a rule "CT -> the 5 CT questions"
# For each run: stable = the job's creation (at stable) - the end of storescu (the quiet period, set to
# 1 s here, plus up to one monitor tick); answer = the job's completion - its creation (queueing,
# loading the study, inference, SR writing and storing). Medians in ms; the target is answer
# <= 1000 ms on CPU.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
ROOT=$(repo_root)

REPEAT=5
BUILD_DIR="$ROOT/build"
MODEL="$ROOT/models/demo"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --repeat) REPEAT=$2; shift 2 ;;
    --model) MODEL=$2; shift 2 ;;
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --keep) BENCH_KEEP=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ -f "$MODEL/manifest.json" ]] || die "no model at $MODEL (train it: scripts/train-demo-model.sh, or --model DIR)"
command -v jq >/dev/null || die "jq is needed (scripts/install-deps.sh)"
BIN="$BUILD_DIR/bin"
bench_setup_tmp

"$BIN/medvqa" synth --out "$BENCH_TMP/chest" --studies 1 --kinds chest --seed 99 >/dev/null
"$BIN/medvqa-gen" --out "$BENCH_TMP/ct50" --studies 1 --instances 50 --rows 512 --cols 512 --modality CT --seed 5 --quiet
cat > "$BENCH_TMP/node.json" <<JSON
{"answering": {"rules": [
  {"name": "chest-radiograph", "match": {"modality": ["CR", "DX"], "bodyPart": "chest"},
   "questions": ["Is there a pleural effusion?", "Which side is the effusion on?", "Is the heart enlarged?",
                 "Is there a pneumothorax?", "How many nodules are there?"]},
  {"name": "ct", "match": {"modality": "CT"},
   "questions": ["Is there a liver lesion?", "How many liver lesions are there?",
                 "What is the size of the largest liver lesion?", "Is there a kidney lesion?", "Which kidney has the lesion?"]}]}}
JSON

ms_now() { date +%s%3N; }

declare -A STABLE ANSWER
for kind in chest ct50; do
  for run in $(seq 1 "$REPEAT"); do
    port=$(free_port); http=$(free_port)
    storage="$BENCH_TMP/node-$kind-$run"
    # --http-auth off: the bench reads the API with curl and no token (loopback only).
    "$BIN/medvqa-scp" --config "$BENCH_TMP/node.json" --port "$port" --http-port "$http" --storage "$storage" \
      --stable-age 1 --model "$MODEL" --http-auth off > "$storage.log" 2>&1 &
    BENCH_PIDS+=($!)
    pid=$!
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$http/healthz" >/dev/null && break; sleep 0.1; done
    folder="$BENCH_TMP/$kind"
    [[ $kind == chest ]] && folder="$BENCH_TMP/chest/study-0001"  # not truth.jsonl
    storescu -aec MEDVQA +sd +r 127.0.0.1 "$port" "$folder" >/dev/null 2>&1 || die "storescu failed ($kind)"
    sent=$(ms_now)
    study=$(curl -s "http://127.0.0.1:$http/studies" | jq -r '.studies[0].study_uid')
    state=""
    for _ in $(seq 1 600); do
      state=$(curl -s "http://127.0.0.1:$http/studies/$study/answers" | jq -r .state)
      [[ "$state" == done || "$state" == failed ]] && break
      sleep 0.05
    done
    [[ "$state" == done ]] || die "$kind run $run: job state '$state' (log: $storage.log)"
    # The job is queued the moment the study goes stable (the SR, once stored, makes the study
    # receive something again, so its stable_at is not kept).
    answers=$(curl -s "http://127.0.0.1:$http/studies/$study/answers")
    stable_at=$(jq -r .job.created_at_ms <<<"$answers")
    done_at=$(jq -r .job.updated_at_ms <<<"$answers")
    STABLE[$kind]+="$((stable_at - sent)) "
    ANSWER[$kind]+="$((done_at - stable_at)) "
    log "$kind run $run: stable after $((stable_at - sent)) ms, answered $((done_at - stable_at)) ms later"
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  done
done

echo
echo "### Stable study to stored SR ($REPEAT runs each, model $(jq -r '.name + " " + .version' "$MODEL/manifest.json"))"
echo
echo "| study | questions | quiet period + tick (ms, median) | stable -> SR stored (ms, median) | min | max |"
echo "|---|---:|---:|---:|---:|---:|"
for kind in chest ct50; do
  a=$(tr ' ' '\n' <<<"${ANSWER[$kind]}" | grep .)
  printf '| %s | 5 | %.0f | %.0f | %s | %s |\n' "$kind" \
    "$(tr ' ' '\n' <<<"${STABLE[$kind]}" | grep . | median)" "$(median <<<"$a")" \
    "$(sort -n <<<"$a" | head -1)" "$(sort -n <<<"$a" | tail -1)"
done
echo
echo "$(nproc) CPUs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Quiet period: --stable-age 1."
