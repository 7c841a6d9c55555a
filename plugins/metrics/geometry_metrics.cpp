// SPDX-License-Identifier: Apache-2.0
#include "geometry_metrics.hpp"

#include <algorithm>

#include "ea/sdk/rle.hpp"
#include "mask_fragments.hpp"

namespace ea::metrics {

std::optional<double> confidence(const sdk::MetricObject& object, const sdk::FrameView& frame) {
  if (!frame.predictions)
    return std::nullopt;
  return object.confidence;
}

std::optional<double> area(const sdk::MetricObject& object, const sdk::FrameView&) {
  if (object.mask != nullptr)
    return static_cast<double>(sdk::rle_area(*object.mask));
  return object.box.w * object.box.h;
}

std::optional<double> area_relative(const sdk::MetricObject& object, const sdk::FrameView& frame) {
  const double image = static_cast<double>(frame.unit->width) * frame.unit->height;
  return *area(object, frame) / image;
}

std::optional<double> aspect_ratio(const sdk::MetricObject& object, const sdk::FrameView&) {
  if (object.box.h <= 0)
    return std::nullopt;
  return object.box.w / object.box.h;
}

std::optional<double> border_closeness(const sdk::MetricObject& object,
                                       const sdk::FrameView& frame) {
  const double width = frame.unit->width, height = frame.unit->height;
  const double left = object.box.x / width, top = object.box.y / height;
  const double right = (object.box.x + object.box.w) / width;
  const double bottom = (object.box.y + object.box.h) / height;
  return std::max({1 - left, 1 - top, right, bottom});
}

std::optional<double> polygon_vertices(const sdk::MetricObject& object, const sdk::FrameView&) {
  if (object.polygon == nullptr)
    return std::nullopt;
  std::size_t vertices = 0;
  for (const sdk::Ring& ring : object.polygon->rings)
    vertices += ring.size();
  return static_cast<double>(vertices);
}

std::optional<double> fragments(const sdk::MetricObject& object, const sdk::FrameView&) {
  if (object.mask == nullptr)
    return 1.0;
  return static_cast<double>(count_fragments(*object.mask));
}

}  // namespace ea::metrics
