#!/usr/bin/env bash
# The layering of ../shared/DESIGN.md, checked on every #include in core/:
#   1. core/ is behind both front doors: it never includes the Orthanc plugin SDK (orthanc/,
#      OrthancCPlugin*.h), nor a header of scp/ (medvqa-scp) or plugin/ (the Orthanc plugin).
#   2. synth/ (the synthetic-data generator) is a tool, not a foundation: only synth/ itself and
#      training/ include it.
#   3. config/ is the top layer: it reads the configuration into the types of the modules below
#      (net::DicomTlsConfig, audit::AuditConfig, pipeline::AnsweringConfig, s3::S3Destination,
#      DuplicatePolicy...), and nothing in core/ outside config/ includes it. Composition belongs
#      to the front doors (scp/, plugin/) and the tools, which may include config/.
#
#   tests/deploy/check-includes.sh [SOURCE_ROOT]     (default: this checkout)
#
# Prints every offending line as file:line and exits 1 when there is one.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
core=$root/core
[[ -d $core ]] || { echo "check-includes: no core/ under $root" >&2; exit 2; }

# Every C/C++ source and header of core/, relative to the root.
mapfile -t files < <(cd "$root" && find core -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.cpp' -o -name '*.cc' \) | sort)
(( ${#files[@]} > 0 )) || { echo "check-includes: no sources under $core" >&2; exit 2; }

# An #include line (not a comment) naming a path that starts, after any ../, with one of $1.
include_of() {
  printf '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](\\.\\./)*(%s)' "$1"
}

failures=0
# check RULE_TEXT PATTERN [EXEMPT_DIR...]: the lines of core/ (less the exempt folders) matching.
check() {
  local rule=$1 pattern=$2
  shift 2
  local selected=() f exempt skip
  for f in "${files[@]}"; do
    skip=0
    for exempt in "$@"; do [[ $f == "$exempt"/* ]] && skip=1; done
    ((skip)) || selected+=("$f")
  done
  ((${#selected[@]})) || return 0
  local hits
  hits=$(cd "$root" && grep -nE "$pattern" "${selected[@]}" || true)
  if [[ -n $hits ]]; then
    echo "$rule:" >&2
    sed 's/^/  /' <<<"$hits" >&2
    failures=$((failures + $(wc -l <<<"$hits")))
  fi
}

check "core/ includes the Orthanc plugin SDK (only plugin/ may)" "$(include_of 'orthanc/|OrthancCPlugin')"
check "core/ includes a front door's header (scp/, plugin/)" "$(include_of 'scp/|plugin/')"
check "core/ outside synth/ and training/ includes synth/ (the test-data generator)" \
  "$(include_of 'synth/')" core/synth core/training
check "core/ outside config/ includes config/ (the top layer: move the type down to its module)" \
  "$(include_of 'config/')" core/config

if ((failures)); then
  echo "check-includes: $failures include(s) break the layering (../shared/DESIGN.md)" >&2
  exit 1
fi
echo "check-includes: ${#files[@]} files of core/ keep the layering"
