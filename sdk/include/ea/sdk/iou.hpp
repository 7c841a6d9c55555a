// SPDX-License-Identifier: Apache-2.0
#pragma once

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
/// mask_iou() with the masks' tight boxes (rle_bbox) already known, for callers that compare
/// each mask many times.
EA_SDK_EXPORT double mask_iou(const Rle& detection, const Rle& truth, bool crowd,
                              const BoundingBox& detection_box, const BoundingBox& truth_box);

}  // namespace ea::sdk
