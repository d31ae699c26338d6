#!/usr/bin/env bash
# VQA runtime benchmark: questions/s over distinct images at batch 1/8/32, p50/p99 latency of one
# question on one image, and questions/s for a study's standing questions (features reused).
#
#   bench/inference.sh [MODEL_DIR] [--device auto|cpu|cuda:N] [--requests N] [--max-wait-us N]
#                      [--build-dir DIR]
#
# MODEL_DIR defaults to models/demo, else the tiny test model (written on demand with
# tests/support/make_tiny_model.py into BUILD_DIR/testmodels/tiny-model). Builds nothing: run
# `cmake --build build --target medvqa-bench-inference` first. Targets on a 2-core machine:
# p50 <= 30 ms, >= 200 q/s batched over distinct images, >= 1000 q/s standing questions.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
ROOT=$(repo_root)
BUILD_DIR="$ROOT/build"
ARGS=()
MODEL=""
while (($#)); do
  case $1 in
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --device | --requests | --max-wait-us) ARGS+=("$1" "$2"); shift 2 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) MODEL=$1; shift ;;
  esac
done
BIN="$BUILD_DIR/bin/medvqa-bench-inference"
[[ -x "$BIN" ]] || die "$BIN not found (cmake --build build --target medvqa-bench-inference)"
if [[ -z "$MODEL" ]]; then
  if [[ -f "$ROOT/models/demo/manifest.json" ]]; then
    MODEL="$ROOT/models/demo"
  else
    MODEL="$BUILD_DIR/testmodels/tiny-model"
    if [[ ! -f "$MODEL/manifest.json" ]]; then
      log "no models/demo: writing the tiny test model"
      /usr/bin/python3 "$ROOT/tests/support/make_tiny_model.py" "$BUILD_DIR/testdata" >&2
    fi
  fi
fi
log "model $MODEL, $(nproc) cores"
exec "$BIN" "$MODEL" "${ARGS[@]}"
