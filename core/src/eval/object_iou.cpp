// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/object_iou.hpp"

#include <cmath>

#include "ea/sdk/iou.hpp"

namespace ea::core::eval {

double object_iou(const EvalDataset& dataset, IouType type, const EvalObject& detection,
                  const EvalObject& truth) {
  if (type == IouType::bbox)
    return sdk::box_iou(detection.box, truth.box, truth.crowd);
  // The masks' boxes and areas were computed once, not for every pair.
  return sdk::mask_iou(dataset.masks[detection.mask], dataset.masks[truth.mask], truth.crowd);
}

double object_iou_bound(const EvalDataset& dataset, IouType type, const EvalObject& detection,
                        const EvalObject& truth) {
  if (type == IouType::bbox)
    return sdk::box_iou(detection.box, truth.box, truth.crowd);
  const sdk::MeasuredMask& mask_a = dataset.masks[detection.mask];
  const sdk::MeasuredMask& mask_b = dataset.masks[truth.mask];
  const sdk::BoundingBox& a = mask_a.box;
  const sdk::BoundingBox& b = mask_b.box;
  const double w = std::fmin(a.x + a.w, b.x + b.w) - std::fmax(a.x, b.x);
  const double h = std::fmin(a.y + a.h, b.y + b.h) - std::fmax(a.y, b.y);
  if (w <= 0 || h <= 0)
    return 0;
  const auto area_a = static_cast<double>(mask_a.area);
  const auto area_b = static_cast<double>(mask_b.area);
  const double overlap = std::fmin(w * h, std::fmin(area_a, area_b));
  const double union_floor = truth.crowd ? area_a : std::fmax(area_a, area_b);
  return union_floor > 0 ? overlap / union_floor : 0;
}

}  // namespace ea::core::eval
