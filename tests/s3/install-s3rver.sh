#!/bin/sh
# Installs the pinned s3rver (package-lock.json beside this script) into DIR/node_modules with
# `npm ci`, unless DIR already holds the install of exactly this lock file. The S3 integration
# tests start DIR/node_modules/s3rver/bin/s3rver.js on a free loopback port.
# Usage: install-s3rver.sh DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
if [ -f "$dir/node_modules/s3rver/bin/s3rver.js" ] && cmp -s "$here/package-lock.json" "$dir/installed.lock"; then
  echo "s3rver already installed in $dir"
  exit 0
fi
command -v npm >/dev/null || { echo "npm is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
mkdir -p "$dir"
rm -f "$dir/installed.lock"
cp "$here/package.json" "$here/package-lock.json" "$dir/"
cd "$dir"
npm ci --no-audit --no-fund
cp "$here/package-lock.json" installed.lock
echo "s3rver $(node node_modules/s3rver/bin/s3rver.js --version) installed in $dir"
