#!/usr/bin/env bash
# The demo: start medvqa-scp on its embedded defaults (AE MEDVQA, DICOM 11112, HTTP 8080,
# storage ./medvqa-data, the bundled demo model and rules; HTTP bearer auth explicitly off), send it a synthetic chest study with
# DCMTK's storescu, wait for the study to turn stable and be answered, retrieve the answer SR
# with getscu, and print its answers (medvqa sr-json) beside the synthetic truth.
set -euo pipefail
BUILD_DIR=${1:-build}
BIN="$BUILD_DIR/bin"
DEMO_DIR="$BUILD_DIR/demo"
STUDY_DIR="$DEMO_DIR/study"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

for port in 11112 8080; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "demo: port $port is already in use; stop what listens there (or run medvqa-scp by hand with --port/--http-port)" >&2
    exit 1
  fi
done

mkdir -p "$DEMO_DIR"
if [[ ! -d "$STUDY_DIR" ]]; then
  say "Generating a synthetic chest radiograph study with known findings (medvqa synth)"
  "$BIN/medvqa" synth --out "$STUDY_DIR" --studies 1 --kinds chest --seed 2026
fi
STUDY_UID=$(jq -r 'select(.kind == "chest") | .study_uid' "$STUDY_DIR/truth.jsonl" | head -1)
STUDY_FILES="$STUDY_DIR/$(jq -r 'select(.kind == "chest") | .study_dir' "$STUDY_DIR/truth.jsonl" | head -1)"

say "Starting medvqa-scp on its embedded defaults (bundled demo model and rules; stable after 3 s)"
rm -rf medvqa-data
# The demo reads the API with curl and no token: it switches bearer auth off explicitly (the node
# warns about it in its log; without a key and without this switch the API refuses, docs/security.md).
"$BIN/medvqa-scp" --stable-age 3 --http-auth off > "$DEMO_DIR/node.log" 2>&1 &
NODE_PID=$!
trap 'kill -TERM $NODE_PID 2>/dev/null || true; wait $NODE_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  echoscu -aec MEDVQA 127.0.0.1 11112 2>/dev/null && break
  sleep 0.1
done
cat "$DEMO_DIR/node.log"

say "C-STORE: storescu +sd $STUDY_FILES"
storescu -aec MEDVQA +sd +r 127.0.0.1 11112 "$STUDY_FILES"

say "C-FIND (Study Root, STUDY level)"
findscu -v -S -aec MEDVQA -k QueryRetrieveLevel=STUDY -k PatientName -k StudyDate -k ModalitiesInStudy \
  -k NumberOfStudyRelatedInstances 127.0.0.1 11112 2>&1 |
  grep -E "\((0010,0010|0008,0020|0008,0061|0020,1208)\)" | tail -4

say "Waiting for the study to become stable and its answers to be written as an SR"
STATE=""
for _ in $(seq 1 120); do
  STATE=$(curl -s "http://127.0.0.1:8080/studies/$STUDY_UID/answers" | jq -r .state)
  [[ "$STATE" == done || "$STATE" == failed ]] && break
  sleep 0.5
done
curl -s "http://127.0.0.1:8080/studies/$STUDY_UID/answers" | jq '{state, rule, job: .job.id, sr: .sr_sop_instance_uid}'

say "C-FIND for the SR series, C-GET of the SR"
findscu -S -aec MEDVQA -k QueryRetrieveLevel=SERIES -k StudyInstanceUID="$STUDY_UID" -k Modality=SR \
  -k SeriesDescription -k SeriesInstanceUID -v 127.0.0.1 11112 2>&1 | grep -E "\((0008,0060|0008,103e)\)"
SR_UID=$(curl -s "http://127.0.0.1:8080/studies/$STUDY_UID/answers" | jq -r .sr_sop_instance_uid)
rm -rf "$DEMO_DIR/sr" && mkdir -p "$DEMO_DIR/sr"
getscu -S -aec MEDVQA -k QueryRetrieveLevel=IMAGE -k StudyInstanceUID="$STUDY_UID" -k SOPInstanceUID="$SR_UID" \
  -od "$DEMO_DIR/sr" 127.0.0.1 11112
SR_FILE=$(find "$DEMO_DIR/sr" -type f | head -1)
echo "retrieved $SR_FILE; dciodvfy: $(dciodvfy "$SR_FILE" 2>&1 | grep -c Error) error(s)"

say "The answers, read back from the SR (medvqa sr-json), beside the synthetic truth"
"$BIN/medvqa" sr-json "$SR_FILE" > "$DEMO_DIR/answers.json"
# The built-in chest rule's questions and the synthetic question types they ask.
declare -A TYPE_OF=(
  ["Is there a pleural effusion?"]=effusion_presence ["Which side is the effusion on?"]=effusion_side
  ["Is the heart enlarged?"]=cardiomegaly ["Is there a pneumothorax?"]=pneumothorax
  ["How many nodules are there?"]=nodule_count)
printf '%-40s %-10s %-6s %-10s\n' "question" "answer" "conf" "truth"
jq -r '.answers[] | [.question, .answer, (.confidence * 100 | floor | tostring + "%")] | @tsv' "$DEMO_DIR/answers.json" |
  while IFS=$'\t' read -r question answer confidence; do
    truth=$(jq -r --arg t "${TYPE_OF[$question]:-}" --arg s "$STUDY_UID" \
      'select(.study_uid == $s and .type == $t and (.expect // "answered") == "answered")
       | if (.inverse // false) then (if .answer == "yes" then "no" else "yes" end) else .answer end' \
      "$STUDY_DIR/truth.jsonl" | head -1)
    printf '%-40s %-10s %-6s %-10s\n' "$question" "$answer" "$confidence" "$truth"
  done

say "Stopping the node (SIGTERM)"
kill -TERM $NODE_PID
wait $NODE_PID && echo "medvqa-scp exited 0"
trap - EXIT
