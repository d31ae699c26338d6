#!/usr/bin/env bash
# C-FIND benchmark: medvqa-scp vs Orthanc on the same studies, side by side in one run.
#
#   bench/find.sh [--sizes 1000,5000] [--instances-per-study 20] [--repeat 5] [--loaders 8]
#                 [--nodelay both|off|on] [--targets medvqa,orthanc] [--rows 16]
#                 [--burst 11] [--build-dir DIR] [--workdir DIR] [--keep]
#
# medvqa-gen writes max(sizes) studies x --instances-per-study small CT instances (many patients,
# varied names, study dates spread over 2023-2025). For each size, in ascending order, the
# missing studies are loaded into every target with stock storescu (--loaders parallel
# associations, TCP_NODELAY=1 to load fast; load times are printed), then each query below is
# run --repeat times against each target with stock findscu (Study Root, -S), interleaved:
#   echo        echoscu (the floor: association + C-ECHO)
#   patient-id  QueryRetrieveLevel=STUDY, PatientID=<one existing id>
#   name-wild   QueryRetrieveLevel=STUDY, PatientName=DOE*
#   date-month  QueryRetrieveLevel=STUDY, StudyDate=20240101-20240131
#   all-count   QueryRetrieveLevel=STUDY, every study, with NumberOfStudyRelatedInstances
# Every query also asks for StudyInstanceUID, PatientName, PatientID, StudyDate, AccessionNumber
# and StudyDescription. Times are wall clock of the whole findscu command (association included),
# medians in ms. Matches are counted from an extra run with findscu -X (one file per response).
# --nodelay: as bench/ingest.sh ("both": query tables without and with TCP_NODELAY=1).
# --burst N: each timed run is also done with --repeat N (N queries on one association); the
# per-query cost is (median of those - median of single runs) / (N - 1). That takes findscu's own
# start-up and the association out, leaving the query work of each target. 0 = off.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
ROOT=$(repo_root)

SIZES=1000,5000
PER_STUDY=20
REPEAT=5
LOADERS=8
ROWS=16
BURST=11
NODELAY=both
TARGETS=medvqa,orthanc
BUILD_DIR="$ROOT/build"
WORKDIR=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --instances-per-study) PER_STUDY=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --loaders) LOADERS=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --burst) BURST=$2; shift 2 ;;
    --nodelay) NODELAY=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --workdir) WORKDIR=$2; shift 2 ;;
    --keep) BENCH_KEEP=1; shift ;;
    -h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ "$BURST" =~ ^[0-9]+$ && "$BURST" != 1 ]] || die "--burst takes 0 (off) or an integer of at least 2"
for v in "$PER_STUDY" "$REPEAT" "$LOADERS" "$ROWS"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || die "--instances-per-study, --repeat, --loaders, --rows take positive integers"
done
IFS=, read -r -a SIZE_LIST <<<"$SIZES"
for s in "${SIZE_LIST[@]}"; do [[ "$s" =~ ^[1-9][0-9]*$ ]] || die "--sizes takes positive integers (1000,5000)"; done
mapfile -t SIZE_LIST < <(printf '%s\n' "${SIZE_LIST[@]}" | sort -n -u)
MAX=${SIZE_LIST[-1]}
read -r -a MODES <<<"$(nodelay_modes "$NODELAY")"

GEN="$BUILD_DIR/bin/medvqa-gen"
SCP="$BUILD_DIR/bin/medvqa-scp"
TEMPLATE="$ROOT/orthanc-config/bench-orthanc.json.in"
IFS=, read -r -a TARGET_LIST <<<"$TARGETS"
for t in "${TARGET_LIST[@]}"; do
  case "$t" in
    medvqa) [[ -x "$SCP" ]] || die "$SCP not found (build it, or leave medvqa out of --targets)" ;;
    orthanc) [[ -x ${ORTHANC_BIN:-/usr/sbin/Orthanc} ]] || die "Orthanc not found (Debian package orthanc)"
             [[ -f "$TEMPLATE" ]] || die "$TEMPLATE not found" ;;
    *) die "unknown target '$t' (medvqa, orthanc)" ;;
  esac
done
[[ -x "$GEN" ]] || die "$GEN not found (build medvqa-gen)"
for tool in storescu findscu echoscu dcmdump curl python3; do command -v "$tool" >/dev/null || die "$tool not found"; done

