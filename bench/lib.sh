# shellcheck shell=bash
# Shared helpers of bench/ingest.sh and bench/find.sh (sourced, not run).
# Every process started here is recorded and stopped by bench_cleanup (trap EXIT).

BENCH_PIDS=()
BENCH_PORTS=()
BENCH_TMP=""
BENCH_KEEP=0
# Environment of every DICOM process started (targets and stock SCUs): empty, or TCP_NODELAY=1,
# which Debian's DCMTK 3.6.7 (libdcmnet, also used by Orthanc) reads at run time to disable Nagle.
BENCH_ENV=()

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }

# median of the numbers on stdin (one a line)
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A free loopback TCP port, never one handed out before in this run.
free_port() {
  local p
  while :; do
    p=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    [[ " ${BENCH_PORTS[*]} " == *" $p "* ]] || break
  done
  BENCH_PORTS+=("$p")
  echo "$p"
}

bench_setup_tmp() {  # [parent dir]
  BENCH_TMP=$(mktemp -d "${1:-${TMPDIR:-/tmp}}/medvqa-bench.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do stop_pid "$pid"; done
  BENCH_PIDS=()
  if [[ -n "$BENCH_TMP" && -d "$BENCH_TMP" ]]; then
    if ((BENCH_KEEP)); then log "kept $BENCH_TMP"; else rm -rf "$BENCH_TMP"; fi
  fi
}

# Stops one process we started: SIGTERM, then SIGKILL after 30 s.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored SIGTERM for 30 s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

forget_pid() {  # stop a process and drop it from the cleanup list
  local pid=$1 keep=() p
  stop_pid "$pid"
  for p in "${BENCH_PIDS[@]}"; do [[ "$p" == "$pid" ]] || keep+=("$p"); done
  BENCH_PIDS=("${keep[@]}")
}

# Polls C-ECHO until the SCP answers (fails early when its process died).  pid aet port [timeout s]
wait_dicom() {
  local pid=$1 aet=$2 port=$3 timeout=${4:-60} start
  start=$(date +%s)
  until echoscu -to 2 -aet BENCHSCU -aec "$aet" 127.0.0.1 "$port" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "$aet (pid $pid) exited during start-up; see its log in $BENCH_TMP"
    (($(date +%s) - start < timeout)) || die "$aet did not answer C-ECHO on port $port within ${timeout}s"
    sleep 0.05
  done
}

wait_http() {  # pid url [timeout s]
  local pid=$1 url=$2 timeout=${3:-60} start
  start=$(date +%s)
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || die "process $pid exited during start-up; see its log in $BENCH_TMP"
    (($(date +%s) - start < timeout)) || die "$url did not answer within ${timeout}s"
    sleep 0.05
  done
}

# --- targets: each start_* sets TARGET_PID, TARGET_AET, TARGET_PORT (and TARGET_HTTP) ---

start_medvqa() {  # binary storage-dir log
  TARGET_AET=MEDVQA
  TARGET_PORT=$(free_port)
  mkdir -p "$2"
  # Answering off: these benchmarks compare DICOM storage and query with nodes that run no model
  # (and an answered study would gain an SR instance the others do not have).
  env "${BENCH_ENV[@]}" "$1" --aet "$TARGET_AET" --port "$TARGET_PORT" --storage "$2" --http-port off --log-level warn \
    --answering off >"$3" 2>&1 &
  TARGET_PID=$!
  BENCH_PIDS+=("$TARGET_PID")
  wait_dicom "$TARGET_PID" "$TARGET_AET" "$TARGET_PORT"
}

start_storescp() {  # storage-dir log
  TARGET_AET=STORESCP
  TARGET_PORT=$(free_port)
  mkdir -p "$1"
  env "${BENCH_ENV[@]}" storescp -aet "$TARGET_AET" -od "$1" "$TARGET_PORT" >"$2" 2>&1 &
  TARGET_PID=$!
  BENCH_PIDS+=("$TARGET_PID")
  wait_dicom "$TARGET_PID" "$TARGET_AET" "$TARGET_PORT"
}

start_orthanc() {  # template storage-dir log
  TARGET_AET=ORTHANCB
  TARGET_PORT=$(free_port)
  TARGET_HTTP=$(free_port)
  mkdir -p "$2"
  local cfg="$2.json"
  sed -e "s|@NAME@|medvqa-bench|g" -e "s|@AET@|$TARGET_AET|g" -e "s|@DICOM_PORT@|$TARGET_PORT|g" \
    -e "s|@HTTP_PORT@|$TARGET_HTTP|g" -e "s|@STORAGE_DIR@|$2|g" "$1" >"$cfg"
  ORTHANC_BIN=${ORTHANC_BIN:-/usr/sbin/Orthanc}
  env "${BENCH_ENV[@]}" "$ORTHANC_BIN" --no-jobs "$cfg" >"$3" 2>&1 &
  TARGET_PID=$!
  BENCH_PIDS+=("$TARGET_PID")
  wait_http "$TARGET_PID" "http://127.0.0.1:$TARGET_HTTP/system"
  wait_dicom "$TARGET_PID" "$TARGET_AET" "$TARGET_PORT"
}

# DICOM Part 10 files (preamble + "DICM") under a storage dir, whatever its layout and whatever
# else (index, logs) lives there.
count_dicom_files() {  # dir
  python3 - "$1" <<'PY'
import os, sys
n = 0
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        try:
            with open(os.path.join(root, f), "rb") as fh:
                fh.seek(128)
                n += fh.read(4) == b"DICM"
        except OSError:
            pass
print(n)
PY
}

# --nodelay off|on|both -> the list of modes
nodelay_modes() {
  case "$1" in
    off) echo "stock" ;;
    on) echo "nodelay" ;;
    both) echo "stock nodelay" ;;
    *) die "--nodelay takes off, on or both" ;;
  esac
}

set_mode() {  # stock | nodelay
  if [[ "$1" == nodelay ]]; then BENCH_ENV=(TCP_NODELAY=1); else BENCH_ENV=(); fi
}

mode_title() {
  if [[ "$1" == nodelay ]]; then
    echo "TCP_NODELAY=1 everywhere (DCMTK's run-time switch, set for storescu/findscu, storescp and Orthanc)"
  else
    echo "stock (as Debian ships them: DCMTK tools and Orthanc without TCP_NODELAY)"
  fi
}

# Repository root (bench/..)
repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }
