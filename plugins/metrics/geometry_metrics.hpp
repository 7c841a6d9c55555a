// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>

#include "ea/sdk/metric.hpp"

// Metrics of an object's own geometry and score. Formulas: docs/metrics.md.
namespace ea::metrics {

/// The prediction's confidence (predictions only).
std::optional<double> confidence(const sdk::MetricObject& object, const sdk::FrameView& frame);
/// Area in pixels: the mask's pixel count for polygons and masks, w·h for boxes.
std::optional<double> area(const sdk::MetricObject& object, const sdk::FrameView& frame);
/// Area as a fraction of the image.
std::optional<double> area_relative(const sdk::MetricObject& object, const sdk::FrameView& frame);
/// Box width ÷ height; none for a box without height.
std::optional<double> aspect_ratio(const sdk::MetricObject& object, const sdk::FrameView& frame);
/// Encord Active's closeness to the image border, max(1 − x₁/W, 1 − y₁/H, x₂/W, y₂/H) over the
/// box's corners: 1 when the object touches the right or bottom border or starts at the left or
/// top one, 0.5 at the least for an object in the middle.
std::optional<double> border_closeness(const sdk::MetricObject& object,
                                       const sdk::FrameView& frame);
/// A polygon's vertex count over all its rings (polygons only).
std::optional<double> polygon_vertices(const sdk::MetricObject& object,
                                       const sdk::FrameView& frame);
/// The number of 8-connected pieces of a mask or polygon (boxes: 1).
std::optional<double> fragments(const sdk::MetricObject& object, const sdk::FrameView& frame);

}  // namespace ea::metrics
