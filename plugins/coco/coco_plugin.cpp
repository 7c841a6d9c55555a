// SPDX-License-Identifier: Apache-2.0
// Registration of the COCO plugin: instances files (ground truth) and results files.
#include "coco_export.hpp"
#include "coco_importer.hpp"
#include "ea/sdk/plugin.hpp"

EA_PLUGIN("coco", "1.0.0") {
  registrar.add_importer(
      {"coco", "COCO instances (ground truth) and COCO results (predictions)", {".json"}},
      &ea::coco::make_coco_importer);
  registrar.add_exporter({"coco", "COCO results: bbox, RLE segmentation, score"},
                         &ea::coco::make_coco_exporter);
}
