// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <simdjson.h>

#include "ea/sdk/project_view.hpp"
#include "ea/sdk/record_sink.hpp"

namespace ea::coco {

/// Turns a COCO instances document into data units (title = file_name, size from the file),
/// one polygon-shaped ontology object per category, identifier maps (image id → data_hash,
/// category id → feature_hash) and labels: box, polygon (all parts one label) or RLE mask, with
/// bbox, area, iscrowd, ignore and the annotation id kept exactly as given. An image whose
/// file_name is "<video title>__<frame>" (optionally with an image extension) names that frame of
/// a video already in `project`; an annotation's optional "frame" names a frame of a video image.
void read_ground_truth(simdjson::dom::element root, const sdk::ProjectView& project,
                       sdk::RecordSink& sink);

}  // namespace ea::coco
