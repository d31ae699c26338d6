#!/usr/bin/env bash
# The C++ tree is as clang-format (Debian's, .clang-format at the root) writes it. Run
# `scripts/format.sh` to reformat; this check only reads.
set -euo pipefail
ROOT=${1:-$(dirname "$0")/../..}
cd "$ROOT"
command -v clang-format >/dev/null || { echo "clang-format is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.h' 2>/dev/null || find core scp plugin tools tests bench -name '*.cpp' -o -name '*.h')
if ! clang-format --dry-run --Werror "${files[@]}" 2> /tmp/medvqa-format-check.$$; then
  grep -E '^[^ ].*: (warning|error):' /tmp/medvqa-format-check.$$ | cut -d: -f1 | sort | uniq -c | sort -rn | head -20 >&2
  echo "these files are not clang-formatted (counts of places); run scripts/format.sh" >&2
  rm -f /tmp/medvqa-format-check.$$
  exit 1
fi
rm -f /tmp/medvqa-format-check.$$
echo "${#files[@]} files formatted as .clang-format says"
