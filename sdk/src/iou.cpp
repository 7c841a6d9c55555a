// SPDX-License-Identifier: Apache-2.0
// IoU with pycocotools' maskApi arithmetic (bbIou, rleIou).
#include "ea/sdk/iou.hpp"

#include <algorithm>
#include <cmath>

#include "ea/sdk/rle.hpp"

namespace ea::sdk {

double box_iou(const BoundingBox& d, const BoundingBox& g, bool crowd) {
  const double w = std::fmin(d.w + d.x, g.w + g.x) - std::fmax(d.x, g.x);
  if (w <= 0)
    return 0;
  const double h = std::fmin(d.h + d.y, g.h + g.y) - std::fmax(d.y, g.y);
  if (h <= 0)
    return 0;
  const double intersection = w * h;
  const double detection_area = d.w * d.h;
  const double union_area = crowd ? detection_area : detection_area + g.w * g.h - intersection;
  return intersection / union_area;
}

double mask_iou(const Rle& d, const Rle& g, bool crowd) {
  return mask_iou(d, g, crowd, rle_bbox(d), rle_bbox(g));
}

double mask_iou(const Rle& d, const Rle& g, bool crowd, const BoundingBox& d_box,
                const BoundingBox& g_box) {
  // pycocotools first compares the masks' boxes and skips pairs that do not overlap.
  if (box_iou(d_box, g_box, crowd) <= 0)
    return 0;
  if (d.height != g.height || d.width != g.width)
    return -1;
  std::uint32_t ca = d.counts.empty() ? 0 : d.counts[0], cb = g.counts.empty() ? 0 : g.counts[0];
  bool va = false, vb = false;
  std::size_t ia = 1, ib = 1;
  std::uint64_t intersection = 0, union_area = 0;
  std::uint32_t remaining = 1;
  while (remaining > 0) {
    const std::uint32_t step = std::min(ca, cb);
    if (va || vb) {
      union_area += step;
      if (va && vb)
        intersection += step;
    }
    remaining = 0;
    ca -= step;
    if (ca == 0 && ia < d.counts.size()) {
      ca = d.counts[ia++];
      va = !va;
    }
    remaining += ca;
    cb -= step;
    if (cb == 0 && ib < g.counts.size()) {
      cb = g.counts[ib++];
      vb = !vb;
    }
    remaining += cb;
  }
  if (intersection == 0) {
    union_area = 1;
  } else if (crowd) {
    union_area = rle_area(d);
  }
  return static_cast<double>(intersection) / static_cast<double>(union_area);
}

}  // namespace ea::sdk
