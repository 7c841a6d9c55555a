// SPDX-License-Identifier: Apache-2.0
// Registration of the masks plugin: instance and class masks from image files.
#include "ea/sdk/plugin.hpp"
#include "masks_importer.hpp"

EA_PLUGIN("masks", "1.0.0") {
  registrar.add_importer({"masks",
                          "Mask images: class masks, instance label maps, COCO panoptic PNGs, "
                          "binary masks per instance (predictions and ground truth)",
                          {".png"}},
                         &ea::masks::make_masks_importer);
}
