// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

#include "ea/sdk/options.hpp"
#include "ea/sdk/project_view.hpp"
#include "ea/sdk/record_sink.hpp"

namespace ea::coco {

/// Turns COCO results (a list, or a dataset dict whose annotations carry "score") into
/// predictions, in file order: boxes stay boxes (clamped when at most 1 px past the edge);
/// segmentations become one mask each (polygons rasterised and merged as pycocotools does), with
/// the given bbox kept. Image and category ids map through the project's stored COCO ids, or
/// through --image-map / --category-map.
void read_results(const std::filesystem::path& file, const sdk::OptionValues& options,
                  const sdk::ProjectView& project, sdk::RecordSink& sink);

}  // namespace ea::coco
