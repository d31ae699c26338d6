#!/usr/bin/env bash
# Reformats every C++ file of the repository with clang-format (.clang-format at the root); CI
# checks the result (tests/deploy/check-format.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files '*.cpp' '*.h' | xargs clang-format -i
