#!/usr/bin/env bash
# C-STORE ingest benchmark: medvqa-scp vs DCMTK storescp vs Orthanc, side by side in one run.
#
#   bench/ingest.sh [--instances 300] [--repeat 3] [--rows 512] [--nodelay both|off|on]
#                   [--targets medvqa,storescp,orthanc] [--build-dir DIR] [--workdir DIR] [--keep]
#
# One CT series (16-bit, --rows x --rows, explicit VR little endian) is generated with
# medvqa-gen, then sent with the same stock DCMTK command to every target:
#     storescu -aet BENCHSCU -aec <AET> +sd +r 127.0.0.1 <port> <series dir>
# (one association, every file; the wall clock of that command is what is measured). Each run
# starts the target afresh on an empty storage folder (start-up not timed); the order of the
# targets rotates from one repetition to the next. --nodelay: "off" runs everything as shipped,
# "on" sets TCP_NODELAY=1 (DCMTK's run-time switch) for storescu, storescp and Orthanc, "both"
# (default) measures both ways. Prints one Markdown table per mode.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
ROOT=$(repo_root)

INSTANCES=300
REPEAT=3
ROWS=512
NODELAY=both
TARGETS=medvqa,storescp,orthanc
BUILD_DIR="$ROOT/build"
WORKDIR=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --instances) INSTANCES=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --nodelay) NODELAY=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --workdir) WORKDIR=$2; shift 2 ;;
    --keep) BENCH_KEEP=1; shift ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ "$INSTANCES" =~ ^[1-9][0-9]*$ && "$REPEAT" =~ ^[1-9][0-9]*$ && "$ROWS" =~ ^[1-9][0-9]*$ ]] ||
  die "--instances, --repeat and --rows take positive integers"
read -r -a MODES <<<"$(nodelay_modes "$NODELAY")"

GEN="$BUILD_DIR/bin/medvqa-gen"
SCP="$BUILD_DIR/bin/medvqa-scp"
TEMPLATE="$ROOT/orthanc-config/bench-orthanc.json.in"
IFS=, read -r -a TARGET_LIST <<<"$TARGETS"
for t in "${TARGET_LIST[@]}"; do
  case "$t" in
    medvqa) [[ -x "$SCP" ]] || die "$SCP not found (build it, or leave medvqa out of --targets)" ;;
    storescp) command -v storescp >/dev/null || die "storescp (Debian package dcmtk) not found" ;;
    orthanc) [[ -x ${ORTHANC_BIN:-/usr/sbin/Orthanc} ]] || die "Orthanc not found (Debian package orthanc)"
             [[ -f "$TEMPLATE" ]] || die "$TEMPLATE not found" ;;
    *) die "unknown target '$t' (medvqa, storescp, orthanc)" ;;
  esac
done
[[ -x "$GEN" ]] || die "$GEN not found (build medvqa-gen)"
for tool in storescu echoscu curl python3; do command -v "$tool" >/dev/null || die "$tool not found"; done

bench_setup_tmp "$WORKDIR"
FSTYPE=$(df -T "$BENCH_TMP" | awk 'NR == 2 { print $2 }')
log "work dir $BENCH_TMP ($FSTYPE)"
DATA="$BENCH_TMP/data"
"$GEN" --quiet --out "$DATA" --studies 1 --series-per-study 1 --instances "$INSTANCES" \
  --rows "$ROWS" --cols "$ROWS" --modality CT --transfer-syntax explicit --seed 4242
SERIES="$DATA/0/0"
BYTES=$(du -sb "$SERIES" | cut -f1)
log "generated $INSTANCES instances, $((BYTES / 1048576)) MiB, in $SERIES"

declare -A TIMES=()  # [mode/target] -> "s s s "
label() {
  case "$1" in
    medvqa) echo "medvqa-scp" ;;
    storescp) echo "DCMTK storescp" ;;
    orthanc) echo "Orthanc $(${ORTHANC_BIN:-/usr/sbin/Orthanc} --version 2>/dev/null | awk 'NR == 1 { print $NF }')" ;;
  esac
}

