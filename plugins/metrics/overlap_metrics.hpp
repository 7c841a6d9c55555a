// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>

#include "ea/sdk/metric.hpp"

// Metrics of how an object overlaps the frame's labels or its neighbours. Formulas:
// docs/metrics.md.
namespace ea::metrics {

/// IoU of two objects: masks compared as masks (a box as its rasterised mask) when either has
/// one, boxes as boxes otherwise (pycocotools' arithmetic).
double object_iou(const sdk::MetricObject& a, const sdk::MetricObject& b,
                  const sdk::FrameView& frame);
/// The best IoU with a label of the same class (0 when there is none).
std::optional<double> iou_same_class_label(const sdk::MetricObject& object,
                                           const sdk::FrameView& frame);
/// The best IoU with a label of any class.
std::optional<double> iou_any_label(const sdk::MetricObject& object, const sdk::FrameView& frame);
/// 1 when the label of any class that overlaps the object best has the object's class, 0 when it
/// has another (a class confusion), none when no label overlaps.
std::optional<double> best_label_same_class(const sdk::MetricObject& object,
                                            const sdk::FrameView& frame);
/// The largest IoU with another object of the same class on the frame (duplicates, missing NMS).
std::optional<double> duplicate_iou(const sdk::MetricObject& object, const sdk::FrameView& frame);

}  // namespace ea::metrics
