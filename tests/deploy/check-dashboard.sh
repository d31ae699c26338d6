#!/usr/bin/env bash
# The Grafana dashboard queries only metrics MedVQA exports: every medvqa_* name in its queries
# (less a histogram's _bucket/_sum/_count) is registered in core/metrics/metrics.cpp.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dashboard=$root/deploy/grafana/medvqa-dashboard.json
jq -e '.panels | length > 0' "$dashboard" >/dev/null
queried=$(jq -r '.panels[].targets[].expr' "$dashboard" | grep -o 'medvqa_[a-z_]*' |
  sed -E 's/_(bucket|sum|count)$//' | sort -u)
exported=$(grep -o '"medvqa_[a-z_]*"' "$root/core/metrics/metrics.cpp" | tr -d '"' | sort -u)
missing=$(comm -23 <(echo "$queried") <(echo "$exported"))
if [[ -n $missing ]]; then
  echo "the dashboard queries metrics nobody exports: $missing" >&2
  exit 1
fi
echo "dashboard: $(echo "$queried" | wc -l) metrics, all exported"
