#!/usr/bin/env bash
# Installs the dependencies, builds ea, and runs the main job on the bundled sample: a project
# made from real images, the sample predictions imported, the prediction sets listed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DEA_BUILD_TESTS=OFF -DEA_BUILD_BENCH=OFF >/dev/null
cmake --build build
ea=build/bin/ea
$ea -t sample-project init --force --images examples/sample/images \
  --ontology examples/sample/ontology.json --name sample
$ea -t sample-project print data-mapping
$ea -t sample-project import predictions --name sample-model --replace examples/sample/predictions.jsonl
$ea -t sample-project predictions list
