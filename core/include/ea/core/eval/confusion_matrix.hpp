// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ea/core/eval/coco_params.hpp"
#include "ea/core/eval/eval_dataset.hpp"

namespace ea::core::eval {

/// Counts of (true class, predicted class), the last row and column being "background".
struct ConfusionMatrix {
  std::vector<std::string> classes;   ///< the classes; index classes.size() is background
  std::vector<std::uint64_t> counts;  ///< [true][predicted], (classes + 1)² entries
  double iou_threshold = 0.5;         ///< a match needs IoU ≥ this
  double score_threshold = 0;         ///< detections scoring below are left out

  /// counts[truth][predicted].
  std::uint64_t at(std::size_t truth, std::size_t predicted) const {
    return counts[truth * (classes.size() + 1) + predicted];
  }
};

/// Class-agnostic greedy matching per image: detections in score order each take the unmatched
/// label with the highest IoU ≥ `iou`; crowd and ignored labels, and detections matching them,
/// are left out. Unmatched detections count against background (a false positive), unmatched
/// labels as predicted background (a miss).
ConfusionMatrix confusion_matrix(const EvalDataset& dataset, IouType type, double iou,
                                 double score);

}  // namespace ea::core::eval
