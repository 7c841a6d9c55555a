// SPDX-License-Identifier: Apache-2.0
// Registration of the KITTI plugin: object label files, ground truth and results.
#include "ea/sdk/plugin.hpp"
#include "kitti_importer.hpp"

EA_PLUGIN("kitti", "1.0.0") {
  registrar.add_importer(
      {"kitti",
       "KITTI object label files (a folder of .txt, one per image): ground truth and "
       "results",
       {".txt"}},
      &ea::kitti::make_kitti_importer);
}
