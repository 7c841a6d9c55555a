// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ea/core/eval/evaluation_store.hpp"
#include "ea/core/eval/kitti_evaluation.hpp"
#include "ea/core/store.hpp"

namespace ea::core::eval {

/// Every frame with labels or predictions of `set`: boxes, class names, and the truncation,
/// occlusion and alpha attributes KITTI files carry (0, 0 and -10 when a source gave none).
std::vector<KittiImage> read_kitti_images(Store& store, const SetRange& set);

/// The classes to evaluate: Car 0.7, Pedestrian 0.5 and Cyclist 0.5 (the devkit's), then each
/// "Class=overlap" of `min_overlaps` (which may also change those). Names are spelled as the
/// project's ontology spells them. Throws Failure on a malformed entry.
std::vector<std::pair<std::string, std::pair<std::string, double>>> kitti_classes(
    Store& store, const std::vector<std::string>& min_overlaps);

/// The evaluation as JSON: per class AP|R40, AP|R11 (and AOS) per difficulty as fractions, the
/// 41-point precision curves, label and detection counts.
nlohmann::json kitti_json(const KittiEvaluation& evaluation);

/// The evaluation as a printed table (percentages, as the KITTI benchmark shows them).
std::string kitti_text(const KittiEvaluation& evaluation);

}  // namespace ea::core::eval
