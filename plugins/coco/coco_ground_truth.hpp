// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <simdjson.h>

#include "ea/sdk/record_sink.hpp"

namespace ea::coco {

/// Turns a COCO instances document into data units (title = file_name, size from the file),
/// one polygon-shaped ontology object per category, identifier maps (image id → data_hash,
/// category id → feature_hash) and labels: box, polygon (all parts one label) or RLE mask, with
/// bbox, area, iscrowd, ignore and the annotation id kept exactly as given.
void read_ground_truth(simdjson::dom::element root, sdk::RecordSink& sink);

}  // namespace ea::coco