bench_setup_tmp "$WORKDIR"
FSTYPE=$(df -T "$BENCH_TMP" | awk 'NR == 2 { print $2 }')
log "work dir $BENCH_TMP ($FSTYPE)"
DATA="$BENCH_TMP/data"
t0=$(now)
"$GEN" --quiet --out "$DATA" --studies "$MAX" --instances "$PER_STUDY" --rows "$ROWS" --cols "$ROWS" \
  --modality CT --patients $(((MAX + 1) / 2)) --date-from 20230101 --date-days 1096 --seed 31337
log "generated $MAX studies x $PER_STUDY instances in $(elapsed "$t0" "$(now)") s"
PATIENT_ID=$(dcmdump -q +P PatientID "$DATA/0/0/0.dcm" | sed -n 's/.*\[\(.*\)\].*/\1/p' | head -1)
[[ -n "$PATIENT_ID" ]] || die "cannot read the PatientID of $DATA/0/0/0.dcm"

label() {
  case "$1" in
    medvqa) echo "medvqa-scp" ;;
    orthanc) echo "Orthanc $(${ORTHANC_BIN:-/usr/sbin/Orthanc} --version 2>/dev/null | awk 'NR == 1 { print $NF }')" ;;
  esac
}

declare -A PID_OF=() AET_OF=() PORT_OF=() HTTP_OF=()
start_target() {  # target tag
  local t=$1
  case "$t" in
    medvqa) start_medvqa "$SCP" "$BENCH_TMP/store-$t" "$BENCH_TMP/$t-$2.log" ;;
    orthanc) start_orthanc "$TEMPLATE" "$BENCH_TMP/store-$t" "$BENCH_TMP/$t-$2.log"; HTTP_OF[$t]=$TARGET_HTTP ;;
  esac
  PID_OF[$t]=$TARGET_PID AET_OF[$t]=$TARGET_AET PORT_OF[$t]=$TARGET_PORT
}
stop_target() { forget_pid "${PID_OF[$1]}"; }

# Loads studies [from, to) into a target; prints the seconds it took.
load_studies() {  # target from to
  local t=$1 from=$2 to=$3 n chunk t0 t1
  n=$((to - from))
  chunk=$(((n + LOADERS - 1) / LOADERS))
  t0=$(now)
  if ! seq "$from" $((to - 1)) | sed "s|^|$DATA/|" |
    xargs -P "$LOADERS" -n "$chunk" env "${BENCH_ENV[@]}" storescu -aet BENCHSCU -aec "${AET_OF[$t]}" \
      +sd +r 127.0.0.1 "${PORT_OF[$t]}" >>"$BENCH_TMP/load-$t.log" 2>&1; then
    die "loading into $t failed: $(tail -3 "$BENCH_TMP/load-$t.log")"
  fi
  t1=$(now)
  elapsed "$t0" "$t1"
}

QUERIES=(echo patient-id name-wild date-month all-count)
query_desc() {
  case "$1" in
    echo) echo "C-ECHO (floor)" ;;
    patient-id) echo "PatientID=$PATIENT_ID" ;;
    name-wild) echo "PatientName=DOE*" ;;
    date-month) echo "StudyDate=20240101-20240131" ;;
    all-count) echo "all studies + NumberOfStudyRelatedInstances" ;;
  esac
}
RETURN_KEYS=(-k StudyInstanceUID -k PatientName -k PatientID -k StudyDate -k AccessionNumber -k StudyDescription)
query_keys() {
  case "$1" in
    patient-id) echo "PatientID=$PATIENT_ID" ;;
    name-wild) echo "PatientName=DOE*" ;;
    date-month) echo "StudyDate=20240101-20240131" ;;
    all-count) echo "NumberOfStudyRelatedInstances" ;;
  esac
}

run_query() {  # target query [extra findscu args...]
  local t=$1 q=$2
  shift 2
  if [[ "$q" == echo ]]; then
    env "${BENCH_ENV[@]}" echoscu -q "$@" -aet BENCHSCU -aec "${AET_OF[$t]}" 127.0.0.1 "${PORT_OF[$t]}"
  else
    # The matching key goes last so that it overrides the empty return key of the same name.
    env "${BENCH_ENV[@]}" findscu -S "$@" -aet BENCHSCU -aec "${AET_OF[$t]}" -k QueryRetrieveLevel=STUDY \
      "${RETURN_KEYS[@]}" -k "$(query_keys "$q")" 127.0.0.1 "${PORT_OF[$t]}"
  fi
}

