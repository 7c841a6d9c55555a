// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ea/core/eval/coco_params.hpp"
#include "ea/core/eval/eval_dataset.hpp"

namespace ea::core::eval {

/// IoU of a detection with a label as pycocotools computes it: bbIou of their boxes, or rleIou of
/// their masks (with the masks' tight boxes, computed once per mask, as the prefilter).
double object_iou(const EvalDataset& dataset, IouType type, const EvalObject& detection,
                  const EvalObject& truth);

/// An upper bound of object_iou() that costs no mask comparison: for masks, the overlap of their
/// boxes (capped by the smaller mask) over what the union cannot be smaller than.
double object_iou_bound(const EvalDataset& dataset, IouType type, const EvalObject& detection,
                        const EvalObject& truth);

}  // namespace ea::core::eval
