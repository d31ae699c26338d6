#!/usr/bin/env bash
# Installs every Debian 12 package that MedVQA's build, tests, benchmarks and demo need.
# Idempotent: when everything is already installed it only runs dpkg-query and exits.
set -euo pipefail

PACKAGES=(
  # build, and the formatting check (tests/deploy/check-format.sh)
  build-essential cmake make pkg-config git clang-format
  # libraries
  libdcmtk-dev libsqlite3-dev nlohmann-json3-dev libcpp-httplib-dev libssl-dev libgtest-dev
  libgmock-dev zlib1g-dev libopenjp2-7-dev prometheus-cpp-dev libjwt-dev
  # inference (LibTorch 1.13 CPU) and the Orthanc plugin SDK
  libtorch-dev orthanc-dev
  # model training/export and Python reference checks
  python3-torch python3-numpy python3-pydicom
  # DICOM tools used by tests, benchmarks and the demo
  dcmtk dicom3tools orthanc
  # tests and benchmarks
  python3 sqlite3 curl jq procps
  # audit-trail tests: libxml2 parses the messages and validates them (RELAX NG); xmllint by hand
  libxml2-dev libxml2-utils
  # docker-compose.yml is checked with `docker-compose config` (no Docker engine is needed)
  docker-compose
  # the Orthanc plugin's browser test: Chromium driven by npm's playwright-core; the S3 tests'
  # s3rver (tests/s3/) runs on nodejs too
  chromium nodejs
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# Debian ships npm as its own package; NodeSource's nodejs carries npm inside (and conflicts with
# Debian's), so npm is only asked for when no npm is there.
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian starts the packaged Orthanc as a service on 4242/8042; tests start their own instances
# on free ports, so the system one is stopped where a service manager exists.
if command -v systemctl >/dev/null && systemctl is-active --quiet orthanc 2>/dev/null; then
  $SUDO systemctl stop orthanc || true
fi
echo "install-deps: done"