# Number of responses (and, for all-count, the sum of NumberOfStudyRelatedInstances).
count_matches() {  # target query
  local t=$1 q=$2 dir="$BENCH_TMP/x-$1-$2" n sum
  [[ "$q" == echo ]] && { echo "-"; return; }
  rm -rf "$dir" && mkdir -p "$dir"
  if ! (cd "$dir" && run_query "$t" "$q" -X >"$dir.log" 2>&1) || grep -qE '^E:' "$dir.log"; then
    log "WARNING: $q against $t reported an error: $(grep -m1 -E '^E:' "$dir.log" || tail -1 "$dir.log")"
  fi
  n=$(find "$dir" -name 'rsp*.dcm' | wc -l)
  if [[ "$q" == all-count && $n -gt 0 ]]; then
    sum=$(find "$dir" -name 'rsp*.dcm' -print0 | xargs -0 dcmdump -q +P NumberOfStudyRelatedInstances |
      sed -n 's/.*\[ *\([0-9]*\) *\].*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
    echo "$n ($sum inst)"
  else
    echo "$n"
  fi
}

declare -A LOAD_S=()   # [size/target]
declare -A QTIMES=()   # [size/mode/query/target] -> "ms ms "
declare -A BTIMES=()   # the same with --repeat $BURST
declare -A MATCHES=()  # [size/query/target]
prev=0
for size in "${SIZE_LIST[@]}"; do
  # Load the studies this size adds (fast settings; not the measured part).
  set_mode nodelay
  for t in "${TARGET_LIST[@]}"; do
    start_target "$t" "load-$size"
    sync
    s=$(load_studies "$t" "$prev" "$size")
    LOAD_S[$size/$t]=$s
    log "size $size: loaded $(((size - prev) * PER_STUDY)) instances into $(label "$t") in $s s"
    if [[ "$t" == orthanc ]]; then
      got=$(curl -fsS "http://127.0.0.1:${HTTP_OF[$t]}/statistics" | python3 -c 'import json,sys; print(json.load(sys.stdin)["CountInstances"])')
      ((got == size * PER_STUDY)) || log "WARNING: Orthanc holds $got instances, expected $((size * PER_STUDY))"
    fi
    stop_target "$t"
  done
  prev=$size

  for mode in "${MODES[@]}"; do
    set_mode "$mode"
    for t in "${TARGET_LIST[@]}"; do start_target "$t" "$mode-$size"; done
    for t in "${TARGET_LIST[@]}"; do
      for q in "${QUERIES[@]}"; do
        run_query "$t" "$q" >/dev/null 2>&1 || true  # warm-up (not timed)
        MATCHES[$size/$q/$t]=$(count_matches "$t" "$q")
      done
    done
    for ((r = 1; r <= REPEAT; r++)); do
      # Each round starts at another query, so that none always follows the heaviest one.
      for ((i = 0; i < ${#QUERIES[@]}; i++)); do
        q=${QUERIES[$(((i + r) % ${#QUERIES[@]}))]}
        for t in "${TARGET_LIST[@]}"; do
          t0=$(now)
          run_query "$t" "$q" -q >/dev/null 2>&1 || log "WARNING: $q against $t exited non-zero"
          t1=$(now)
          QTIMES[$size/$mode/$q/$t]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }') "
          ((BURST > 0)) || continue
          t0=$(now)
          run_query "$t" "$q" -q --repeat "$BURST" >/dev/null 2>&1 || log "WARNING: $q x$BURST against $t exited non-zero"
          t1=$(now)
          BTIMES[$size/$mode/$q/$t]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }') "
        done
      done
    done
    for t in "${TARGET_LIST[@]}"; do stop_target "$t"; done
  done
done

# ---- report ----
# ms per operation once process start and association are taken out (see --burst).
per_op() {  # size mode query target
  local one many
  one=$(tr ' ' '\n' <<<"${QTIMES[$1/$2/$3/$4]}" | grep . | median)
  many=$(tr ' ' '\n' <<<"${BTIMES[$1/$2/$3/$4]}" | grep . | median)
  awk -v a="$one" -v b="$many" -v n="$BURST" 'BEGIN { printf "%.2f", (b - a) / (n - 1) }'
}
print_burst_table() {  # size mode
  echo
  echo "Per operation on one association (findscu/echoscu --repeat $BURST; (median x$BURST - median x1) / $((BURST - 1))):"
  echo
  local header="| query |" rule="|---|" q t line
  for t in "${TARGET_LIST[@]}"; do header+=" $(label "$t") ms |"; rule+="---:|"; done
  if has medvqa && has orthanc; then header+=" Orthanc / medvqa-scp |"; rule+="---:|"; fi
  echo "$header"
  echo "$rule"
  for q in "${QUERIES[@]}"; do
    line="| $(query_desc "$q") |"
    declare -A op=()
    for t in "${TARGET_LIST[@]}"; do op[$t]=$(per_op "$1" "$2" "$q" "$t"); line+=" ${op[$t]} |"; done
    if has medvqa && has orthanc; then
      line+=" $(awk -v a="${op[orthanc]}" -v b="${op[medvqa]}" 'BEGIN { if (b < 0.05) b = 0.05; printf "%.1fx", a / b }') |"
    fi
    unset op
    echo "$line"
  done
}
has() { [[ " ${TARGET_LIST[*]} " == *" $1 "* ]]; }
echo
echo "### C-FIND: load ($PER_STUDY instances of ${ROWS}x${ROWS} per study, $LOADERS parallel storescu, TCP_NODELAY=1)"
echo
echo "| studies | instances | target | load s (this step) | instances/s |"
echo "|---:|---:|---|---:|---:|"
prev=0
for size in "${SIZE_LIST[@]}"; do
  for t in "${TARGET_LIST[@]}"; do
    awk -v s="$size" -v i=$((size * PER_STUDY)) -v l="$(label "$t")" -v sec="${LOAD_S[$size/$t]}" -v n=$(((size - prev) * PER_STUDY)) \
      'BEGIN { printf "| %d | %d | %s | %.1f | %.0f |\n", s, i, l, sec, (n / sec) }'
  done
  prev=$size
done

for size in "${SIZE_LIST[@]}"; do
  for mode in "${MODES[@]}"; do
    echo
    echo "### C-FIND, $size studies ($((size * PER_STUDY)) instances), $(mode_title "$mode")"
    echo
    header="| query | matches |"
    rule="|---|---:|"
    for t in "${TARGET_LIST[@]}"; do header+=" $(label "$t") ms |"; rule+="---:|"; done
    if has medvqa && has orthanc; then
      header+=" Orthanc / medvqa-scp | same, net of the echo floor |"
      rule+="---:|---:|"
    fi
    echo "$header"
    echo "$rule"
    for q in "${QUERIES[@]}"; do
      m=""
      for t in "${TARGET_LIST[@]}"; do
        v=${MATCHES[$size/$q/$t]}
        if [[ -z "$m" ]]; then m=$v; elif [[ "$v" != "${MATCHES[$size/$q/${TARGET_LIST[0]}]}" ]]; then m+=" / $v (differ!)"; fi
      done
      line="| $(query_desc "$q") | $m |"
      declare -A med=() floor=()
      for t in "${TARGET_LIST[@]}"; do
        med[$t]=$(tr ' ' '\n' <<<"${QTIMES[$size/$mode/$q/$t]}" | grep . | median)
        floor[$t]=$(tr ' ' '\n' <<<"${QTIMES[$size/$mode/echo/$t]}" | grep . | median)
        line+=" $(awk -v v="${med[$t]}" 'BEGIN { printf "%.1f", v }') |"
      done
      if has medvqa && has orthanc; then
        line+=" $(awk -v a="${med[orthanc]}" -v b="${med[medvqa]}" 'BEGIN { printf "%.2fx", a / b }') |"
        # findscu's own start-up (~35 ms, mostly loading the data dictionary) is in every figure;
        # the query work is what is left once each target's echo median is taken off.
        if [[ "$q" == echo ]]; then
          line+=" |"
        else
          line+=" $(awk -v a="${med[orthanc]}" -v fa="${floor[orthanc]}" -v b="${med[medvqa]}" -v fb="${floor[medvqa]}" \
            'BEGIN { na = a - fa; nb = b - fb; if (nb < 0.5) nb = 0.5; printf "%.1f / %.1f ms = %.1fx", na, nb, na / nb }') |"
        fi
      fi
      unset med floor
      echo "$line"
    done
    ((BURST > 0)) && print_burst_table "$size" "$mode"
  done
done
cat <<NOTE

Stock DCMTK \`findscu -S\` and \`echoscu\` ($(findscu --version 2>/dev/null | awk 'NR == 1 { print $3 }')), one association per query over loopback; time = wall
clock of the whole command (process start, association, query, all responses), median of $REPEAT
runs after one warm-up, targets interleaved, each round starting at the next query. "matches" = responses (findscu -X files); where the
targets disagree both counts are shown. Orthanc answers from its index only
("StorageAccessOnFind": "Never", its fastest setting). Ratio above 1: Orthanc slower.
TCP_NODELAY: see bench/ingest.sh; the "TCP_NODELAY=1" tables set it for findscu, echoscu and Orthanc.
Work dir on $FSTYPE; $(nproc) CPUs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).
NOTE
