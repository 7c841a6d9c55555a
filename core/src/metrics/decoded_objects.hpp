// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <vector>

#include "ea/core/project_snapshot.hpp"
#include "ea/sdk/metric.hpp"
#include "frame_objects.hpp"

namespace ea::core::metrics {

/// A frame's objects as metrics see them: polygons parsed, polygons and masks as RLE at the data
/// unit's size. Owns what the sdk::MetricObject views point to; not copyable, so they stay valid.
class DecodedObjects {
 public:
  /// Decodes `stored`; throws Failure on a stored geometry that cannot be read.
  DecodedObjects(const std::vector<StoredObject>& stored, const ProjectSnapshot& snapshot,
                 const sdk::DataUnit& unit);
  DecodedObjects(const DecodedObjects&) = delete;
  DecodedObjects& operator=(const DecodedObjects&) = delete;

  /// The objects, in id order.
  std::span<const sdk::MetricObject> objects() const noexcept { return objects_; }
  /// The objects that are not crowd regions, in id order (what FrameView::labels holds).
  std::span<const sdk::MetricObject> without_crowd() const noexcept { return without_crowd_; }

 private:
  std::vector<sdk::Polygon> polygons_;
  std::vector<sdk::Rle> masks_;
  std::vector<sdk::MetricObject> objects_;
  std::vector<sdk::MetricObject> without_crowd_;
};

}  // namespace ea::core::metrics
