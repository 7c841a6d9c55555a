// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ea::core::eval {

/// What a COCO evaluation compares: boxes or masks.
enum class IouType { bbox, segm };

/// A named range of ground-truth areas, bounds inclusive as in pycocotools.
struct AreaRange {
  std::string name;  ///< all, small, medium, large, or the user's name
  double low = 0;    ///< smallest area inside the range
  double high = 0;   ///< largest area inside the range
};

/// The parameters of a COCO evaluation; the defaults are pycocotools' setDetParams.
struct CocoParams {
  IouType iou_type = IouType::bbox;       ///< bbox or segm
  std::vector<double> iou_thresholds;     ///< ascending; at most 64
  std::vector<double> recall_thresholds;  ///< ascending recall points
  std::vector<std::uint32_t> max_dets;    ///< ascending; pycocotools' summary needs three
  std::vector<AreaRange> area_ranges;     ///< the first one is "all"
  bool use_categories = true;             ///< false: class-agnostic matching
  bool quirks = true;                     ///< reproduce pycocotools' quirks exactly
  double min_score = 0;                   ///< detections scoring below are dropped first
};

/// numpy.linspace(start, stop, count) with numpy's arithmetic, so thresholds compare equal.
std::vector<double> linspace(double start, double stop, std::size_t count);

/// pycocotools' default parameters for `type`.
CocoParams default_coco_params(IouType type);

/// "bbox" or "segm".
const char* to_string(IouType type);

}  // namespace ea::core::eval
