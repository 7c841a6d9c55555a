// SPDX-License-Identifier: Apache-2.0
// Registration of the YOLO example plugin.
#include <ea/sdk/plugin.hpp>

#include "yolo_importer.hpp"

EA_PLUGIN("yolo", "1.0.0") {
  registrar.add_importer({"yolo",
                          "YOLO text predictions: <image>.txt, `class cx cy w h score` relative "
                          "to the image (Ultralytics), classes by --names index or by name",
                          {".txt"}},
                         &yolo::make_yolo_importer);
}
