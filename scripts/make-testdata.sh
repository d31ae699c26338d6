#!/usr/bin/env bash
# Writes the integration-test corpus with medvqa-gen.
#
#   scripts/make-testdata.sh BUILD_DIR OUT_DIR
#
# OUT_DIR/
#   <name>/<study>/<series>/<instance>.dcm   one small corpus per transfer syntax family (see CORPORA)
#   hostile/<kind>.dcm                       malformed files (see hostile/EXPECTATIONS.tsv)
#   MANIFEST.tsv                             name, modality, syntax, transfer syntax UID, seed, files
#   .complete                                written last; when present the script does nothing
#
# Every file's transfer syntax is checked with DCMTK's dcmdump. Deterministic: the same
# medvqa-gen writes the same bytes. Each corpus has its own seed, so no two share a UID.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
BUILD_DIR=$1
OUT_DIR=${2%/}
GEN="$BUILD_DIR/bin/medvqa-gen"

if [[ -f "$OUT_DIR/.complete" ]]; then
  echo "make-testdata: $OUT_DIR is complete, nothing to do"
  exit 0
fi
[[ -x "$GEN" ]] || { echo "make-testdata: $GEN not found (build medvqa-gen first)" >&2; exit 1; }
command -v dcmdump >/dev/null || { echo "make-testdata: dcmdump (Debian package dcmtk) not found" >&2; exit 1; }

# name  modality  syntax  transfer-syntax-UID  seed  studies  series  instances  rows/cols  patients
CORPORA=(
  "ct-implicit       CT implicit       1.2.840.10008.1.2        101 1 2 3 64 1"
  "ct-explicit       CT explicit       1.2.840.10008.1.2.1      102 1 2 3 64 1"
  "ct-bigendian      CT bigendian      1.2.840.10008.1.2.2      103 1 1 3 64 1"
  "ct-deflated       CT deflated       1.2.840.10008.1.2.1.99   104 1 1 3 64 1"
  "ct-jpeg-baseline  CT jpeg-baseline  1.2.840.10008.1.2.4.50   105 1 1 3 64 1"
  "ct-jpeg-lossless  CT jpeg-lossless  1.2.840.10008.1.2.4.70   106 1 1 3 64 1"
  "ct-jpegls         CT jpegls         1.2.840.10008.1.2.4.80   107 1 1 3 64 1"
  "ct-rle            CT rle            1.2.840.10008.1.2.5      108 1 1 3 64 1"
  "ct-j2k            CT j2k            1.2.840.10008.1.2.4.90   109 1 1 3 64 1"
  "mr-explicit       MR explicit       1.2.840.10008.1.2.1      110 1 3 3 64 1"
  "mr-jpeg-extended  MR jpeg-extended  1.2.840.10008.1.2.4.51   111 1 1 3 64 1"
  "cr-explicit       CR explicit       1.2.840.10008.1.2.1      112 1 2 1 64 1"
  "cr-j2k            CR j2k            1.2.840.10008.1.2.4.90   113 1 1 1 64 1"
  "query             CT explicit       1.2.840.10008.1.2.1      114 24 1 2 16 12"
)

TMP="$OUT_DIR.tmp.$$"
trap 'rm -rf "$TMP"' EXIT
rm -rf "$TMP"
mkdir -p "$TMP/hostile"

# Transfer syntax UID of a file (meta header), as a number.
ts_of() {
  dcmdump -q -M -Un +P 0002,0010 "$1" | sed -n 's/^(0002,0010) UI \[\([0-9.]*\)\].*/\1/p'
}

printf 'name\tmodality\tsyntax\ttransfer_syntax_uid\tseed\tfiles\n' >"$TMP/MANIFEST.tsv"
total=0
for line in "${CORPORA[@]}"; do
  read -r name modality syntax ts_uid seed studies series instances size patients <<<"$line"
  "$GEN" --quiet --out "$TMP/$name" --modality "$modality" --transfer-syntax "$syntax" --seed "$seed" \
    --studies "$studies" --series-per-study "$series" --instances "$instances" \
    --rows "$size" --cols "$size" --patients "$patients" --date-from 20240101 --date-days 90
  n=0
  while IFS= read -r -d '' f; do
    got=$(ts_of "$f")
    if [[ "$got" != "$ts_uid" ]]; then
      echo "make-testdata: $f has transfer syntax '$got', expected $ts_uid ($syntax)" >&2
      exit 1
    fi
    n=$((n + 1))
  done < <(find "$TMP/$name" -name '*.dcm' -print0)
  expected=$((studies * series * instances))
  if [[ $n -ne $expected ]]; then
    echo "make-testdata: $name: $n files, expected $expected" >&2
    exit 1
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$modality" "$syntax" "$ts_uid" "$seed" "$n" >>"$TMP/MANIFEST.tsv"
  total=$((total + n))
done

# Hostile files (64 x 64 CT, explicit little endian).
printf 'kind\texpectation\tdescription\n' >"$TMP/hostile/EXPECTATIONS.tsv"
"$GEN" --list-hostile >>"$TMP/hostile/EXPECTATIONS.tsv"
nh=0
while IFS=$'\t' read -r kind _; do
  "$GEN" --quiet --hostile "$kind" --out "$TMP/hostile/$kind.dcm" --rows 64 --cols 64 --seed 200
  [[ -s "$TMP/hostile/$kind.dcm" ]] || { echo "make-testdata: hostile $kind not written" >&2; exit 1; }
  nh=$((nh + 1))
done < <("$GEN" --list-hostile)

date -u +%Y-%m-%dT%H:%M:%SZ >"$TMP/.complete"
rm -rf "$OUT_DIR"
mkdir -p "$(dirname "$OUT_DIR")"
mv "$TMP" "$OUT_DIR"
trap - EXIT
echo "make-testdata: wrote $total instances in ${#CORPORA[@]} corpora and $nh hostile files into $OUT_DIR"
