#!/usr/bin/env bash
# Installs the dependencies, builds ea with warnings as errors, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEA_WERROR=ON >/dev/null
cmake --build build-test
cd build-test
ctest --output-on-failure -j2
