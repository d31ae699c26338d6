#!/usr/bin/env bash
# The demo: start medvqa-scp on its embedded defaults (AE MEDVQA, DICOM 11112, HTTP 8080,
# storage ./medvqa-data), send it a generated study with DCMTK's storescu, then show what the
# node stored, what C-FIND finds, and the study turning "stable".
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
  say "Generating a demo study (CT, 2 series x 5 instances) with medvqa-gen"
  "$BIN/medvqa-gen" --out "$STUDY_DIR" --studies 1 --series-per-study 2 --instances 5 --rows 256 --cols 256 --seed 2026
fi

say "Starting medvqa-scp with no configuration at all"
"$BIN/medvqa-scp" > "$DEMO_DIR/node.log" 2>&1 &
NODE_PID=$!
trap 'kill -TERM $NODE_PID 2>/dev/null || true; wait $NODE_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  echoscu -aec MEDVQA 127.0.0.1 11112 2>/dev/null && break
  sleep 0.1
done
cat "$DEMO_DIR/node.log"

say "C-ECHO"
echoscu -v -aec MEDVQA 127.0.0.1 11112 2>&1 | grep -i "echo response"

say "C-STORE: storescu +sd $STUDY_DIR"
time storescu -aec MEDVQA +sd +r 127.0.0.1 11112 "$STUDY_DIR"

say "What the node stored (files are named by a hash of the SOP Instance UID, never by received text)"
find medvqa-data/instances -type f | head -5
echo "... $(find medvqa-data/instances -type f | wc -l) files"

say "C-FIND (Study Root, STUDY level)"
findscu -v -S -aec MEDVQA -k QueryRetrieveLevel=STUDY -k PatientName -k StudyDate -k ModalitiesInStudy \
  -k NumberOfStudyRelatedSeries -k NumberOfStudyRelatedInstances 127.0.0.1 11112 2>&1 |
  grep -E "\((0010,0010|0008,0020|0008,0061|0020,1206|0020,1208)\)" | tail -5

say "HTTP API: GET /studies"
curl -s http://127.0.0.1:8080/studies
echo
say "Waiting for the study to become stable (quiet for 10 s, sender gone)"
for _ in $(seq 1 30); do
  if curl -s http://127.0.0.1:8080/studies | grep -q '"stable":true'; then break; fi
  sleep 1
done
curl -s http://127.0.0.1:8080/studies
echo
grep "study stable" "$DEMO_DIR/node.log" || true

say "Stopping the node (SIGTERM)"
kill -TERM $NODE_PID
wait $NODE_PID && echo "medvqa-scp exited 0"
trap - EXIT
