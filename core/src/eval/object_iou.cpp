// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/object_iou.hpp"

#include "ea/sdk/iou.hpp"

namespace ea::core::eval {

double object_iou(const EvalDataset& dataset, IouType type, const EvalObject& detection,
                  const EvalObject& truth) {
  if (type == IouType::bbox)
    return sdk::box_iou(detection.box, truth.box, truth.crowd);
  // The masks' boxes were computed once, not for every pair.
  return sdk::mask_iou(dataset.masks[detection.mask], dataset.masks[truth.mask], truth.crowd,
                       dataset.mask_boxes[detection.mask], dataset.mask_boxes[truth.mask]);
}

}  // namespace ea::core::eval