run_one() {  # mode target repetition
  local mode=$1 t=$2 r=$3 id="$1-$2-$3" t0 t1 n
  local store="$BENCH_TMP/$id" logf="$BENCH_TMP/$id.log"
  set_mode "$mode"
  case "$t" in
    medvqa) start_medvqa "$SCP" "$store" "$logf" ;;
    storescp) start_storescp "$store" "$logf" ;;
    orthanc) start_orthanc "$TEMPLATE" "$store" "$logf" ;;
  esac
  sync  # no dirty pages left over from generating the data or from the previous run
  t0=$(now)
  if ! env "${BENCH_ENV[@]}" storescu -aet BENCHSCU -aec "$TARGET_AET" +sd +r 127.0.0.1 "$TARGET_PORT" "$SERIES" \
    >"$BENCH_TMP/storescu-$id.log" 2>&1; then
    die "storescu to $t failed: $(tail -3 "$BENCH_TMP/storescu-$id.log")"
  fi
  t1=$(now)
  forget_pid "$TARGET_PID"  # stops the target: every acknowledged file must be there now
  n=$(count_dicom_files "$store")
  TIMES[$mode/$t]+="$(elapsed "$t0" "$t1") "
  log "run $r, $mode, $(label "$t"): $(elapsed "$t0" "$t1") s, $n files stored"
  ((n == INSTANCES)) || log "WARNING: $t stored $n of $INSTANCES instances"
  rm -rf "$store" "$store.json"
}

n_targets=${#TARGET_LIST[@]}
for ((r = 1; r <= REPEAT; r++)); do
  for mode in "${MODES[@]}"; do
    for ((k = 0; k < n_targets; k++)); do
      run_one "$mode" "${TARGET_LIST[$(((k + r - 1) % n_targets))]}" "$r"
    done
  done
done

for mode in "${MODES[@]}"; do
  declare -A MED=()
  for t in "${TARGET_LIST[@]}"; do MED[$t]=$(tr ' ' '\n' <<<"${TIMES[$mode/$t]}" | grep . | median); done
  echo
  echo "### C-STORE ingest, $(mode_title "$mode")"
  echo
  echo "$INSTANCES CT instances ${ROWS}x${ROWS} 16-bit ($((BYTES / 1048576)) MiB), median of $REPEAT runs."
  echo
  echo "| target | median s | instances/s | MiB/s | ratio vs medvqa-scp | runs (s) |"
  echo "|---|---:|---:|---:|---:|---|"
  for t in "${TARGET_LIST[@]}"; do
    m=${MED[$t]}
    ratio="n/a"
    [[ -n "${MED[medvqa]:-}" ]] && ratio=$(awk -v a="$m" -v b="${MED[medvqa]}" 'BEGIN { printf "%.2fx", a / b }')
    runs=$(tr ' ' '\n' <<<"${TIMES[$mode/$t]}" | grep . | awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 }')
    awk -v l="$(label "$t")" -v m="$m" -v n="$INSTANCES" -v b="$BYTES" -v r="$ratio" -v runs="$runs" \
      'BEGIN { printf "| %s | %.2f | %.0f | %.1f | %s | %s |\n", l, m, (n / m), (b / 1048576 / m), r, runs }'
  done
  unset MED
done
cat <<NOTE

Sender: stock DCMTK \`storescu $(storescu --version 2>/dev/null | awk 'NR == 1 { print $3 }') +sd +r\`, one association over loopback; time = wall clock
of the whole command (association set-up and reading the files included). Ratio = target time /
medvqa-scp time (above 1: slower than medvqa-scp). Fresh process and empty storage for every run.
Durability: medvqa-scp fsyncs each instance before acknowledging it (its default); Orthanc runs
with "SyncStorageArea": true; DCMTK storescp does not fsync.
TCP_NODELAY: Debian's DCMTK tools (storescu, storescp) and Orthanc 1.10's DICOM server do not set
it by default, so each C-STORE can stall on a delayed ACK (~40 ms on Linux); medvqa-scp sets it on
its own sockets. DCMTK reads the environment variable TCP_NODELAY=1 at run time; the "TCP_NODELAY=1"
table sets it for every process (storescu included), which compares like with like.
Work dir on $FSTYPE; $(nproc) CPUs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).
NOTE
