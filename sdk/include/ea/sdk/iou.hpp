// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "ea/sdk/export.hpp"
#include "ea/sdk/geometry.hpp"

namespace ea::sdk {

/// Intersection over union of two pixel boxes as pycocotools' bbIou: continuous coordinates, no
/// +1; against a crowd region the denominator is the detection's area.
EA_SDK_EXPORT double box_iou(const BoundingBox& detection, const BoundingBox& truth, bool crowd);

/// Intersection over union of two masks as pycocotools' rleIou: 0 when their boxes do not
/// overlap, −1 when their sizes differ; against a crowd region the denominator is the detection's
/// area.
EA_SDK_EXPORT double mask_iou(const Rle& detection, const Rle& truth, bool crowd);
/// A mask's runs with its tight box and area worked out once, for callers that compare each mask
/// many times (an evaluation).
struct MeasuredMask {
  RleView runs;            ///< the mask
  BoundingBox box;         ///< rle_bbox(runs)
  std::uint64_t area = 0;  ///< rle_area(runs)
};

/// mask_iou() of two measured masks.
EA_SDK_EXPORT double mask_iou(const MeasuredMask& detection, const MeasuredMask& truth, bool crowd);

}  // namespace ea::sdk
