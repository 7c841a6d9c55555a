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
  explicit ForegroundIntervals(RleView rle)
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
  return mask_iou(MeasuredMask{d, rle_bbox(d), rle_area(d)},
                  MeasuredMask{g, rle_bbox(g), rle_area(g)}, crowd);
}

double mask_iou(const MeasuredMask& d, const MeasuredMask& g, bool crowd) {
  // pycocotools first compares the masks' boxes and skips pairs that do not overlap.
  if (box_iou(d.box, g.box, crowd) <= 0)
    return 0;
  if (d.runs.height != g.runs.height || d.runs.width != g.runs.width)
    return -1;
  // The intersection from the two masks' foreground intervals; the union then follows from the
  // areas, as pycocotools' pixel count of either mask would give it.
  ForegroundIntervals a(d.runs), b(g.runs);
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
    union_area = crowd ? d.area : d.area + g.area - intersection;
  return static_cast<double>(intersection) / static_cast<double>(union_area);
}

}  // namespace ea::sdk
