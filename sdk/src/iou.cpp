// SPDX-License-Identifier: Apache-2.0
// IoU with pycocotools' maskApi arithmetic (bbIou, rleIou).
#include "ea/sdk/iou.hpp"

#include <algorithm>
#include <cmath>

#include "ea/sdk/rle.hpp"

namespace ea::sdk {

namespace {

// Walks a mask's runs of ones as [start, stop) pixel offsets.
class ForegroundIntervals {
 public:
  explicit ForegroundIntervals(const Rle& rle)
      : run_(rle.counts.data()), end_(rle.counts.data() + rle.counts.size()) {}

  // Moves to the next run of ones; false after the last.
  bool next() {
    if (run_ == end_)
      return false;
    position_ += *run_++;  // zeros
    if (run_ == end_)
      return false;
    start = position_;
    position_ += *run_++;
    stop = position_;
    return true;
  }

  std::uint64_t start = 0;  ///< the run's first pixel
  std::uint64_t stop = 0;   ///< one past its last

 private:
  const std::uint32_t* run_;
  const std::uint32_t* end_;
  std::uint64_t position_ = 0;
};

}  // namespace

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
  // The intersection from the two masks' foreground intervals; the union then follows from the
  // areas, as pycocotools' pixel count of either mask would give it.
  ForegroundIntervals a(d), b(g);
  std::uint64_t intersection = 0;
  if (a.next() && b.next()) {
    for (;;) {
      const std::uint64_t low = std::max(a.start, b.start), high = std::min(a.stop, b.stop);
      if (high > low)
        intersection += high - low;
      if (!(a.stop < b.stop ? a.next() : b.next()))
        break;
    }
  }
  std::uint64_t union_area = 1;
  if (intersection != 0)
    union_area = crowd ? rle_area(d) : rle_area(d) + rle_area(g) - intersection;
  return static_cast<double>(intersection) / static_cast<double>(union_area);
}

}  // namespace ea::sdk
