#!/usr/bin/env bash
# Installs the dependencies, builds ea, and runs the main job on the bundled sample: a project
# made from real images, its ground truth, the sample predictions imported from JSON Lines and from
# the pickle Encord Active would have written (each scored by the quality metrics on import), the
# sets listed, one evaluated, and its precision by object size.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DEA_BUILD_TESTS=OFF -DEA_BUILD_BENCH=OFF >/dev/null
cmake --build build
ea=build/bin/ea
$ea -t sample-project init --force --images examples/sample/images \
  --ontology examples/sample/ontology.json --name sample
$ea -t sample-project print data-mapping
$ea -t sample-project import project --format native examples/sample/labels.jsonl
$ea -t sample-project import predictions --name sample-model --replace examples/sample/predictions.jsonl
$ea -t sample-project import predictions --name from-encord-active --replace \
  examples/sample/predictions_encord_active.pkl
$ea -t sample-project predictions list
$ea -t sample-project evaluate --set from-encord-active
$ea -t sample-project metrics run
$ea -t sample-project evaluate --set sample-model --by-metric area-relative --bins 4
