#!/usr/bin/env bash
# Installs the browser test's npm dependencies (playwright-core, exactly as package-lock.json pins
# it) into DIR, outside the source tree: `npm ci` against npm's registry. CTest runs this as the
# fixture of the browser test; it does nothing when DIR already holds this very lock's install.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: install.sh DIR}

if [[ ! -x /usr/bin/chromium ]]; then
  echo "install.sh: /usr/bin/chromium is missing: install Debian's chromium (scripts/install-deps.sh)" >&2
  exit 1
fi
mkdir -p "$dir"
if [[ -d "$dir/node_modules/playwright-core" ]] && cmp -s "$here/package-lock.json" "$dir/package-lock.json" &&
   cmp -s "$here/package.json" "$dir/package.json"; then
  echo "install.sh: playwright-core already installed in $dir"
  exit 0
fi
cp "$here/package.json" "$here/package-lock.json" "$dir/"
cd "$dir"
# --ignore-scripts: playwright-core needs no install script, and the browser is Debian's.
npm ci --no-audit --no-fund --ignore-scripts
