// SPDX-License-Identifier: Apache-2.0
// Registration of the native plugin: Encord Active's Prediction records as JSON or JSON Lines.
#include "ea/sdk/plugin.hpp"
#include "native_importer.hpp"

EA_PLUGIN("native", "1.0.0") {
  registrar.add_importer({"native",
                          "Encord Active Prediction records as a JSON array or JSON Lines",
                          {".jsonl", ".ndjson", ".json"}},
                         &ea::native::make_native_importer);
}
